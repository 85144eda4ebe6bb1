"""KBL106-KBL108: ``keras.*`` / ``tf.keras.*`` modules and names (besides the backend) missing in the target.

Only ``Import``/``ImportFrom`` events and attribute chains that resolve to a ``keras`` module are looked at; the
module tree data (``keras_api.py``) is loaded the first time one of them names something other than the backend.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Tuple

from .. import rules
from ..bindings import Lazy, _import_bindings
from ..preselect import is_chain_root, lead_strength
from ..import_hints import KERAS2_WAY, KERAS3_API, keras3_way
from ..keras_api import KERAS, TF, KerasApi, load_keras_api
from ..report import Violation, violation
from ..surface import ApiSurface, Release, describe
from .common import Settings, target_label

#: public prefix of each flavour; the backend has its own rules (KBL101/KBL102, KBL2xx)
_ROOTS = (("keras", KERAS), ("tensorflow.keras", TF))
_BACKENDS = ("keras.backend", "tensorflow.keras.backend")
_IN_BACKENDS = tuple(b + "." for b in _BACKENDS)
_CODES = ("KBL106", "KBL107", "KBL108")
_PREFIXES = ("keras", "tensorflow.keras")


class Move(NamedTuple):
    """``from <module> import <name> [as <asname>]`` spelled for the target instead of an old import."""

    module: str
    name: str


def flavour_of(module: str) -> Optional[Tuple[str, str]]:
    """(flavour, module) for a ``keras.*``/``tensorflow.keras.*`` module that is not the backend, else None."""
    if not module.startswith(_PREFIXES):
        return None  # the common case (numpy, os, self.x), decided by one C-level call
    return _flavour_of(module)


_UNSEEN = object()


@lru_cache(maxsize=100_000)  # the same paths come back in every file
def _flavour_of(module: str) -> Optional[Tuple[str, str]]:
    for root, flavour in _ROOTS:
        if module == root or module.startswith(root + "."):
            if any(module == b or module.startswith(b + ".") for b in _BACKENDS):
                return None
            if flavour == KERAS and module.startswith("keras.src."):
                return None  # Keras 3's implementation tree is not public API; not ours to judge
            return flavour, module
    return None


def check_keras_imports(info, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    if not any(settings.enabled(code) for code in _CODES):
        return
    judge: Optional[ImportJudge] = None
    for event in info.imports:
        node = event.node
        if isinstance(node, ast.ImportFrom):
            if node.level:
                continue
            modules = [node.module or ""]
        elif isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        else:
            continue
        for module in modules:
            if not module.startswith(_PREFIXES) or flavour_of(module) is None:
                continue
            if event.context.catches_for("import") or event.context.guards("*"):
                break  # try/except ImportError or a version check: the author handles it
            judge = judge or judge_for(api, settings)
            for found in judge.statement_findings(node, module):
                yield Violation(node.lineno, node.col_offset, found.code, found.message, found.rule, found.fix)
    if not info.attributes:
        return
    roots: Optional[FrozenSet[str]] = None
    aliased: Optional[FrozenSet[str]] = None  # found only when a chain starts at a name no import binds
    #: (root name, scope) -> the one qualified name it resolves to, None when that is not a keras.* path worth
    #: following (ambiguous, unresolved, the backend): every link of ``tf.keras.layers.Dense`` starts at ``tf``
    bases: Dict[Tuple[str, object], Optional[str]] = {}
    for event in info.attributes:
        node = event.node
        root = node.value
        while type(root) is ast.Attribute:
            root = root.value  # type: ignore[attr-defined]
        if type(root) is not ast.Name:
            continue
        key = (root.id, event.scope)  # type: ignore[attr-defined]
        base = bases.get(key, _UNSEEN)
        if base is _UNSEEN:
            if roots is None:
                roots = _import_roots(info)
            base = None
            if key[0] in roots:
                base = _chain_base(info, key[0], event.scope)
            else:
                if aliased is None:
                    aliased = _alias_roots(info, roots)
                if key[0] in aliased:
                    base = _chain_base(info, key[0], event.scope)
            bases[key] = base
        if base is None:
            continue
        value = node.value
        if type(value) is ast.Name:
            qname = f"{base}.{node.attr}"
        else:
            attrs = [node.attr]
            while type(value) is ast.Attribute:
                attrs.append(value.attr)  # type: ignore[attr-defined]
                value = value.value  # type: ignore[attr-defined]
            attrs.append(base)
            qname = ".".join(reversed(attrs))
        if not qname.startswith(_PREFIXES):
            continue
        judge = judge or judge_for(api, settings)
        found = judge.attribute_finding(qname)
        if found is None:
            continue
        ctx = event.context
        if ctx.catches and ctx.catches_for("attr") or ctx.conditions and (ctx.guards(node.attr) or ctx.guards("*")):
            continue
        yield Violation(node.lineno, node.col_offset, found.code, found.message, found.rule, found.fix)


def _chain_base(info, name: str, scope) -> Optional[str]:
    """The one qualified name ``name`` resolves to in ``scope``, unless that is the backend (which has rules of its
    own: K.mean and the like); None otherwise."""
    resolved = info.resolve_name(name, scope)
    if not resolved or len(resolved) != 1:
        return None
    base = next(iter(resolved))
    if base in _BACKENDS or base.startswith(_IN_BACKENDS):
        return None
    return base


def _import_roots(info) -> FrozenSet[str]:
    """Names an attribute chain into keras can start from: bound by an import that the line pre-selection always
    follows (``import keras``, ``import tensorflow as tf``, ``from tensorflow import keras``) or by an import of a
    ``keras.*`` path (``from keras import layers``, whose lines are walked where a chain may be reported)."""
    names = set()
    for event in info.imports:
        for name, binding in _import_bindings(event.node):
            if binding is not None and _leads(binding):
                names.add(name)
    return frozenset(names)


@lru_cache(maxsize=100_000)  # the same few qualified names come back in every file
def _leads(binding: str) -> bool:
    """Whether a name bound to ``binding`` can start a chain the import rules judge."""
    return bool(lead_strength(binding, layer_calls=False) or is_chain_root(binding))


def _alias_roots(info, roots: FrozenSet[str]) -> FrozenSet[str]:
    """Aliases of import roots (``L = keras.layers``; ``L2 = L``, as the pre-selection follows aliases)."""
    if not roots:
        return frozenset()  # aliases can only lead from an imported root
    aliases = []
    scopes = {id(event.scope): event.scope for event in info.attributes}
    for scope in scopes.values():
        for name, bindings in scope.bindings.items():
            aliases.extend((name, binding.value) for binding in bindings if isinstance(binding, Lazy))
    names = set(roots)
    changed = bool(aliases)
    while changed:
        changed = False
        for name, value in aliases:
            while isinstance(value, ast.Attribute):
                value = value.value
            if name not in names and isinstance(value, ast.Name) and value.id in names:
                names.add(name)
                changed = True
    return frozenset(names - roots)


@lru_cache(maxsize=4)
def judge_for(api: ApiSurface, settings: Settings) -> "ImportJudge":
    """One judge per target and code selection, kept across files (its caches are per target)."""
    return ImportJudge(api, settings)


class ImportJudge:
    """Looks paths up in the target's releases; one per target and code selection (see judge_for)."""

    def __init__(self, api: ApiSurface, settings: Settings) -> None:
        self.api = api
        self.settings = settings
        self.data: KerasApi = load_keras_api()
        self.target = settings.target
        self.keras3 = self.target.includes_keras3
        #: indices of the target's releases in the data
        self._target = frozenset(self.data.index[r.label] for r in self.target.releases if r.label in self.data.index)
        #: path -> the KBL108 finding for it (at the first position it was met), or None
        self._attribute_findings: Dict[str, Optional[Violation]] = {}
        #: (from-import, module, imported names) -> the statement's findings (at its first position)
        self._statements: Dict[tuple, List[Violation]] = {}
        self._missing_modules: Dict[Tuple[str, str], List[Release]] = {}
        self._moves: Dict[tuple, Optional[Move]] = {}
        #: (flavour, module, name) -> the finding for ``from <module> import <name>`` (at no position), or None
        self._imported: Dict[Tuple[str, str, str], Optional[Violation]] = {}
        self._missing_names: Dict[Tuple[str, str, str], List[Release]] = {}

    def _index(self, release: Release) -> Optional[int]:
        return self.data.index.get(release.label)

    def _releases(self, indices) -> List[Release]:
        return [r for r in self.target.releases if self.data.index.get(r.label) in indices]

    def missing_module(self, flavour: str, module: str) -> List[Release]:
        """Releases of the target (where the flavour is covered) that cannot import ``module``."""
        return list(self._missing_module(flavour, module))

    def _missing_module(self, flavour: str, module: str) -> List[Release]:
        """``missing_module``, once per path (the list is shared: never changed)."""
        key = (flavour, module)
        found = self._missing_modules.get(key)
        if found is None:
            found = self._missing_modules[key] = self._find_missing_module(flavour, module)
        return found

    def _find_missing_module(self, flavour: str, module: str) -> List[Release]:
        if not self.data.known_module(flavour, module):
            return []
        gone = self._target & self.data.covered_releases(flavour) - self.data.module_releases(flavour, module)
        return self._releases(gone) if gone else []

    def missing_name(self, flavour: str, module: str, name: str) -> List[Release]:
        """Releases of the target whose ``module`` exists but lacks ``name`` (a submodule counts as present for
        an import, which imports it; for an attribute it may have been imported elsewhere: present too)."""
        return list(self._missing_name(flavour, module, name))

    def _missing_name(self, flavour: str, module: str, name: str) -> List[Release]:
        """``missing_name``, once per path (the list is shared: never changed)."""
        key = (flavour, module, name)
        found = self._missing_names.get(key)
        if found is None:
            found = self._missing_names[key] = self._find_missing_name(flavour, module, name)
        return found

    def _find_missing_name(self, flavour: str, module: str, name: str) -> List[Release]:
        data = self.data
        gone = self._target & data.module_releases(flavour, module)
        if not gone:
            return []
        gone = gone - data.name_releases(flavour, module, name) - data.unknown_name_releases(flavour, module)
        if gone and data.known_module(flavour, f"{module}.{name}"):
            gone = gone - data.module_releases(flavour, f"{module}.{name}")
        return self._releases(gone) if gone else []

    def _last(self, flavour: str, missing: List[Release], present: FrozenSet[int]) -> str:
        """`` (last in 2.12)`` / `` (added in 3.5)`` from the data's releases (``present``: the indices of the ones
        that have it): the nearest one before the first missing release, else the nearest one after it."""
        first = self.data.index.get(missing[0].label, 0)
        before = [index for index in present if index < first]
        if before:
            return f" (last in {self._short(max(before))})"
        after = [index for index in present if first < index < len(self.data.releases)]
        if after:
            return f" (added in {self._short(min(after))})"
        return ""

    def _name_present(self, flavour: str, module: str, name: str) -> FrozenSet[int]:
        """Indices of the releases where ``data.has_name(flavour, module, name, i)`` is true."""
        data = self.data
        return (
            data.module_releases(flavour, module) - data.unknown_name_releases(flavour, module)
        ) & data.name_releases(flavour, module, name)

    def _short(self, index: int) -> str:
        release = self.api.by_label.get(self.data.releases[index])
        return describe([release], [release]) if release is not None else self.data.releases[index]

    def move(self, flavour: str, path: str, missing: List[Release]) -> Optional[Move]:
        """The same object's public path, when it exists in every release where the old one is missing."""
        new = self.data.moved(flavour, path)
        if new is None:
            return None
        key = (flavour, path, tuple(missing))
        found = self._moves.get(key, _UNSEEN)
        if found is _UNSEEN:
            module, _, name = new.rpartition(".")
            present = self._name_present(flavour, module, name)  # where data.has_name(...) is true
            found = Move(module, name)
            for release in missing:
                if self._index(release) not in present:  # None (not in the data) is in no set of indices
                    found = None
                    break
            self._moves[key] = found
        return found  # type: ignore[return-value]

    def hint(self, flavour: str, path: str, missing: List[Release]) -> str:
        moved = self.move(flavour, path, missing)
        if moved is not None:
            return f"use {moved.module}.{moved.name}"
        later = self._added_in_target(flavour, path, missing)
        if later is not None:
            return f"it is there from Keras {later}: require that version (and raise the target) or guard the use"
        way = keras3_way(path, self.keras3 and any(r.version.major >= 3 for r in missing))
        if way:
            return way
        went = self.names_went(flavour, path) if self.data.known_module(flavour, path) else None
        if went is not None:  # a module used as an attribute
            return f"use {went}, where its names are"
        return KERAS3_API if self.keras3 else KERAS2_WAY

    def names_went(self, flavour: str, module: str) -> Optional[str]:
        """The module most of the moved names of a gone ``module`` live in now, or None."""
        counts: Dict[str, int] = {}
        for new in self.data.moves_from(flavour, module).values():
            parent = new.rpartition(".")[0]
            counts[parent] = counts.get(parent, 0) + 1
        return min(counts.items(), key=lambda item: (-item[1], item[0]))[0] if counts else None

    def _added_in_target(self, flavour: str, path: str, missing: List[Release]) -> Optional[str]:
        """The first release of the target that has ``path`` when only older ones lack it (keras.ops.x of 3.6 for
        a target of 3.x), else None."""
        module, _, name = path.rpartition(".")
        if self.data.known_module(flavour, path):
            present = self.data.module_releases(flavour, path)
        else:
            present = self.data.name_releases(flavour, module, name)
        having = [r for r in self.target.releases if self._index(r) in present]
        if not having or min(r.version for r in having) < max(r.version for r in missing):
            return None
        first = min(having, key=lambda r: r.version)
        return describe([first], [first])

    # -- the checks ------------------------------------------------------------------------------------------
    def statement_findings(self, node: ast.AST, module: str) -> List[Violation]:
        """``import_statement``'s findings, once per statement text (positioned at the first one met)."""
        if isinstance(node, ast.ImportFrom):
            key: tuple = (True, module, tuple((a.name, a.asname) for a in node.names))
        else:
            key = (False, module)
        found = self._statements.get(key)
        if found is None:
            if len(self._statements) > 50_000:
                self._statements.clear()
            found = self._statements[key] = list(self.import_statement(node, module))
        return found

    def import_statement(self, node: ast.AST, module: str) -> Iterator[Violation]:
        flavour, module = flavour_of(module)  # type: ignore[misc]
        missing = self._missing_module(flavour, module)
        if missing:
            yield self._module_violation(node, flavour, module, missing)
            return
        if not isinstance(node, ast.ImportFrom):
            return
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        for alias in node.names:
            found = self._imported_name(flavour, module, alias.name)
            if found is not None:
                yield Violation(line, col, found.code, found.message, found.rule, found.fix)

    def _imported_name(self, flavour: str, module: str, name: str) -> Optional[Violation]:
        """The finding for ``from <module> import <name>`` (at no position), once per path."""
        key = (flavour, module, name)
        found = self._imported.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = self._imported[key] = self._judge_imported_name(flavour, module, name)
        return found  # type: ignore[return-value]

    def _judge_imported_name(self, flavour: str, module: str, name: str) -> Optional[Violation]:
        if name == "*" or name.startswith("__") and name.endswith("__"):
            return None  # dunders (__version__) are not recorded in the data
        sub = f"{module}.{name}"
        if self.data.known_module(flavour, sub) and self._missing_module(flavour, sub):
            return self._module_violation(None, flavour, sub, self._missing_module(flavour, sub), alias=True)
        gone = self._missing_name(flavour, module, name)
        if not gone:
            return None
        moved = self.move(flavour, sub, gone)
        if moved is not None and self.settings.enabled("KBL107"):
            return self._name_violation(None, flavour, module, name, gone, rules.SAFE)
        elif self.settings.enabled("KBL107"):
            return self._name_violation(None, flavour, module, name, gone, rules.NO_FIX)
        return None

    def _name_violation(self, node, flavour, module, name, gone, fix) -> Violation:
        return violation(
            rules.KBL107,
            node,
            fix,
            name=name,
            module=module,
            target=target_label(self.api, gone),
            last=self._last(flavour, gone, self._name_present(flavour, module, name)),
            hint=self.hint(flavour, f"{module}.{name}", gone),
        )

    def _module_violation(self, node, flavour, module, missing, alias: bool = False) -> Violation:
        hint, fix = self.module_hint(node, flavour, module, missing, alias)
        return violation(
            rules.KBL106,
            node,
            fix,
            module=module,
            target=target_label(self.api, missing),
            last=self._last(flavour, missing, self.data.module_releases(flavour, module)),
            hint=hint,
        )

    def module_hint(self, node, flavour: str, module: str, missing: List[Release], alias: bool) -> Tuple[str, str]:
        """For ``from <gone module> import a, b``: where a and b live now (fixable when all of them moved);
        otherwise the module's reviewed hint or where most of its names went."""
        if isinstance(node, ast.ImportFrom) and not alias:
            moves = self.statement_moves(node, flavour, module, missing)
            if moves is not None:
                return "import " + _describe_moves(node, moves), rules.SAFE
            names = [a.name for a in node.names if a.name != "*"]
            known = {n: self.move(flavour, f"{module}.{n}", missing) for n in names}
            parts = [f"{n} is {m.module}.{m.name}" for n, m in known.items() if m is not None]
            others = [n for n, m in known.items() if m is None]
            ways = [f"{n}: {self.hint(flavour, f'{module}.{n}', missing)}" for n in others]
            if parts and ways:
                return "; ".join(parts + ways), rules.NO_FIX
            if len(others) == 1 and ways and keras3_way(f"{module}.{others[0]}", self.keras3):
                return ways[0].split(": ", 1)[1], rules.NO_FIX
        way = keras3_way(module, self.keras3)
        if way:
            return way, rules.NO_FIX
        went = self.names_went(flavour, module)
        if went is not None:
            return f"import its names from {went}", rules.NO_FIX
        return (KERAS3_API if self.keras3 else KERAS2_WAY), rules.NO_FIX

    def statement_moves(self, node: ast.ImportFrom, flavour: str, module: str, missing) -> Optional[List[Move]]:
        """A move for every imported name of ``from <module> import ...``, or None."""
        moves = []
        for alias in node.names:
            if alias.name == "*":
                return None
            moved = self.move(flavour, f"{module}.{alias.name}", missing)
            if moved is None:
                return None
            moves.append(moved)
        return moves

    def is_module(self, path: str) -> bool:
        """Whether ``path`` (``keras.layers``) is a ``keras.*`` module some release has: a root chains lead from."""
        found = flavour_of(path)
        return found is not None and self.data.known_module(*found)

    def may_report(self, qname: str) -> bool:
        """Whether ``attribute_finding`` reports the path ``qname``: the line pre-selection's test."""
        return self.attribute_finding(qname) is not None

    def attribute_finding(self, qname: str) -> Optional[Violation]:
        """``keras.layers.merge`` / ``keras.utils.np_utils.to_categorical``: only the first missing link is
        reported (an outer link whose parent module is missing says nothing). For any dotted path (None unless a
        ``keras.*`` one), once per path and target; its position is the first one met, each use takes its own."""
        found = self._attribute_findings.get(qname, _UNSEEN)
        if found is _UNSEEN:
            found = None
            if flavour_of(qname) is not None:
                fields = self._attribute_fields(qname)
                if fields is not None:
                    found = violation(rules.KBL108, None, **fields)
            self._attribute_findings[qname] = found
        return found  # type: ignore[return-value]

    def _attribute_fields(self, qname: str) -> Optional[dict]:
        flavour, qname = flavour_of(qname)  # type: ignore[misc]
        parent, _, name = qname.rpartition(".")
        if name.startswith("__") and name.endswith("__"):
            return None
        if not self.data.known_module(flavour, parent) or self._missing_module(flavour, parent):
            return None
        gone = self._missing_name(flavour, parent, name)
        if not gone or not self.settings.enabled("KBL108"):
            return None
        if self.data.known_module(flavour, qname):
            present = self.data.module_releases(flavour, qname)
        else:
            present = self._name_present(flavour, parent, name)
        return dict(
            expr=qname,
            module=parent,
            target=target_label(self.api, gone),
            last=self._last(flavour, gone, present),
            hint=self.hint(flavour, qname, gone),
        )


def _describe_moves(node: ast.ImportFrom, moves: List[Move]) -> str:
    """``concatenate from keras.layers`` / ``Layer from keras.layers, to_categorical from keras.utils``."""
    by_module: Dict[str, List[str]] = {}
    for alias, move in zip(node.names, moves):
        text = move.name if move.name == alias.name else f"{move.name} as {alias.asname or alias.name}"
        by_module.setdefault(move.module, []).append(text)
    return ", ".join(f"{', '.join(names)} from {module}" for module, names in by_module.items())
