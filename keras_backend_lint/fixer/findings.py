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
from .plan import MANUAL, NOT_FIXED, Plan, Planner, _advice, _allowed, _bound_name, root_name, runs_at_import

#: codes with a fix of some kind (the rest are always "left, no automatic fix")
FIXABLE = ("KBL102", "KBL201", "KBL204", "KBL301")
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


__all__ = ["plan_findings", "FIXABLE"]


def _span(node: ast.AST) -> Tuple[int, int, int, int]:
    return (node.lineno, node.col_offset, node.end_lineno or node.lineno, node.end_col_offset or 0)


def _inside(span, regions) -> bool:
    start, end = span[:2], span[2:]
    return any(r[:2] <= start and end <= r[2:] for r in regions)


#: backend submodules whose public names ``keras.backend`` re-exported: binding the name to ``keras.backend``
#: instead keeps every use that still exists there and breaks none that did not already break
_REEXPORTED = ("tensorflow_backend", "common")


def _submodule_imports(planner: Planner, todo, outcome) -> None:
    """KBL101 on ``import keras.backend.tensorflow_backend as K`` / ``from keras.backend import common as C``:
    the binding becomes ``from keras import backend as K``; its uses are fixed like any ``K.x``."""
    for event in planner.info.imports:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL101")
        if key not in todo or len(node.names) != 1:
            continue
        alias = node.names[0]
        if isinstance(node, ast.Import):
            module, bound = alias.name, alias.asname
        else:
            module, bound = f"{node.module}.{alias.name}" if not node.level else "", alias.asname or alias.name
        sub = module.rpartition(".")[2]
        if not bound or module.rpartition(".")[0] != "keras.backend" or sub not in _REEXPORTED:
            continue
        if bound == "backend":
            planner.plan.import_rewrites[planner.lines.pos(node)] = "from keras import backend"
        else:
            planner.plan.import_rewrites[planner.lines.pos(node)] = f"from keras import backend as {bound}"
        outcome[key] = None


_PRIVATE = "tensorflow.python.keras"


def _private_tf_keras_imports(planner: Planner, todo, outcome) -> None:
    """KBL105 (one finding per file): every ``tensorflow.python.keras.X`` import becomes ``tensorflow.keras.X`` when
    each imported name is public there in every release of the target. Unsafe: TensorFlow's private copy is not
    the Keras that tf.keras gives (Keras 3 on TensorFlow >= 2.16), so classes and defaults may differ."""
    keys = [key for key in todo if key[2] == "KBL105"]
    if not keys:
        return
    from .plan import UNSAFE_KIND

    reason = "tensorflow.python.keras is a private copy of Keras 2; tf.keras of the target may differ in behaviour"
    rewrites = {}
    for event in planner.info.imports:
        node = event.node
        text = _public_import(planner, node)
        if text is None:
            continue
        if text.startswith("!"):
            for key in keys:
                outcome[key] = (NOT_FIXED, text[1:])
            return
        rewrites[planner.lines.pos(node)] = text
    if not rewrites:
        return
    if not planner.unsafe:
        for key in keys:
            outcome[key] = (UNSAFE_KIND, reason)
        return
    planner.plan.import_rewrites.update(rewrites)
    for key in keys:
        outcome[key] = None


def _public_import(planner: Planner, node) -> Optional[str]:
    """The public spelling of a private tf.keras import; None when the statement is not one; '!reason' when it
    cannot be rewritten."""
    from ..keras_api import load_keras_api

    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level or not (module == _PRIVATE or module.startswith(_PRIVATE + ".")):
            return None
        public = "tensorflow.keras" + module[len(_PRIVATE):]
        wanted = [(public, alias.name) for alias in node.names]
    else:
        names = [a.name for a in node.names if a.name == _PRIVATE or a.name.startswith(_PRIVATE + ".")]
        if not names:
            return None
        if len(node.names) != 1 or not node.names[0].asname:
            return "!only `import tensorflow.python.keras.X as Y` and from-imports are rewritten"
        public = "tensorflow.keras" + names[0][len(_PRIVATE):]
        wanted = [(public.rpartition(".")[0], public.rpartition(".")[2])]
    if any(alias.name == "*" for alias in node.names):
        return "!a star import from tensorflow.python.keras; import the names from tensorflow.keras"
    if "#" in planner.lines.lines[node.lineno - 1] or (node.end_lineno or node.lineno) != node.lineno:
        return "!an import over several lines or with a comment; rewrite it by hand"
    api = load_keras_api()
    for release in planner.settings.target.releases:
        index = api.index.get(release.label)
        for module, name in wanted:
            has = api.has_name("tf", module, name, index) if index is not None else None
            if not has and not (index is not None and api.has_module("tf", f"{module}.{name}", index)):
                return f"!{module}.{name} is not public in tf.keras for Keras {release.label}"
    if isinstance(node, ast.ImportFrom):
        names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names)
        return f"from {public} import {names}"
    return f"import {public} as {node.names[0].asname}"


