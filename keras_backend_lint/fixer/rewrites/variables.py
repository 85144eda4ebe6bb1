"""Variable updates: ``K.update(x, v)`` and friends are methods of the variable in Keras 3."""
from __future__ import annotations

import ast

from . import Outcome, Site, fixed, not_fixed, rewrite

_METHODS = {"update": "assign", "set_value": "assign", "update_add": "assign_add", "update_sub": "assign_sub"}
_VALUE = {"update": "new_x", "set_value": "value", "update_add": "increment", "update_sub": "decrement"}


@rewrite(*_METHODS)
def update(site: Site) -> Outcome:
    text = f'{site.atom("x")}.{_METHODS[site.name]}({site.arg(_VALUE[site.name])})'
    if isinstance(site.parent, ast.Expr):
        return fixed(text)
    return fixed(text, f"the value of K.{site.name}(...) is used here and differs from what .assign returns",
                 unsafe=True)


@rewrite("batch_get_value")
def batch_get_value(site: Site) -> Outcome:
    return fixed(
        f'[{site.spell("keras.ops.convert_to_numpy")}(value) for value in {site.arg("tensors")}]',
        "python scalars in the list come back as numpy arrays",
        unsafe=True,
    )


#: callers that read a numpy scalar and a 0-d array alike (K.get_value gave the first, convert_to_numpy the second)
_SCALAR_READERS = frozenset({
    "float", "int", "round", "str", "print", "bool", "repr", "format", "len", "list", "tuple",
    "assert_allclose", "assert_array_equal", "assert_array_almost_equal", "assert_almost_equal", "assert_equal",
})
_NUMPY_ROOTS = frozenset({"np", "numpy"})
#: attributes a numpy scalar and a 0-d array share
_SHARED_ATTRIBUTES = frozenset({"shape", "dtype", "ndim", "size", "item", "tolist", "astype", "T"})


def _read_as_number(node: ast.AST, parent) -> bool:
    """Whether the value of ``node`` is only read as a number (numpy scalar or 0-d array alike) by ``parent``."""
    if isinstance(parent, (ast.BinOp, ast.Compare, ast.FormattedValue, ast.UnaryOp)):
        return True
    if isinstance(parent, ast.Subscript):
        return parent.value is node
    if isinstance(parent, ast.Attribute):
        return parent.attr in _SHARED_ATTRIBUTES
    if not isinstance(parent, ast.Call) or parent.func is node:
        return False
    func = parent.func
    if isinstance(func, ast.Name):
        return func.id in _SCALAR_READERS
    while isinstance(func, ast.Attribute):
        if func.attr in _SCALAR_READERS:
            return True
        func = func.value
    return isinstance(func, ast.Name) and func.id in _NUMPY_ROOTS  # numpy treats both alike


def _reads_a_number(site: Site) -> bool:
    """The call's value is read as a number right there, or assigned to a local name whose every read in the
    function is one (``lr = K.get_value(v)`` then ``lr * 0.5``, ``assert_allclose(lr, ...)``)."""
    if _read_as_number(site.call, site.parent):
        return True
    parent = site.parent
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name)):
        return False
    name = parent.targets[0].id
    scope = site.parents.get(id(parent))
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        scope = site.parents.get(id(scope))
    if scope is None:
        return False  # a module-level name may be read by other modules
    loads = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    if any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(scope)):
        return False
    return bool(loads) and all(_read_as_number(n, site.parents.get(id(n))) for n in loads)


@rewrite("get_value", "eval")
def get_value(site: Site) -> Outcome:
    text = f'{site.spell("keras.ops.convert_to_numpy")}({site.arg("x")})'
    if _reads_a_number(site):
        return fixed(text)  # consumed as a number or by numpy: the same value either way
    return fixed(text, "a 0-d tensor comes back as a 0-d numpy array (K.get_value gave a numpy scalar) and a "
                 "python number as a numpy array", unsafe=True)


@rewrite("function")
def function(site: Site) -> Outcome:
    given = site.given("updates")
    if given is not None and not (isinstance(given, ast.Constant) and given.value is None):
        return not_fixed("updates= has no keras.Function counterpart; apply them in the calling code")
    parts = [site.arg("inputs"), site.arg("outputs")]
    if "name" in site.bound:
        parts.append(f'name={site.arg("name")}')
    return fixed(
        f'{site.spell("keras.Function")}({", ".join(parts)})',
        "keras.Function returns tensors, not numpy arrays, and takes no K.learning_phase() input",
        unsafe=True,
    )
