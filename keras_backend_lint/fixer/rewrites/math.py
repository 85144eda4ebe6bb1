"""Element-wise math whose Keras 2 TensorFlow version did more than the plain op."""
from __future__ import annotations

import ast
from typing import Optional

from . import Outcome, Site, fixed, literal, not_fixed, rewrite

#: Keras' default fuzz factor; K.clip(x, K.epsilon(), 1 - K.epsilon()) is the common call
_EPSILON = 1e-7


@rewrite("sqrt")
def sqrt(site: Site) -> Outcome:
    # K.sqrt clipped negative inputs to 0 before the square root (nan otherwise)
    ops = site.spell("keras.ops")
    return fixed(f'{ops}.sqrt({ops}.maximum({site.arg("x")}, 0.0))')


def _bound_value(node: Optional[ast.AST]):
    """A clip bound's value when it is a number computed from literals and epsilon(); None for literal None;
    ``...`` when unknown."""
    if node is None:
        return ...
    value = literal(node)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return _EPSILON if name == "epsilon" else ...
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _bound_value(node.operand)
        if isinstance(inner, (int, float)):
            return -inner if isinstance(node.op, ast.USub) else inner
        return ...
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _bound_value(node.left), _bound_value(node.right)
        if isinstance(left, (int, float)) and isinstance(right, (int, float)):
            try:
                return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right}.get(
                    type(node.op), left / right if right else ...)
            except (OverflowError, ZeroDivisionError):
                return ...
    return ...


@rewrite("clip")
def clip(site: Site) -> Outcome:
    ops = site.spell("keras.ops")
    low, high = _bound_value(site.given("min_value")), _bound_value(site.given("max_value"))
    x = site.arg("x")
    if low is ... or high is ...:
        return fixed(
            f'{ops}.clip({x}, {site.arg("min_value")}, {site.arg("max_value")})',
            "K.clip read None bounds as no bound and raised max_value to min_value when it was smaller; "
            "keras.ops.clip does neither, and these bounds are not literals",
            unsafe=True,
        )
    lo = site.arg("min_value") if low is not None else 'float("-inf")'
    hi = site.arg("max_value") if high is not None else 'float("inf")'
    if low is not None and high is not None and high < low:
        hi = lo  # K.clip raised max_value to min_value
    return fixed(f"{ops}.clip({x}, {lo}, {hi})")


@rewrite("pool2d", "pool3d")
def pool(site: Site) -> Outcome:
    # K.pool2d(x, pool_size, strides=(1, 1), ..., pool_mode='max'): keras.ops has one function per mode, and its
    # strides default to pool_size, so the old default is passed explicitly
    mode = literal(site.given("pool_mode")) if "pool_mode" in site.bound else "max"
    if mode == "max":
        fn = site.spell("keras.ops.max_pool")
    elif mode == "avg":
        fn = site.spell("keras.ops.average_pool")
    elif mode is ...:
        ops = site.spell("keras.ops")
        fn = f'({ops}.max_pool if {site.atom("pool_mode")} == "max" else {ops}.average_pool)'
    else:
        return not_fixed(f"pool_mode={mode!r} was an error in K.{site.name}")
    ones = "(1, 1)" if site.name == "pool2d" else "(1, 1, 1)"
    parts = [site.arg("x"), site.arg("pool_size"), f'strides={site.arg("strides", ones)}']
    for name in ("padding", "data_format"):
        if name in site.bound:
            parts.append(f"{name}={site.arg(name)}")
    return fixed(f'{fn}({", ".join(parts)})')


@rewrite("hard_sigmoid")
def hard_sigmoid(site: Site) -> Outcome:
    # K.hard_sigmoid was clip(0.2 * x + 0.5, 0, 1); keras.ops.hard_sigmoid uses a slope of 1/6
    return fixed(f'{site.spell("keras.ops.clip")}({site.atom("x")} * 0.2 + 0.5, 0.0, 1.0)')