def _moved_attributes(planner: Planner, todo, outcome) -> None:
    """KBL108 on ``keras.layers.convolutional`` in ``keras.layers.convolutional.Conv2D``: the whole chain becomes
    the same object's path in the target (``keras.layers.Conv2D``), spelled through the same root name. Safe: the
    data's ``moved`` table pairs paths that lead to one defining object, and the new path must exist in every
    release of the target."""
    keys = {key for key in todo if key[2] == "KBL108"}
    if not keys:
        return
    from ..checks.keras_imports import flavour_of
    from ..keras_api import load_keras_api

    api = load_keras_api()
    indices = [api.index.get(r.label) for r in planner.settings.target.releases]
    for event in planner.info.attributes:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL108")
        if key not in keys or outcome.get(key, AMBIGUOUS) is not AMBIGUOUS:
            continue
        qnames = planner.info.resolve_expr(node, event.scope)
        if not qnames or len(qnames) != 1:
            continue
        (qname,) = qnames
        if not any(v.message.startswith(qname + " ") for v in todo[key]):
            continue  # a nested attribute at the same column
        outer = planner.parents.get(id(node))
        found = flavour_of(qname)
        if not isinstance(outer, ast.Attribute) or outer.value is not node or found is None:
            outcome[key] = (MANUAL, _manual_reason(todo[key][0]))
            continue
        flavour = found[0]
        new = api.moved(flavour, f"{qname}.{outer.attr}")
        root = root_name(node)
        base = planner.info.resolve_expr(root, event.scope) if root is not None else None
        if new is None or not base or len(base) != 1:
            outcome[key] = (MANUAL, _manual_reason(todo[key][0]))
            continue
        (prefix,) = base
        module, _, name = new.rpartition(".")
        everywhere = all(
            i is not None and (api.has_name(flavour, module, name, i) or api.has_module(flavour, new, i))
            for i in indices
        )
        if not new.startswith(prefix + ".") or not everywhere:
            outcome[key] = (NOT_FIXED, f"{new} is not in every release of the target, or not reachable from "
                                       f"{root.id}" if root is not None else f"{new} cannot be spelled here")
            continue
        planner.plan.refs[planner.lines.pos(outer)] = CallEdit(root.id + new[len(prefix):])  # type: ignore[union-attr]
        outcome[key] = None


def _module_imports(planner: Planner, todo, outcome) -> None:
    """KBL106 on ``import keras.layers.core`` (binding ``keras``): it becomes ``import keras.layers``, the longest
    part of the path every release of the target has. The statement still binds ``keras`` and imports
    ``keras.layers``; only the missing module itself is no longer imported (its uses are KBL108, fixed where the
    object moved)."""
    keys = {key for key in todo if key[2] == "KBL106"}
    if not keys:
        return
    from ..checks.keras_imports import flavour_of
    from ..keras_api import load_keras_api

    api = load_keras_api()
    indices = [api.index.get(r.label) for r in planner.settings.target.releases]
    for event in planner.info.imports:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL106")
        if key not in keys or key in outcome or not isinstance(node, ast.Import) or len(node.names) != 1:
            continue
        alias = node.names[0]
        found = flavour_of(alias.name)
        if alias.asname or found is None:
            continue
        parts = alias.name.split(".")
        root_len = 2 if alias.name.startswith("tensorflow.keras") else 1
        for size in range(len(parts) - 1, root_len - 1, -1):
            prefix = ".".join(parts[:size])
            if size == root_len or all(i is not None and api.has_module(found[0], prefix, i) for i in indices):
                planner.plan.import_rewrites[planner.lines.pos(node)] = f"import {prefix}"
                outcome[key] = None
                break
