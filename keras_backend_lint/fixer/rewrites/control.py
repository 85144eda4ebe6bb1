"""Control flow and debugging: ``K.switch`` (``tf.cond`` for a scalar condition) and ``K.print_tensor``."""
from __future__ import annotations

import ast
from typing import AbstractSet, Dict, FrozenSet, List, Optional, Tuple

from . import Outcome, Site, fixed, is_pure, literal, rewrite
from .phase import CALLABLE, VALUE, branch_kind, enclosing_function

_WHERE = ("keras.ops.where needs tensors, not callables, and broadcasts both branches; K.switch used tf.cond for "
          "a scalar condition (each branch keeps its own shape) and tiled a higher-rank condition over trailing axes")
_LAZY = ("K.switch computed both branches before choosing and called a branch that was a function; here a branch "
         "may do more than compute, or be a function: keras.ops.cond runs only the one taken")
#: reductions that give a 0-d tensor when called with the tensor alone
_REDUCTIONS = frozenset({"sum", "mean", "max", "min", "prod", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min",
                         "reduce_prod", "count_nonzero", "size", "rank"})
#: words in the names of TensorFlow and backend functions that do more than compute a tensor from their arguments
_EFFECTS = ("random", "dropout", "print", "assign", "update", "set_", "variable", "session", "clear", "reset",
            "placeholder", "function", "learning_phase", "initializ", "seed")


@rewrite("switch")
def switch(site: Site) -> Outcome:
    ops = site.spell("keras.ops")
    condition = site.given("condition")
    tf_names = module_aliases(site, "tensorflow")
    if not _scalar_bool(condition, site, tf_names):
        return fixed(f'{ops}.where({site.arg("condition")}, {site.arg("then_expression")}, '
                     f'{site.arg("else_expression")})', _WHERE, unsafe=True)
    fn = enclosing_function(site)
    branches, lazy = [], False
    for param in ("then_expression", "else_expression"):
        node = site.given(param)
        if _computes_only(node, site, tf_names):
            kind = VALUE
        else:
            kind = branch_kind(node, fn, site)
            lazy |= kind != CALLABLE  # a function K.switch called, or a value whose computation may do more
        branches.append(site.arg(param) if kind == CALLABLE else f"lambda: {site.arg(param)}")
    # a scalar condition: K.switch was tf.cond, which keeps each branch's own shape (keras.ops.where broadcasts)
    return fixed(f'{ops}.cond({site.arg("condition")}, {branches[0]}, {branches[1]})', _LAZY if lazy else "",
                 unsafe=lazy)


