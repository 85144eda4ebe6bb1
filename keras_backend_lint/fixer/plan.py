"""Planning: decide every edit on the ``ast`` tree, from the checker's own findings, before libcst is loaded.

Every finding handed in ends up in ``Plan.fixed`` or in ``Plan.left`` with a kind and a reason, so the command can
say what is left. Decisions are per call site: a rewrite may be safe at one call and unsafe at another.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from ..bindings import ModuleInfo, _owning_scope
from ..walk import analyse
from ..checks.common import BACKEND_MODULES, LEAKED_MODULES
from ..replacements import NONE, SAFE, UNSAFE, Replacement, replacement_for
from ..report import Violation
from .arguments import CallEdit, bind, identity, map_call
from .lines import Lines, Pos
from .names import DIRECT_MODULES, Aliases, ImportSpec, Names
from .targets import unavailable_in_target

UNSAFE_KIND, MANUAL, NOT_FIXED = "unsafe", "manual", "not-fixed"
Left = Tuple[Violation, str, str]  # (finding, kind, reason)


@dataclass
class Plan:
    calls: Dict[Pos, CallEdit] = field(default_factory=dict)  # Call node -> new function/arguments or template
    nodes: Dict[Pos, str] = field(default_factory=dict)  # another expression (a comparison) -> replacement text
    refs: Dict[Pos, CallEdit] = field(default_factory=dict)  # bare K.name / name reference -> new path
    modules: Dict[Pos, str] = field(default_factory=dict)  # K.tf -> alias expression text
    #: ImportFrom position -> new module for a whole ``from keras.backend import a, b``
    import_modules: Dict[Pos, str] = field(default_factory=dict)
    #: names whose import alias is removed (bound name), per import statement position
    remove_aliases: Dict[Pos, Set[str]] = field(default_factory=dict)
    #: Import / ImportFrom position -> the statement that replaces it (a removed backend submodule's binding)
    import_rewrites: Dict[Pos, str] = field(default_factory=dict)
    #: If / IfExp position -> the branch that stays ("body" or "orelse")
    branches: Dict[Pos, str] = field(default_factory=dict)
    #: statement (an import) position -> imports to add right after it (or in its place when it is removed)
    add_after: Dict[Pos, List[ImportSpec]] = field(default_factory=dict)
    fixed: List[Violation] = field(default_factory=list)
    left: List[Left] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.calls or self.nodes or self.refs or self.modules or self.import_modules or self.remove_aliases
            or self.branches or self.import_rewrites
        )

    def lines(self) -> Set[int]:
        keys = [*self.calls, *self.nodes, *self.refs, *self.modules, *self.import_modules, *self.remove_aliases,
                *self.branches, *self.add_after, *self.import_rewrites]
        return {k[0] for k in keys} | {k[2] for k in keys}


def _allowed(kind: str, unsafe: bool) -> bool:
    return kind == SAFE or (unsafe and kind == UNSAFE)


@dataclass
class _Use:
    """One planned rewrite that may need an import: where its binding lives decides where the import goes."""

    spec: ImportSpec
    anchors: List[ast.stmt]


class Planner:
    def __init__(self, tree: ast.Module, source: str, settings, unsafe: bool, reexports=None) -> None:
        self.tree, self.source, self.settings, self.unsafe = tree, source, settings, unsafe
        self.info: ModuleInfo = analyse(tree, project=reexports)
        self.names = Names(tree)
        self.lines = Lines(source)
        self.plan = Plan()
        self.parents: Dict[int, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
        unguarded = {
            _bound_name(event.node, alias)
            for event in self.info.imports
            if event.context.top_level and not event.context.conditions and not event.context.catches
            for alias in event.node.names
        }
        self.aliases = Aliases(self.names, unguarded)
        self.star_line = max(
            (e.node.end_lineno or e.node.lineno for e in self.info.imports
             if e.context.top_level and any(a.name == "*" for a in e.node.names)),
            default=0,
        )
        self.needs: List[_Use] = []
        #: loads of backend aliases that edits rewrite away, and code the plan deletes (dead branches, constant
        #: comparisons): an import none of whose loads survive is removed
        self.consumed: List[ast.Name] = []
        self.removed: List[ast.AST] = []

    # -- spelling ------------------------------------------------------------------------------------------------
    def spell(self, target: str, pending: List[ImportSpec]) -> Optional[str]:
        """The file's spelling of ``target``, or None; the import it needs is appended to ``pending``."""
        if unavailable_in_target(target, self.settings.target):
            return None
        spelled = self.aliases.spell(target)
        if spelled is None:
            return None
        if spelled[1] is not None and spelled[1] not in pending:
            pending.append(spelled[1])
        return spelled[0]

    def anchors_for(self, root: Optional[ast.Name], scope) -> List[ast.stmt]:
        """The import statements binding ``root`` where the use finds it: new imports go right after them."""
        if root is None:
            return []
        owner = _owning_scope(root.id, scope)
        found = [
            e for e in self.info.imports
            if e.scope is owner and any(_bound_name(e.node, a) == root.id for a in e.node.names)
        ]
        if not found:
            return []
        found.sort(key=lambda e: (e.node.lineno, e.node.col_offset))
        first = found[0]
        if not first.context.catches and not first.context.conditions:
            found = [first]  # one unconditional import dominates the rest of its block
        nodes: List[ast.stmt] = [e.node for e in found]  # type: ignore[misc]
        if owner is self.info.module_scope and self.names.stars:
            stars = [e.node for e in self.info.imports
                     if e.context.top_level and any(a.name == "*" for a in e.node.names)]
            last = max(stars, key=lambda n: n.lineno) if stars else None
            if last is not None and all(n.lineno < last.lineno for n in nodes) and not first.context.catches:
                nodes = [last]  # after the last star import, which could otherwise shadow the new name
        return nodes

    # -- one use of a backend name -------------------------------------------------------------------------------
    def use(self, ref: ast.AST, name: str, anchors: List[ast.stmt], at_import_time: bool) -> Optional[Tuple[str, str]]:
        """Plan the rewrite of one use of backend ``name`` (``ref`` is ``K.name`` or a bare Name).

        Returns None when planned, else ``(kind, reason)`` for the summary.
        """
        entry = replacement_for(name)
        if entry is None or entry.target is None or entry.kind != "call" or entry.safety == NONE:
            return MANUAL, _advice(entry)
        if not anchors:
            return NOT_FIXED, "no import of the backend to place the new import next to"
        if at_import_time and ref.lineno <= self.star_line:
            return NOT_FIXED, "runs at import time above a star import that the new import must follow"
        pending: List[ImportSpec] = []
        call = self.parents.get(id(ref))
        call = call if isinstance(call, ast.Call) and call.func is ref else None
        if entry.rewrite:
            if call is None:
                return NOT_FIXED, f"K.{name} is used as a value here, not called; only calls are rewritten"
            outcome = self._rewrite(entry, name, call, pending)
            if outcome is None:
                return NOT_FIXED, _unavailable(entry, self.settings.target)
            if outcome.template is None:
                return NOT_FIXED, outcome.reason
            if not _allowed(outcome.safety, self.unsafe):
                return UNSAFE_KIND, outcome.reason
            node = outcome.node or call
            if node is call:
                self.plan.calls[self.lines.pos(call)] = CallEdit("", template=outcome.template)
            else:
                self.plan.nodes[self.lines.pos(node)] = outcome.template.replace("{{", "{").replace("}}", "}")
        else:
            if not _allowed(entry.safety, self.unsafe):
                return UNSAFE_KIND, entry.note or "the Keras 3 function differs in some cases"
            spelled = self.spell(entry.target, pending)
            if spelled is None:
                return NOT_FIXED, _unavailable(entry, self.settings.target)
            if call is not None:
                edit = map_call(entry, name, call)
                if edit is None:
                    return NOT_FIXED, "the arguments cannot be mapped (*args/**kwargs, unknown keywords, or a " \
                                      "dropped parameter passed with another value)"
                edit.target = spelled
                self.plan.calls[self.lines.pos(call)] = edit
            else:
                if not identity(entry, name):
                    return NOT_FIXED, f"K.{name} is used as a value and {entry.target} takes other arguments"
                self.plan.refs[self.lines.pos(ref)] = CallEdit(spelled)
        self.need(pending, anchors)
        return None

    def need(self, pending: List[ImportSpec], anchors: List[ast.stmt]) -> None:
        """Record the imports a planned edit needs, to be placed after ``anchors``."""
        for spec in pending:
            self.needs.append(_Use(spec, anchors))

    def _rewrite(self, entry: Replacement, name: str, call: ast.Call, pending: List[ImportSpec]):
        from .rewrites import NotSpellable, Site, load_all

        bound = bind(entry, name, call)
        if bound is None:
            from .rewrites import not_fixed

            return not_fixed("the arguments cannot be bound (*args/**kwargs or unknown keywords)")
        missing = [p.name for p in entry.params if p.default is None and p.name not in bound]
        if missing:
            from .rewrites import not_fixed

            return not_fixed(f"the call lacks {missing[0]}, which K.{name} required")
        site = Site(name, entry, call, bound, self.parents.get(id(call)), lambda t: self.spell(t, pending),
                    self.parents, self.names)
        try:
            return load_all()[entry.rewrite](site)  # type: ignore[index]
        except NotSpellable:
            return None

    # -- imports --------------------------------------------------------------------------------------------------
    def place_imports(self) -> None:
        for need in self.needs:
            for anchor in need.anchors:
                specs = self.plan.add_after.setdefault(self.lines.pos(anchor), [])
                if need.spec not in specs:
                    specs.append(need.spec)


