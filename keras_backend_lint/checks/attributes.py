"""KBL201-KBL204 on attribute access: ``K.mean``, ``keras.backend.tf``, ``tf.keras.backend._BACKEND``."""
from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterator

from .. import rules
from ..bindings import Event, ModuleInfo
from ..report import Violation, violation
from ..surface import ApiSurface, short
from .common import BACKEND_MODULES, BACKEND_SUBMODULES, Settings, expr_text, hint_for, target_label
from .names import check_name


def check_attributes(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    shims = _shims(info) if info.attr_stores else {}
    for event in info.attributes:
        node = event.node
        assert isinstance(node, ast.Attribute)
        qnames = info.resolve_expr(node.value, event.scope)
        if not qnames:
            continue
        if shims and _defined_by_shim(shims, qnames, node, event):
            continue
        surfaces = set()
        for qname in qnames:
            surface = BACKEND_MODULES.get(qname)
            if surface is None:
                surface = BACKEND_SUBMODULES.get(qname)
                if surface is None or _submodule_everywhere(qname, settings) or isinstance(node.value, ast.Attribute):
                    # not the backend, an old backend module every target release still has, or one reached as
                    # ``K.tensorflow_backend.x``, whose ``K.tensorflow_backend`` part is reported (KBL204) already
                    break
            surfaces.add(surface)
        else:
            ctx = event.context
            if ctx.guards(node.attr) or ctx.catches_for("attr"):
                continue  # hasattr()/version-guarded or try/except AttributeError: a deliberate compatibility shim
            found = check_name(api, settings, frozenset(surfaces), node.attr, node, expr_text(node))
            if found is not None and found.code == rules.KBL202.code and not qnames.isdisjoint(BACKEND_SUBMODULES):
                found = _only_in_submodule(api, settings, qnames, node)  # e.g. theano_backend's own helpers
            if found is not None:
                yield found


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