def _scalar_bool(node: Optional[ast.AST], site: Site, tf_names: AbstractSet[str]) -> bool:
    """A comparison whose sides are 0-d (numbers, ``tf.size(x)``, reductions over all axes, ``K.shape(x)[0]``)."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return False
    sides = (node.left, node.comparators[0])
    # K.switch read condition.dtype: two Python numbers were an error there
    return all(_scalar(side, site, tf_names) for side in sides) and any(literal(side) is ... for side in sides)


def _scalar(node: ast.AST, site: Site, tf_names: AbstractSet[str]) -> bool:
    value = literal(node)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    if isinstance(node, ast.Subscript) and isinstance(literal(node.slice), int):
        inner = node.value
        return isinstance(inner, ast.Call) and _module_call(inner, site, tf_names) == "shape"
    if isinstance(node, ast.Call):
        name = _module_call(node, site, tf_names)
        return name in _REDUCTIONS and len(node.args) == 1 and not node.keywords
    return False


def _module_call(call: ast.Call, site: Site, tf_names: AbstractSet[str]) -> str:
    """``attr`` of a call ``tf.attr(...)`` / ``K.attr(...)`` (the alias of the call being rewritten), else ''."""
    func, own = call.func, site.call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return ""
    backend = own.value.id if isinstance(own, ast.Attribute) and isinstance(own.value, ast.Name) else None
    return func.attr if func.value.id in tf_names or func.value.id == backend else ""


def _computes_only(node: ast.AST, site: Site, tf_names: AbstractSet[str], seen: FrozenSet[str] = frozenset()) -> bool:
    """Nothing happens but a computation: TensorFlow or backend ops (not random ones), arithmetic and functions of
    this file that only do that, over names and constants."""
    if is_pure(node) or isinstance(literal(node), (int, float, str)):
        return True
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare)):
        return all(_computes_only(child, site, tf_names, seen) for child in ast.iter_child_nodes(node)
                   if isinstance(child, ast.expr))
    if not isinstance(node, ast.Call):
        return False
    arguments = [*node.args, *(k.value for k in node.keywords)]
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        return False
    if isinstance(node.func, ast.Name):
        helper = _module_function(node.func.id, site)
        if helper is None or helper.name in seen or not _only_computes(helper, site, tf_names, seen | {helper.name}):
            return False
    else:
        name = _module_call(node, site, tf_names)
        if not name or any(word in name.lower() for word in _EFFECTS):
            return False
    return all(_computes_only(arg, site, tf_names, seen) for arg in arguments)


def _module_function(name: str, site: Site) -> Optional[ast.FunctionDef]:
    """The one module-level ``def name`` of this file, unless ``name`` is bound anywhere else in the file."""
    facts = _facts(site)
    if facts is None:
        return None
    defs = facts.functions.get(name, [])
    if len(defs) != 1 or facts.bindings.get(name, 0) != 1 or defs[0].decorator_list:
        return None
    return defs[0]


def _only_computes(fn: ast.FunctionDef, site: Site, tf_names: AbstractSet[str], seen: FrozenSet[str]) -> bool:
    """A body of a docstring, assignments to local names and one final ``return``, all computations."""
    body = list(fn.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(literal(body[0].value), str):
        body = body[1:]
    if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
        return False
    for stmt in body[:-1]:
        if not (isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets)):
            return False
    values = [stmt.value for stmt in body]  # type: ignore[attr-defined]
    return all(_computes_only(value, site, tf_names, seen) for value in values)


def _module(site: Site) -> Optional[ast.Module]:
    root = site.parents.get(id(site.call))
    while root is not None and not isinstance(root, ast.Module):
        root = site.parents.get(id(root))
    return root


def module_aliases(site: Site, module: str) -> FrozenSet[str]:
    """Names bound to ``module`` by ``import module [as name]`` and otherwise only by what leaves them that module
    where code uses them: another ``import module.sub as name`` (``tensorflow.compat.v1``) or ``name = None`` (an
    optional import that failed). A name bound in any other way anywhere in the file (a parameter called ``tf``,
    ``np = load()``) may not be the module at the call."""
    facts = _facts(site)
    if facts is None:
        return frozenset()
    prefix = module + "."
    names = set()
    for name in facts.imports.get(module, {}):
        benign = facts.none_assigned.get(name, 0) + sum(
            bound.get(name, 0) for imported, bound in facts.imports.items()
            if imported == module or imported.startswith(prefix)
        )
        if facts.bindings.get(name, 0) == benign:
            names.add(name)
    return frozenset(names)


class _FileFacts:
    """What the call-site rewrites ask about the whole file, found in one walk of its tree: how often each name is
    bound (assigned, a parameter, a def or class, an import, ...), the names each ``import module [as name]`` binds,
    how often a name is assigned None, and the module-level functions."""

    def __init__(self, module: ast.Module) -> None:
        self.bindings: Dict[str, int] = {}
        self.imports: Dict[str, Dict[str, int]] = {}
        self.none_assigned: Dict[str, int] = {}
        self.functions: Dict[str, List[ast.FunctionDef]] = {}
        for node in module.body:
            if isinstance(node, ast.FunctionDef):
                self.functions.setdefault(node.name, []).append(node)
        for node in ast.walk(module):
            for name in _bound_names(node):
                self.bindings[name] = self.bindings.get(name, 0) + 1
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname or "." not in alias.name:  # import a.b binds a, which is not the module a.b
                        bound = alias.asname or alias.name
                        names = self.imports.setdefault(alias.name, {})
                        names[bound] = names.get(bound, 0) + 1
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, ast.Constant) and node.value.value is None:
                    name = node.targets[0].id
                    self.none_assigned[name] = self.none_assigned.get(name, 0) + 1


def _bound_names(node: ast.AST) -> List[str]:
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [a.asname or a.name.partition(".")[0] for a in node.names if a.name != "*"]
    if isinstance(node, ast.ExceptHandler):
        return [node.name] if node.name else []
    name = getattr(node, "name", None) if type(node).__name__ in ("MatchAs", "MatchStar") else None
    rest = getattr(node, "rest", None) if type(node).__name__ == "MatchMapping" else None
    return [n for n in (name, rest) if n]


#: the tree last asked about and its facts: the rewrites of one file ask again and again, about the same tree
_LAST: Tuple[Optional[ast.Module], Optional[_FileFacts]] = (None, None)


def _facts(site: Site) -> Optional[_FileFacts]:
    global _LAST
    module = _module(site)
    if module is None:
        return None
    last_module, facts = _LAST  # one read: another thread may replace it meanwhile
    if last_module is not module or facts is None:
        facts = _FileFacts(module)
        _LAST = (module, facts)
    return facts


@rewrite("print_tensor")
def print_tensor(site: Site) -> Outcome:
    # Keras 2 printed the tensor (tf.print) and returned it; keras.ops has no print op
    return fixed(site.atom("x"), "keras.ops has no print op: the value is kept and the print is dropped; print it "
                 "with print() eagerly, or jax.debug.print / tf.print in traced code", unsafe=True)
