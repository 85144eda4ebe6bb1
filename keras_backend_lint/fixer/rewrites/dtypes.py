"""Tensors and variables: pin the floatx default that ``K.*`` applied and ``keras.*`` does not."""
from __future__ import annotations

import ast
from typing import List, Optional

from . import Outcome, Site, fixed, is_pure, literal, not_fixed, rewrite, used_as_operand

_VARIABLE_NOTE = "K.{0} returned a variable for a static shape; bound to a name it may be assigned to or trained"


def _floatx_dtype(site: Site, fn: str) -> Optional[tuple]:
    """``(text, unsafe reason)`` for the dtype argument K.<fn> had: floatx when not given or None."""
    given = site.given("dtype")
    value = literal(given)
    if given is None or value is None:
        return f'dtype={site.spell("keras.config.floatx")}()', ""
    if isinstance(value, str) or _names_a_dtype(given):
        return f'dtype={site.arg("dtype")}', ""
    if is_pure(given):  # a name that may hold None: K.<fn> read None as floatx
        floatx = site.spell("keras.config.floatx")
        return f'dtype={floatx}() if {site.atom("dtype")} is None else {site.arg("dtype")}', ""
    return f'dtype={site.arg("dtype")}', f"K.{fn} read dtype=None as floatx; this dtype may be None"


def _names_a_dtype(node) -> bool:
    """``K.floatx()``, ``keras.config.floatx()``, ``x.dtype``, ``K.dtype(x)``: never None."""
    if isinstance(node, ast.Call) and not node.keywords:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ("floatx", "dtype", "standardize_dtype")
    return isinstance(node, ast.Attribute) and node.attr == "dtype"


def _must_be_default(site: Site, *params: str) -> Optional[str]:
    for param in params:
        if param in site.bound and literal(site.given(param)) is not None:
            return f"{param}= has no Keras 3 counterpart here"
    return None


@rewrite("constant")
def constant(site: Site) -> Outcome:
    # name= only named the TensorFlow op; eager tensors and Keras 3 have no op names, so it is dropped
    dtype, reason = _floatx_dtype(site, "constant")
    ops = site.spell("keras.ops")
    if "shape" in site.bound and literal(site.given("shape")) is not None:
        # K.constant(v, shape=s) filled s with a scalar v (and reshaped a list of the right size)
        value = literal(site.given("value"))
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            reason = reason or "K.constant(value, shape=...) also reshaped a list value; keras.ops.full broadcasts"
        return fixed(f'{ops}.full({site.arg("shape")}, {site.arg("value")}, {dtype})', reason, unsafe=bool(reason))
    return fixed(f'{ops}.convert_to_tensor({site.arg("value")}, {dtype})', reason, unsafe=bool(reason))


@rewrite("variable")
def variable(site: Site) -> Outcome:
    problem = _must_be_default(site, "constraint")
    if problem:
        return not_fixed(problem)
    dtype, reason = _floatx_dtype(site, "variable")
    parts: List[str] = [site.arg("value"), dtype]
    if "name" in site.bound and literal(site.given("name")) is not None:
        parts.append(f'name={site.arg("name")}')
    return fixed(f'{site.spell("keras.Variable")}({", ".join(parts)})', reason, unsafe=bool(reason))


@rewrite("zeros", "ones")
def zeros(site: Site) -> Outcome:
    dtype, reason = _floatx_dtype(site, site.name)
    if not reason and not used_as_operand(site):
        reason = _VARIABLE_NOTE.format(site.name)
    return fixed(f'{site.spell("keras.ops." + site.name)}({site.arg("shape")}, {dtype})', reason, unsafe=bool(reason))


@rewrite("eye")
def eye(site: Site) -> Outcome:
    dtype, reason = _floatx_dtype(site, "eye")
    size = site.given("size")
    value = literal(size)
    if isinstance(value, tuple) and len(value) == 2:
        dims = ", ".join(f"{v!r}" for v in value)  # K.eye((n, m)) is an n x m matrix
    else:
        dims = site.arg("size")
        if not isinstance(value, int):
            reason = reason or "K.eye also took a (rows, cols) tuple; keras.ops.eye takes N and M"
    if not reason and not used_as_operand(site):
        reason = "K.eye returned a variable; bound to a name it may be assigned to or trained"
    return fixed(f'{site.spell("keras.ops.eye")}({dims}, {dtype})', reason, unsafe=bool(reason))


@rewrite("cast_to_floatx")
def cast_to_floatx(site: Site) -> Outcome:
    x = site.given("x")
    if x is not None and is_pure(x):
        # exact: K.cast_to_floatx cast tensors and gave numpy arrays for everything else
        ops, floatx = site.spell("keras.ops"), site.spell("keras.config.floatx")
        np = site.spell("numpy")
        return fixed(f'({ops}.cast({site.arg("x")}, {floatx}()) if {ops}.is_tensor({site.arg("x")}) '
                     f'else {np}.asarray({site.arg("x")}, dtype={floatx}()))')
    return fixed(
        f'{site.spell("keras.ops.cast")}({site.arg("x")}, {site.spell("keras.config.floatx")}())',
        "for numpy input K.cast_to_floatx returned a numpy array; keras.ops.cast returns a tensor",
        unsafe=True,
    )


@rewrite("argmax", "argmin")
def argmax(site: Site) -> Outcome:
    # tf.argmax gives int64; keras.ops.argmax int32; the default axis was -1 (keras.ops: None, flattening)
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.cast({ops}.{site.name}({site.arg("x")}, axis={site.arg("axis", "-1")}), "int64")')


@rewrite("arange")
def arange(site: Site) -> Outcome:
    # K.arange's dtype='int32' default meant "do not cast" (float arguments gave floats); keras.ops.arange infers
    # the dtype from its arguments the same way, so the default is simply left out
    parts = [site.arg("start")]
    if "stop" in site.bound or "step" in site.bound:
        parts.append(site.arg("stop", "None"))
    if "step" in site.bound:
        parts.append(site.arg("step"))
    reason = ""
    if "dtype" in site.bound:
        value = literal(site.given("dtype"))
        if value not in ("int32",):
            parts.append(f'dtype={site.arg("dtype")}')
            if not isinstance(value, str) and not _names_a_dtype(site.given("dtype")):
                reason = "K.arange did not cast for dtype='int32'; this dtype is not a literal"
    return fixed(f'{site.spell("keras.ops.arange")}({", ".join(parts)})', reason, unsafe=bool(reason))


@rewrite("dtype")
def dtype(site: Site) -> Outcome:
    # K.dtype(x) was x.dtype.base_dtype.name, a string such as 'float32'
    return fixed(f'{site.spell("keras.backend.standardize_dtype")}({site.atom("x")}.dtype)')


@rewrite("placeholder")
def placeholder(site: Site) -> Outcome:
    problem = _must_be_default(site, "sparse", "ragged")
    if problem:
        return not_fixed(problem)
    if "shape" in site.bound:
        shape = site.arg("shape")
    elif "ndim" in site.bound:
        shape = f'(None,) * {site.atom("ndim")}'
    else:
        return not_fixed("a placeholder of unknown rank has no keras.Input equivalent")
    dtype, _ = _floatx_dtype(site, "placeholder")
    parts = [f"batch_shape={shape}", dtype]
    if "name" in site.bound:
        parts.append(f'name={site.arg("name")}')
    return fixed(
        f'{site.spell("keras.Input")}({", ".join(parts)})',
        "a symbolic keras.Input is not a graph placeholder: it cannot be fed through K.function or a session",
        unsafe=True,
    )
