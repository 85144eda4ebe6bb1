"""KBL201-KBL204 on attribute access: ``K.mean``, ``keras.backend.tf``, ``tf.keras.backend._BACKEND``."""
from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterator, Optional, Tuple

from .. import rules
from ..bindings import Event, ModuleInfo, Scope
from ..report import Violation, violation
from ..surface import ApiSurface, short
from .common import BACKEND_MODULES, BACKEND_SUBMODULES, Settings, expr_text, hint_for, target_label
from .names import check_name


def check_attributes(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    shims = _shims(info) if info.attr_stores else {}
    memo = _memo_for(api, settings)
    backend = memo.backend
    verdicts = memo.verdicts
    resolved: Dict[Tuple[str, Scope], Optional[FrozenSet[str]]] = {}  # the chains' roots: K, tf, keras
    chains: Dict[Tuple[FrozenSet[str], Tuple[str, ...]], FrozenSet[str]] = {}  # (root's names, attributes) -> names
    for event in info.attributes:
        node = event.node
        assert isinstance(node, ast.Attribute)
        value = node.value
        if type(value) is ast.Name:
            key = (value.id, event.scope)  # type: ignore[attr-defined]
            qnames = resolved.get(key, _UNSEEN)
            if qnames is _UNSEEN:
                qnames = resolved[key] = info.resolve_name(key[0], event.scope)
        else:
            # info.resolve_expr(value, scope), with the root's resolution and the chain's names shared by its uses
            attrs = []
            root = value
            while type(root) is ast.Attribute:
                attrs.append(root.attr)  # type: ignore[attr-defined]
                root = root.value  # type: ignore[attr-defined]
            if type(root) is not ast.Name:
                continue
            key = (root.id, event.scope)  # type: ignore[attr-defined]
            bases = resolved.get(key, _UNSEEN)
            if bases is _UNSEEN:
                bases = resolved[key] = info.resolve_name(key[0], event.scope)
            if not bases:
                continue
            chain = (bases, tuple(attrs))
            qnames = chains.get(chain)
            if qnames is None:
                suffix = "." + ".".join(reversed(attrs))
                qnames = chains[chain] = frozenset(base + suffix for base in bases)
        if not qnames:
            continue
        if shims and _defined_by_shim(shims, qnames, node, event):
            continue
        kind = backend.get(qnames, _UNSEEN)
        if kind is _UNSEEN:
            kind = backend[qnames] = _backend_kind(qnames, settings)
        # not the backend, an old backend module every target release still has, or one reached as
        # ``K.tensorflow_backend.x``, whose ``K.tensorflow_backend`` part is reported (KBL204) already
        if kind is None or kind[1] and isinstance(value, ast.Attribute):
            continue
        # expr_text(node), spelled out for the common K.mean
        expr = f"{value.id}.{node.attr}" if type(value) is ast.Name else expr_text(node)  # type: ignore[attr-defined]
        key = (qnames, expr)
        found = verdicts.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = verdicts[key] = _verdict(api, settings, qnames, kind[0], node, expr)
        if found is None:
            continue
        ctx = event.context
        if ctx.conditions and ctx.guards(node.attr) or ctx.catches and ctx.catches_for("attr"):
            continue  # hasattr()/version-guarded or try/except AttributeError: a deliberate compatibility shim
        yield Violation(node.lineno, node.col_offset, found.code, found.message, found.rule, found.fix)


_UNSEEN = object()


class _Memo:
    """What the check decides per resolved chain, kept per (surface data, settings) across files."""

    __slots__ = ("backend", "verdicts")

    def __init__(self) -> None:
        #: resolved qualified names -> (backend surfaces, whether one is an old submodule), or None: not the backend
        self.backend: Dict[FrozenSet[str], Optional[Tuple[FrozenSet[str], bool]]] = {}
        #: (resolved qualified names, expression) -> the finding at its first position, or None
        self.verdicts: Dict[Tuple[FrozenSet[str], str], Optional[Violation]] = {}


_MEMOS: Dict[Tuple[ApiSurface, Settings], _Memo] = {}


def _memo_for(api: ApiSurface, settings: Settings) -> _Memo:
    key = (api, settings)
    memo = _MEMOS.get(key)
    if memo is None or len(memo.verdicts) > 50_000:  # a long run over a huge tree: start over, never grow unbounded
        if len(_MEMOS) > 8:
            _MEMOS.clear()
        memo = _MEMOS[key] = _Memo()
    return memo


def _backend_kind(qnames: FrozenSet[str], settings: Settings) -> Optional[Tuple[FrozenSet[str], bool]]:
    """The backend surfaces ``qnames`` are, and whether one is an old backend submodule; None unless every one is
    the backend (a submodule every target release still has does not count)."""
    surfaces = set()
    submodule = False
    for qname in qnames:
        surface = BACKEND_MODULES.get(qname)
        if surface is None:
            surface = BACKEND_SUBMODULES.get(qname)
            if surface is None or _submodule_everywhere(qname, settings):
                return None
            submodule = True
        surfaces.add(surface)
    return frozenset(surfaces), submodule


def _verdict(
    api: ApiSurface,
    settings: Settings,
    qnames: FrozenSet[str],
    surfaces: FrozenSet[str],
    node: ast.Attribute,
    expr: str,
) -> Optional[Violation]:
    """The finding for ``expr`` (``node``'s text) on the backend, the same wherever it is (guards aside)."""
    found = check_name(api, settings, surfaces, node.attr, node, expr)
    if found is not None and found.code == rules.KBL202.code and not qnames.isdisjoint(BACKEND_SUBMODULES):
        found = _only_in_submodule(api, settings, qnames, node)  # e.g. theano_backend's own helpers
    return found


def _submodule_everywhere(qname: str, settings: Settings) -> bool:
    sub = qname.rpartition(".")[2]
    return all(sub in release.submodules for release in settings.target.releases)


def _only_in_submodule(api: ApiSurface, settings: Settings, qnames, node: ast.Attribute) -> Violation:
    """A name the old backend module had that ``keras.backend`` never exported (with the TensorFlow backend):
    missing wherever the submodule is gone."""
    subs = sorted(q.rpartition(".")[2] for q in qnames if q in BACKEND_SUBMODULES)
    missing = [r for r in settings.target.releases if not any(sub in r.submodules for sub in subs)]
    last = max((r for r in api.releases if any(sub in r.submodules for sub in subs)), key=lambda r: r.version)
    return violation(
        rules.KBL201,
        node,
        rules.NO_FIX,
        expr=expr_text(node),
        surface="keras.backend",
        target=target_label(api, missing),
        last=f" (only in keras.backend.{subs[0]}, last in {short(last)})",
        hint=hint_for(api, node.attr, settings.target, missing, keep=expr_text(node)),
    )


def _shims(info: ModuleInfo) -> Dict[str, int]:
    """``K.eval = ...`` at module level (also under ``if not hasattr(K, "eval"):``): the first line defining each
    ``<backend module>.<name>``; the module defines the missing name itself from there on."""
    defined: Dict[str, int] = {}
    for event in info.attr_stores:
        if event.scope.kind != "module":
            continue
        node = event.node
        assert isinstance(node, ast.Attribute)
        for qname in info.resolve_expr(node.value, event.scope) or ():
            if qname in BACKEND_MODULES or qname in BACKEND_SUBMODULES:
                key = f"{qname}.{node.attr}"
                defined[key] = min(defined.get(key, node.lineno), node.lineno)
    return defined


def _defined_by_shim(shims: Dict[str, int], qnames: FrozenSet[str], node: ast.Attribute, event: Event) -> bool:
    """A use after the shim, or in a function (which runs once the module has been imported)."""
    for qname in qnames:
        line = shims.get(f"{qname}.{node.attr}")
        if line is not None and (node.lineno > line or event.scope.kind != "module"):
            return True
    return False
