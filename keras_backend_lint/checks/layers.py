"""KBL401 (off by default): backend-specific calls in a custom Layer's call/build when targeting Keras 3."""
from __future__ import annotations

import ast
from typing import Dict, Iterator, Optional

from .. import rules
from ..bindings import ModuleInfo, Scope
from ..report import Violation, violation
from ..surface import TF, ApiSurface
from .common import Settings, expr_text

_METHODS = frozenset({"call", "build"})
_TF_BACKENDS = (
    "tensorflow.keras.backend.",
    "tensorflow.compat.v1.keras.backend.",
    "tensorflow.compat.v2.keras.backend.",
)
_LAYER_MODULES = ("keras", "tensorflow.keras", "tf_keras")
#: tf.random names whose keras.random counterpart is spelled differently
_TF_RANDOM = {"stateless_normal": "normal", "stateless_uniform": "uniform"}
#: TensorFlow ops with a direct keras.ops counterpart; anything else under ``tensorflow.`` gets the generic hint
_TF_TO_OPS = {
    "matmul": "matmul",
    "reduce_mean": "mean",
    "reduce_sum": "sum",
    "reduce_max": "max",
    "reduce_min": "min",
    "reduce_prod": "prod",
    "reduce_any": "any",
    "reduce_all": "all",
    "concat": "concatenate",
    "stack": "stack",
    "reshape": "reshape",
    "transpose": "transpose",
    "expand_dims": "expand_dims",
    "squeeze": "squeeze",
    "shape": "shape",
    "cast": "cast",
    "where": "where",
    "gather": "take",
    "tile": "tile",
    "exp": "exp",
    "sqrt": "sqrt",
    "square": "square",
    "abs": "abs",
    "maximum": "maximum",
    "minimum": "minimum",
    "einsum": "einsum",
    "clip_by_value": "clip",
    "zeros": "zeros",
    "ones": "ones",
    "zeros_like": "zeros_like",
    "ones_like": "ones_like",
    "range": "arange",
    "one_hot": "one_hot",
    "nn.relu": "relu",
    "nn.softmax": "softmax",
    "nn.sigmoid": "sigmoid",
    "nn.tanh": "tanh",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "math.log": "log",
    "math.exp": "exp",
    "math.sqrt": "sqrt",
    "nn.conv2d": "conv",
    "linalg.matmul": "matmul",
    "convert_to_tensor": "convert_to_tensor",
    "constant": "convert_to_tensor",
}


def check_layer_calls(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    if not settings.enabled("KBL401") or not settings.target.includes_keras3 or not info.method_calls:
        return
    layer_memo: Dict[int, bool] = {}
    for event in info.method_calls:
        classdef, class_scope, method = event.context.method  # type: ignore[misc]
        if method not in _METHODS or not _is_layer(classdef, class_scope, info, layer_memo):
            continue
        node = event.node
        assert isinstance(node, ast.Call)
        qnames = info.resolve_expr(node.func, event.scope)
        if not qnames or len(qnames) != 1:
            continue
        qname = next(iter(qnames))
        found = _backend_specific(qname, api)
        if found is None:
            continue
        backend, hint = found
        yield violation(
            rules.KBL401,
            node,
            expr=expr_text(node.func),
            layer=classdef.name,
            method=method,
            backend=backend,
            hint=hint,
        )


def _backend_specific(qname: str, api: ApiSurface) -> Optional[tuple]:
    """(backend, hint) for a TensorFlow-only call; None for portable code."""
    for module in _TF_BACKENDS:
        if qname.startswith(module):
            name = qname[len(module):]
            if api.ever(TF, name):
                ops = api.newest(3).namespaces.get("ops", ())
                return "TensorFlow", f"keras.ops.{name}" if name in ops else "keras.ops"
            return None
    if qname.startswith("tensorflow.") and not qname.startswith(("tensorflow.keras.", "tensorflow.compat.v1.keras.")):
        op = qname[len("tensorflow."):]
        if op.startswith("random."):  # tf.random.normal -> keras.random.normal: random ops live in keras.random
            name = _TF_RANDOM.get(op[len("random."):], op[len("random."):])
            return "TensorFlow", f"keras.random.{name}" if name in api.newest(3).namespaces.get("random", ()) else (
                "keras.random"
            )
        target = _TF_TO_OPS.get(op)
        return "TensorFlow", f"keras.ops.{target}" if target else "keras.ops"
    return None


def _is_layer(classdef: ast.ClassDef, scope: Scope, info: ModuleInfo, memo: Dict[int, bool]) -> bool:
    key = id(classdef)
    if key in memo:
        return memo[key]
    memo[key] = False  # cycles
    result = False
    outer = scope.parent or scope
    for base in classdef.bases:
        qnames = info.resolve_expr(base, outer)
        if qnames and all(_is_layer_qname(q) for q in qnames):
            result = True
            break
        if isinstance(base, ast.Name):  # a layer class defined in this module
            for other in _local_classes(info, base.id):
                if _is_layer(other[0], other[1], info, memo):
                    result = True
    memo[key] = result
    return result


def _is_layer_qname(qname: str) -> bool:
    module, _, name = qname.rpartition(".")
    return name == "Layer" and (module in _LAYER_MODULES or module.startswith(tuple(m + "." for m in _LAYER_MODULES)))


def _local_classes(info: ModuleInfo, name: str):
    return info.classes.get(name, ())
