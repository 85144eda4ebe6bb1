"""Shapes: ``K.shape`` is a 1-d int32 tensor, ``K.int_shape`` a tuple, ``K.ndim`` an int (Keras 2 TensorFlow)."""
from __future__ import annotations

import ast

from . import Outcome, Site, fixed, is_pure, not_fixed, rewrite
from .control import module_aliases
from .phase import enclosing_function, parameters


@rewrite("shape")
def shape(site: Site) -> Outcome:
    # keras.ops.shape is a tuple (tuple * 32 repeats it); converting keeps K.shape's int32 tensor, also for
    # unknown dimensions in graph mode (they are scalar tensors there, which TensorFlow packs)
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.convert_to_tensor({ops}.shape({site.arg("x")}), dtype="int32")')


@rewrite("int_shape", "get_variable_shape")
def int_shape(site: Site) -> Outcome:
    # the static shape with None for unknown dimensions, eager or traced; keras.ops.shape would put tensors there
    return fixed(f'tuple({site.atom("x")}.shape)')


@rewrite("ndim")
def ndim(site: Site) -> Outcome:
    return fixed(f'len({site.atom("x")}.shape)')


@rewrite("batch_flatten")
def batch_flatten(site: Site) -> Outcome:
    x = site.given("x")
    if x is None or not repeatable(x, site):
        return not_fixed("the argument would be evaluated twice; bind it to a name first")
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.reshape({site.arg("x")}, ({ops}.shape({site.arg("x")})[0], -1))')


#: backend functions whose result depends only on their arguments and that do nothing else: computing one twice
#: gives the same tensor (traced code computes it once anyway)
_DETERMINISTIC = frozenset({
    "permute_dimensions", "transpose", "reshape", "flatten", "batch_flatten", "expand_dims", "squeeze", "cast",
    "abs", "square", "sqrt", "exp", "log", "sum", "mean", "max", "min", "prod", "l2_normalize", "concatenate",
    "stack", "dot", "relu", "sigmoid", "tanh", "softmax",
})


def repeatable(node: ast.AST, site: Site) -> bool:
    """Pure, or a deterministic backend op (``K.permute_dimensions(x, (2, 0, 1))``, through the alias of the call
    being rewritten) over repeatable arguments."""
    if is_pure(node):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(repeatable(e, site) for e in node.elts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return repeatable(node.operand, site)
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return False
    own = site.call.func
    same_alias = (isinstance(node.func.value, ast.Name) and isinstance(own, ast.Attribute)
                  and isinstance(own.value, ast.Name) and node.func.value.id == own.value.id)
    return same_alias and node.func.attr in _DETERMINISTIC and all(
        repeatable(a, site) for a in [*node.args, *(k.value for k in node.keywords if k.arg)]
    ) and all(k.arg for k in node.keywords)


@rewrite("reshape")
def reshape(site: Site) -> Outcome:
    # keras.ops.reshape turns a shape that is not a tensor into a tuple of its items, which must be ints;
    # tf.reshape (K.reshape) converted the whole shape to int32, so a float numpy array (np.ones(n)) worked
    shape = site.given("shape")
    text = site.arg("shape")
    if shape is not None and _numpy_array(shape, site):
        text = f'{site.atom("shape")}.astype("int32")'
    return fixed(f'{site.spell("keras.ops.reshape")}({site.arg("x")}, {text})')


def _numpy_array(node: ast.AST, site: Site) -> bool:
    """A numpy call (``np.ones(n)``), or a local name only ever assigned one in the enclosing function."""
    numpy = module_aliases(site, "numpy")
    if isinstance(node, ast.Call):
        func = node.func
        return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in numpy
    if not isinstance(node, ast.Name):
        return False
    fn = enclosing_function(site)
    if fn is None or node.id in parameters(fn):
        return False
    stores = [n for n in ast.walk(fn)
              if isinstance(n, ast.Name) and n.id == node.id and not isinstance(n.ctx, ast.Load)]
    for store in stores:
        parent = site.parents.get(id(store))
        if not (isinstance(parent, ast.Assign) and parent.targets == [store] and _numpy_array(parent.value, site)):
            return False
    return bool(stores)


@rewrite("repeat")
def repeat(site: Site) -> Outcome:
    # K.repeat(x, n) tiled a 2-d (samples, dim) tensor into (samples, n, dim); keras.ops.repeat is K.repeat_elements
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.tile({ops}.expand_dims({site.arg("x")}, 1), [1, {site.arg("n")}, 1])')