def _bound_name(node: ast.AST, alias: ast.alias) -> str:
    if alias.asname:
        return alias.asname
    if isinstance(node, ast.ImportFrom):
        return alias.name
    return alias.name.split(".", 1)[0]


def _advice(entry: Optional[Replacement]) -> str:
    if entry is None:
        return "no Keras 3 replacement is known; see the rule's page"
    return entry.note or (f"use {entry.target}" if entry.target else "no Keras 3 equivalent")


def _unavailable(entry: Replacement, target) -> str:
    from .targets import missing_releases

    missing = missing_releases(entry.target or "", target)
    if missing:
        return f"{entry.target} is missing in Keras {missing} of the target {target.label}; " \
            "no single spelling covers it"
    return f"{entry.target} cannot be spelled here (its name is taken in this file)"


def root_name(node: ast.AST) -> Optional[ast.Name]:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node if isinstance(node, ast.Name) else None


def runs_at_import(scope) -> bool:
    """Module and class bodies run when the module is imported; function bodies later."""
    while scope is not None:
        if scope.kind == "function":
            return False
        scope = scope.parent
    return True


__all__ = ["Plan", "Planner", "Left", "UNSAFE_KIND", "MANUAL", "NOT_FIXED", "BACKEND_MODULES", "LEAKED_MODULES",
           "DIRECT_MODULES", "root_name", "runs_at_import"]
