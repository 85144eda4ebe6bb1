"""Shapes: ``K.shape`` is a 1-d int32 tensor, ``K.int_shape`` a tuple, ``K.ndim`` an int (Keras 2 TensorFlow)."""
from __future__ import annotations

from . import Outcome, Site, fixed, is_pure, not_fixed, rewrite


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
    if x is None or not is_pure(x):
        return not_fixed("the argument would be evaluated twice; bind it to a name first")
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.reshape({site.arg("x")}, ({ops}.shape({site.arg("x")})[0], -1))')


@rewrite("repeat")
def repeat(site: Site) -> Outcome:
    # K.repeat(x, n) tiled a 2-d (samples, dim) tensor into (samples, n, dim); keras.ops.repeat is K.repeat_elements
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.tile({ops}.expand_dims({site.arg("x")}, 1), [1, {site.arg("n")}, 1])')
