"""From the checker's findings to a plan: one handler per fixable rule, everything else accounted as left."""
from __future__ import annotations

import ast
from typing import Collection, Dict, Iterable, List, Optional, Tuple

from ..checks.common import BACKEND_MODULES, LEAKED_MODULES
from ..replacements import replacement_for
from ..report import Violation
from .arguments import CallEdit, identity
from .branches import plan_branch
from .names import DIRECT_MODULES
from .module_imports import (
    _REEXPORTED, _module_imports, _moved_attributes, _private_tf_keras_imports, _submodule_imports,
)
from .plan import MANUAL, NOT_FIXED, Plan, Planner, _advice, _allowed, _bound_name, root_name, runs_at_import

AMBIGUOUS = (NOT_FIXED, "the backend binding is ambiguous here")


def plan_findings(
    tree: ast.Module, source: str, settings, findings: Collection[Violation], *, unsafe: bool = False,
    reexports=None,
) -> Plan:
    planner = Planner(tree, source, settings, unsafe, reexports)
    plan = planner.plan
    todo: Dict[Tuple[int, int, str], List[Violation]] = {}
    for v in findings:  # KBL102 reports each missing name of one import statement at the statement
        todo.setdefault((v.line, v.col, v.code), []).append(v)
    outcome: Dict[Tuple[int, int, str], Optional[Tuple[str, str]]] = {}

    _attributes(planner, todo, outcome)
    _imports(planner, todo, outcome)
    for event in planner.info.compares:
        key = (event.node.lineno, event.node.col_offset, "KBL301")
        if key in todo:
            outcome[key] = plan_branch(planner, event.node)
    _moved_attributes(planner, todo, outcome)
    _module_imports(planner, todo, outcome)
    _submodule_imports(planner, todo, outcome)
    _private_tf_keras_imports(planner, todo, outcome)
    _remove_unused_imports(planner)
    planner.place_imports()

    for key, found in sorted(todo.items()):
        for v in found:
            result = outcome.get(key, (MANUAL, _manual_reason(v)))
            if result is None:
                plan.fixed.append(v)
            else:
                plan.left.append((v, result[0], result[1]))
    return plan


def _manual_reason(v: Violation) -> str:
    """The advice part of a message (after the last '; '), for findings no fix handles."""
    return v.message.rpartition("; ")[2] or v.message


def _attributes(planner: Planner, todo, outcome) -> None:
    """KBL201 / KBL204: attribute access on the backend."""
    for event in planner.info.attributes:
        node = event.node
        # nested attributes start at the same column (`K.tf.stack`, `K.tf`): the message names the expression
        spelled = None
        for code in ("KBL201", "KBL204", "KBL203"):
            key = (node.lineno, node.col_offset, code)
            if key in todo:
                spelled = spelled or ast.unparse(node) + " "
                if any(v.message.startswith(spelled) for v in todo[key]):
                    break
        else:
            continue
        if outcome.get(key, AMBIGUOUS) is not AMBIGUOUS:
            continue
        qnames = planner.info.resolve_expr(node.value, event.scope)
        if not qnames or any(q not in BACKEND_MODULES and not _backend_submodule(q) for q in qnames):
            outcome.setdefault(key, AMBIGUOUS)
            continue
        root = root_name(node.value)
        anchors = planner.anchors_for(root, event.scope)
        if code == "KBL204":
            result = _module_use(planner, node, anchors)
        elif code == "KBL203":
            result = _private_use(planner, node, anchors)
        else:
            result = planner.use(node, node.attr, anchors, runs_at_import(event.scope))
        outcome[key] = result
        if result is None and root is not None and not (code == "KBL204" and node.attr in _REEXPORTED):
            planner.consumed.append(root)  # (K.tensorflow_backend.f keeps its K: it becomes K.f)


def _private_use(planner: Planner, node: ast.Attribute, anchors) -> Optional[Tuple[str, str]]:
    """KBL203: ``K._BACKEND`` (the selected backend's name) is ``keras.config.backend()``; other private names have
    no public equivalent the fixer can spell."""
    if node.attr != "_BACKEND" or not isinstance(node.ctx, ast.Load):
        return MANUAL, "private backend state has no public Keras 3 equivalent; see the rule's page"
    if not anchors:
        return NOT_FIXED, "no import of the backend to place the new import next to"
    pending: list = []
    spelled = planner.spell("keras.config.backend", pending)
    if spelled is None:
        return NOT_FIXED, "keras.config.backend cannot be spelled for this target"
    planner.plan.refs[planner.lines.pos(node)] = CallEdit(spelled + "()")
    planner.need(pending, anchors)
    return None


def _backend_submodule(qname: str) -> bool:
    """``keras.backend.tensorflow_backend`` and the like: their uses are fixed like ``K.x`` (``keras.backend.tf``
    is a leaked module, not a backend)."""
    from ..surface import load

    return qname.startswith("keras.backend.") and qname.count(".") == 2 and (
        qname.rpartition(".")[2] in load().all_submodules
    )


