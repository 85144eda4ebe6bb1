"""Control flow and debugging: ``K.switch`` (``tf.cond`` for a scalar condition) and ``K.print_tensor``."""
from __future__ import annotations

import ast
from typing import AbstractSet, FrozenSet, Optional

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
    module = _module(site)
    if module is None:
        return None
    defs = [n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == name]
    names = site.names
    if len(defs) != 1 or len(names.bindings.get(name, ())) - names.declared.get(name, 0) != 1:
        return None
    return defs[0] if not defs[0].decorator_list else None


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
    where code uses them: another import of ``module`` or of a submodule (``import tensorflow.compat.v1 as tf``),
    ``name = None`` (an optional import that failed) or a ``global`` declaration. A name bound in any other way
    anywhere in the file (a parameter called ``tf``, ``np = load()``) may not be the module at the call."""
    names = site.names
    prefix = module + "."
    found = set()
    for name, qnames in names.bindings.items():
        if module not in qnames:
            continue
        imported = sum(1 for q in qnames if q is not None and (q == module or q.startswith(prefix)))
        if imported + names.none_assigned.get(name, 0) + names.declared.get(name, 0) == len(qnames):
            found.add(name)
    return frozenset(found)


@rewrite("print_tensor")
def print_tensor(site: Site) -> Outcome:
    # Keras 2 printed the tensor (tf.print) and returned it; keras.ops has no print op
    return fixed(site.atom("x"), "keras.ops has no print op: the value is kept and the print is dropped; print it "
                 "with print() eagerly, or jax.debug.print / tf.print in traced code", unsafe=True)