def _module_use(planner: Planner, node: ast.Attribute, anchors) -> Optional[Tuple[str, str]]:
    """``K.tf`` -> ``tf`` (importing tensorflow next to the backend import); ``K.tensorflow_backend.f`` ->
    ``K.f`` (keras.backend re-exported that submodule's names; what is missing then is reported as ``K.f``)."""
    if node.attr in _REEXPORTED:
        planner.plan.modules[planner.lines.pos(node)] = ast.unparse(node.value)
        return None
    module = LEAKED_MODULES.get(node.attr)
    if module not in DIRECT_MODULES:
        return MANUAL, f"import {module or node.attr} directly"
    if not anchors:
        return NOT_FIXED, "no import of the backend to place the new import next to"
    pending: list = []
    spelled = planner.spell(module, pending)
    if spelled is None:
        return NOT_FIXED, f"{module} cannot be spelled here (its name is taken in this file)"
    planner.plan.modules[planner.lines.pos(node)] = spelled
    planner.need(pending, anchors)
    return None


def _imports(planner: Planner, todo, outcome) -> None:
    """KBL102: ``from keras.backend import name``."""
    wanted = {(line, col) for line, col, code in todo if code == "KBL102"}
    if not wanted:
        return
    for event in planner.info.imports:
        node = event.node
        if not isinstance(node, ast.ImportFrom) or (node.lineno, node.col_offset) not in wanted:
            continue
        key = (node.lineno, node.col_offset, "KBL102")
        surface = BACKEND_MODULES.get(node.module or "")
        if surface is None:
            outcome[key] = (MANUAL, _advice(None))
            continue
        outcome[key] = _plan_import(planner, node, surface, runs_at_import(event.scope))


def _plan_import(
    planner: Planner, node: ast.ImportFrom, surface: str, at_import_time: bool
) -> Optional[Tuple[str, str]]:
    """Rewrite the module of the whole import when every name maps 1:1 onto one Keras 3 module; else rewrite the
    uses of each name and drop it from the import. One finding covers the statement: fixed when nothing is left."""
    plan, names, lines = planner.plan, planner.names, planner.lines
    target = planner.settings.target
    missing = [a for a in node.names if _missing(planner, surface, a.name)]
    entries = [(alias, replacement_for(alias.name)) for alias in missing]
    if entries and len(entries) == len(node.names) and all(
        e is not None and e.target is not None and _allowed(e.safety, planner.unsafe) and not e.rewrite
        and e.target.rpartition(".")[2] == alias.name and identity(e, alias.name)
        for alias, e in entries
    ):
        modules = {e.target.rpartition(".")[0] for _, e in entries}  # type: ignore[union-attr]
        from .targets import unavailable_in_target

        if len(modules) == 1 and not any(unavailable_in_target(e.target, target) for _, e in entries):
            plan.import_modules[lines.pos(node)] = modules.pop()
            return None
    left: Optional[Tuple[str, str]] = None
    for alias, entry in entries:
        bound = alias.asname or alias.name
        if names.bindings.get(bound) != [f"{node.module}.{alias.name}"]:
            left = left or (NOT_FIXED, f"{bound} is bound elsewhere too; its uses cannot be told apart")
            continue
        saved = _snapshot(plan, planner)
        results = [planner.use(use, alias.name, [node], at_import_time) for use in names.loads.get(bound, [])]
        failed = next((r for r in results if r is not None), None)
        if failed is None:
            plan.remove_aliases.setdefault(lines.pos(node), set()).add(bound)
        else:
            _restore(plan, planner, saved)
            left = left or failed
    return left


def _missing(planner: Planner, surface: str, name: str) -> bool:
    from ..checks.names import check_name
    from ..surface import load

    v = check_name(load(), planner.settings, frozenset({surface}), name, ast.Pass(lineno=1, col_offset=0), name,
                   imported=True)
    return v is not None and v.code == "KBL102"


def _snapshot(plan: Plan, planner: Planner):
    return (dict(plan.calls), dict(plan.nodes), dict(plan.refs), len(planner.needs))


def _restore(plan: Plan, planner: Planner, saved) -> None:
    plan.calls, plan.nodes, plan.refs = saved[0], saved[1], saved[2]
    del planner.needs[saved[3]:]


def _remove_unused_imports(planner: Planner) -> None:
    """Drop backend imports nothing uses any more (a name listed in ``__all__`` is used by importers)."""
    tree, names, plan = planner.tree, planner.names, planner.plan
    exported = set(_dunder_all(tree))
    consumed = {id(node) for node in planner.consumed}
    removed = sorted(_span(node) for node in planner.removed)
    for bound in names.bindings:
        qname = names.only(bound)
        if bound in exported or not (qname in BACKEND_MODULES or _backend_submodule(qname or "")):
            continue
        loads = names.loads.get(bound, ())
        if not loads or not all(id(use) in consumed or _inside(_span(use), removed) for use in loads):
            continue  # still used (or never used: an import that was unused before is not ours to remove)
        for event in planner.info.imports:
            node = event.node
            if any(_bound_name(node, alias) == bound for alias in node.names):
                plan.remove_aliases.setdefault(planner.lines.pos(node), set()).add(bound)


def _dunder_all(tree: ast.Module) -> Iterable[str]:
    for stmt in tree.body:
        if not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            continue
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and isinstance(
            stmt.value, (ast.List, ast.Tuple)
        ):
            for elt in stmt.value.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    yield elt.value


__all__ = ["plan_findings"]


def _span(node: ast.AST) -> Tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0)


def _inside(span, regions) -> bool:
    start, end = span[:2], span[2:]
    return any(r[:2] <= start and end <= r[2:] for r in regions)
