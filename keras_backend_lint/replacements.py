"""Reviewed replacement table: legacy ``keras.backend`` (``K.*``) names -> Keras 3.

Stdlib only; never imports keras.  Every entry was reviewed against the real
signatures printed by ``tools/gen_signatures.py``:

* old side: ``keras/src/backend.py`` of the keras 2.15.0 wheel (read with ``ast``) and,
  for names that only older releases had, ``keras/backend/tensorflow_backend.py`` /
  ``common.py`` of keras 2.2.4;
* new side: ``inspect.signature`` on Keras 3.15.1 (``KERAS_BACKEND=numpy``).

How the fixer reads an entry
----------------------------
``params`` lists the OLD positional parameters in order.  A user's call is bound to
them (positionally by old order, keywords by old name); each bound argument is
emitted as ``new_name``; ``new_name=None`` means the parameter is dropped and the
fix is not offered when the user passes it with a non-default value.  When the user
did not pass a parameter whose old ``default`` differs from ``new_default``, the
fixer adds ``new_name=<old default>`` explicitly so that behaviour is kept.

*Implicit parameters*: a few entries list a trailing parameter that the old
function did not have, because the old function behaved as if that argument had
been passed (``K.gather`` always gathered on axis 0, ``K.flatten`` always reshaped
to ``(-1,)``, ...).  They are always last, so positional binding never reaches
them, and their old ``default`` is what the fixer has to add.  ``IMPLICIT_PARAMS``
lists them.
"""
from typing import Dict, FrozenSet, Mapping, NamedTuple, Optional, Tuple

SAFE, UNSAFE, NONE = "safe", "unsafe", "none"  # fix safety

KERAS3_VERSION_REVIEWED = "3.15.1"

#: targets that are not part of Keras 3 (the tests do not resolve them in keras)
EXTERNAL_TARGETS: FrozenSet[str] = frozenset({"tensorflow", "numpy"})


# named tuples, not frozen dataclasses: the table is built by the first finding of a flake8 run, and its several
# hundred entries cost a millisecond more as dataclasses
class Param(NamedTuple):
    name: str  # parameter name in the OLD (Keras 2 K.*) signature
    default: Optional[str]  # source text of the OLD default; None when required
    new_name: Optional[str]  # keyword name in the NEW function; None = dropped
    new_default: Optional[str] = None  # source text of the NEW default; "" when required


class Replacement(NamedTuple):
    old: str
    target: Optional[str]
    params: Tuple[Param, ...] = ()
    new_positional: Tuple[str, ...] = ()
    safety: str = SAFE
    note: str = ""
    kind: str = "call"  # "call", "attribute", "removed"
    #: name of a per-call-site rewrite in ``fixer/rewrites/`` (the call is replaced whole, safety decided there)
    rewrite: Optional[str] = None


_SAME = object()


def P(name, default=None, new=_SAME, new_default=None):
    """Shorthand: ``P("axis", "-1", "axis", "None")``; ``new`` defaults to ``name``."""
    return Param(name, default, name if new is _SAME else new, new_default)


def _call(old, target, params=(), positional=(), safety=SAFE, note=""):
    return Replacement(old, target, tuple(params), tuple(positional), safety, note, "call")


def _rewrite(old, target, params, note, safety=SAFE):
    """Rewritten whole by ``fixer/rewrites`` (``note`` says to what); safe unless the call site says otherwise."""
    return Replacement(old, target, tuple(params), (), safety, note, "call", rewrite=old)


def _none(old, target, note, kind="call"):
    """A name with a Keras 3 counterpart that cannot be rewritten mechanically."""
    return Replacement(old, target, (), (), NONE, note, kind)


def _removed(old, note):
    return Replacement(old, None, (), (), NONE, note, "removed")


def _unary(old, target=None, safety=SAFE, note=""):
    return _call(old, target or "keras.ops." + old, [P("x", None, "x", "")], ["x"], safety, note)


def _binary(old, target=None):
    return _call(
        old,
        target or "keras.ops." + old,
        [P("x", None, "x1", ""), P("y", None, "x2", "")],
        ["x1", "x2"],
    )


def _reduction(old, target=None):
    # K.<op>(x, axis=None, keepdims=False) == keras.ops.<op>(x, axis=None, keepdims=False)
    return _call(
        old,
        target or "keras.ops." + old,
        [P("x", None, "x", ""), P("axis", "None", "axis", "None"),
         P("keepdims", "False", "keepdims", "False")],
        ["x", "axis", "keepdims"],
    )


def _conv(old, target, kernel, strides, dilation, new_kernel="kernel"):
    return _call(
        old,
        target,
        [P("x", None, "inputs", ""), P(kernel, None, new_kernel, ""),
         P("strides", strides, "strides", "1"), P("padding", "'valid'", "padding", "'valid'"),
         P("data_format", "None", "data_format", "None"),
         P("dilation_rate", dilation, "dilation_rate", "1")],
        ["inputs", new_kernel, "strides", "padding", "data_format", "dilation_rate"],
    )


def _pool(old, strides):
    return _rewrite(
        old,
        "keras.ops.max_pool",
        [P("x"), P("pool_size"), P("strides", strides), P("padding", "'valid'"), P("data_format", "None"),
         P("pool_mode", "'max'")],
        "use keras.ops.max_pool or keras.ops.average_pool (by pool_mode) with strides passed explicitly: they "
        "default to pool_size there",
    )


_ZEROS_NOTE = "K.{0} returned a variable for a static shape; keras.ops.{0} returns a tensor"
_SHAPE_NOTE = (
    "use tuple(x.shape), the static shape with None for unknown dimensions "
    "(keras.ops.shape puts scalar tensors there on tensorflow)"
)
_PHASE_NOTE = "Keras 3 has no global learning phase; pass training=True/False to layer calls"
_XENT_ORDER = "keras.ops keeps the K.* argument order (keras.losses puts label_smoothing before axis)"

_ENTRIES: Tuple[Replacement, ...] = (
    # ---------------------------------------------------------------- element-wise math
    _unary("abs"),
    _unary("exp"),
    _unary("log"),
    _unary("square"),
    _unary("sign"),
    _unary("cos"),
    _unary("sin"),
    _unary("sigmoid"),
    _unary("tanh"),
    _unary("softplus"),
    _unary("softsign"),
    _call("round", "keras.ops.round", [P("x", None, "x", "")], ["x", "decimals"],
          note=""),  # both round half to even (tf.round / numpy.round)
    _rewrite("sqrt", "keras.ops.sqrt", [P("x")],
             "use keras.ops.sqrt(keras.ops.maximum(x, 0.0)): K.sqrt clipped negative inputs to 0"),
    _rewrite("hard_sigmoid", "keras.ops.clip", [P("x")],
             "use keras.ops.clip(x * 0.2 + 0.5, 0.0, 1.0): keras.ops.hard_sigmoid has a slope of 1/6, not 0.2"),
    _binary("equal"),
    _binary("not_equal"),
    _binary("greater"),
    _binary("greater_equal"),
    _binary("less"),
    _binary("less_equal"),
    _binary("maximum"),
    _binary("minimum"),
    _call("pow", "keras.ops.power", [P("x", None, "x1", ""), P("a", None, "x2", "")],
          ["x1", "x2"]),
    _rewrite("clip", "keras.ops.clip", [P("x"), P("min_value"), P("max_value")],
             "use keras.ops.clip(x, x_min, x_max); K.clip also accepted None bounds and raised max_value to "
             "min_value when it was smaller, so the fix is safe only for literal bounds"),
    # ---------------------------------------------------------------- reductions
    _reduction("sum"),
    _reduction("mean"),
    _reduction("max"),
    _reduction("min"),
    _reduction("prod"),
    _reduction("std"),
    _reduction("var"),
    _reduction("all"),
    _reduction("any"),
    _reduction("logsumexp"),  # keras <= 2.2 only
    _rewrite("argmax", "keras.ops.argmax", [P("x"), P("axis", "-1")],
             "use keras.ops.argmax(x, axis=-1) (keras.ops flattens by default and returns int32; "
             "cast to int64 to keep K.argmax's dtype)"),
    _rewrite("argmin", "keras.ops.argmin", [P("x"), P("axis", "-1")],
             "use keras.ops.argmin(x, axis=-1) (keras.ops flattens by default and returns int32; "
             "cast to int64 to keep K.argmin's dtype)"),
    _call("cumsum", "keras.ops.cumsum", [P("x", None, "x", ""), P("axis", "0", "axis", "None")],
          ["x", "axis", "dtype"], note="default axis changes from 0 to None; axis=0 is passed explicitly"),
    _call("cumprod", "keras.ops.cumprod", [P("x", None, "x", ""), P("axis", "0", "axis", "None")],
          ["x", "axis", "dtype"], note="default axis changes from 0 to None; axis=0 is passed explicitly"),
    # ---------------------------------------------------------------- shapes and indexing
    _call("concatenate", "keras.ops.concatenate",
          [P("tensors", None, "xs", ""), P("axis", "-1", "axis", "0")], ["xs", "axis"],
          note="default axis changes from -1 to 0; axis=-1 is passed explicitly"),
    _call("stack", "keras.ops.stack", [P("x", None, "x", ""), P("axis", "0", "axis", "0")],
          ["x", "axis"]),
    _call("expand_dims", "keras.ops.expand_dims",
          [P("x", None, "x", ""), P("axis", "-1", "axis", "")], ["x", "axis"],
          note="axis is required by keras.ops.expand_dims; axis=-1 is passed explicitly"),
    _call("squeeze", "keras.ops.squeeze", [P("x", None, "x", ""), P("axis", None, "axis", "None")],
          ["x", "axis"]),
    _rewrite("reshape", "keras.ops.reshape", [P("x", None, "x", ""), P("shape", None, "newshape", "")],
             "use keras.ops.reshape(x, newshape); K.reshape also took a float numpy array as the shape "
             "(.astype('int32') keeps that working)"),
    _call("flatten", "keras.ops.reshape", [P("x", None, "x", ""), P("newshape", "(-1,)", "newshape", "")],
          ["x", "newshape"], note="K.flatten(x) is keras.ops.reshape(x, (-1,))"),
    _rewrite("batch_flatten", "keras.ops.reshape", [P("x")],
             "use keras.ops.reshape(x, (keras.ops.shape(x)[0], -1)) or keras.layers.Flatten"),
    _call("permute_dimensions", "keras.ops.transpose",
          [P("x", None, "x", ""), P("pattern", None, "axes", "None")], ["x", "axes"],
          note="pattern becomes axes"),
    _call("transpose", "keras.ops.transpose", [P("x", None, "x", "")], ["x", "axes"]),
    _call("tile", "keras.ops.tile", [P("x", None, "x", ""), P("n", None, "repeats", "")],
          ["x", "repeats"], note="n becomes repeats"),
    _call("repeat_elements", "keras.ops.repeat",
          [P("x", None, "x", ""), P("rep", None, "repeats", ""), P("axis", None, "axis", "None")],
          ["x", "repeats", "axis"], note="rep becomes repeats"),
    _rewrite("repeat", "keras.ops.tile", [P("x"), P("n")],
             "use keras.ops.tile(keras.ops.expand_dims(x, 1), [1, n, 1]) (keras.ops.repeat is K.repeat_elements) "
             "or keras.layers.RepeatVector(n)"),
    _call("reverse", "keras.ops.flip", [P("x", None, "x", ""), P("axes", None, "axis", "None")],
          ["x", "axis"], note="axes becomes axis"),
    _call("gather", "keras.ops.take",
          [P("reference", None, "x", ""), P("indices", None, "indices", ""),
           P("axis", "0", "axis", "None")],
          ["x", "indices", "axis"],
          note="axis=0 is passed explicitly because keras.ops.take flattens by default"),
    _call("one_hot", "keras.ops.one_hot",
          [P("indices", None, "x", ""), P("num_classes", None, "num_classes", "")],
          ["x", "num_classes"]),
    _call("slice", "keras.ops.slice",  # keras <= 2.2 only
          [P("x", None, "inputs", ""), P("start", None, "start_indices", ""),
           P("size", None, "shape", "")],
          ["inputs", "start_indices", "shape"]),
    _call("in_top_k", "keras.ops.in_top_k",
          [P("predictions", None, "predictions", ""), P("targets", None, "targets", ""),
           P("k", None, "k", "")],
          ["targets", "predictions", "k"],
          note="argument order changes to (targets, predictions, k)"),
    _rewrite("switch", "keras.ops.where",
             [P("condition", None, "condition", ""), P("then_expression", None, "x1", "None"),
              P("else_expression", None, "x2", "None")],
             "use keras.ops.cond(condition, lambda: then, lambda: else) for a scalar condition (K.switch used "
             "tf.cond there), keras.ops.where for a tensor of conditions"),
    _call("dot", "keras.ops.dot", [P("x", None, "x1", ""), P("y", None, "x2", "")], ["x1", "x2"],
          note="K.dot and keras.ops.dot both follow numpy.dot for n-d inputs"),
    _removed("batch_dot", "use keras.ops.einsum or keras.ops.matmul with the axes made explicit"),
    # ---------------------------------------------------------------- activations / nn
    _call("softmax", "keras.ops.softmax", [P("x", None, "x", ""), P("axis", "-1", "axis", "-1")],
          ["x", "axis"]),
    _call("relu", "keras.activations.relu",
          [P("x", None, "x", ""), P("alpha", "0.0", "negative_slope", "0.0"),
           P("max_value", "None", "max_value", "None"), P("threshold", "0.0", "threshold", "0.0")],
          ["x", "negative_slope", "max_value", "threshold"], note="alpha becomes negative_slope"),
    _call("elu", "keras.ops.elu", [P("x", None, "x", ""), P("alpha", "1.0", "alpha", "1.0")],
          ["x", "alpha"]),
    _call("l2_normalize", "keras.ops.normalize",
          [P("x", None, "x", ""), P("axis", "None", "axis", "-1"),
           P("epsilon", "1e-06", "epsilon", "None")],
          ["x", "axis"],
          note="axis=None and epsilon=1e-06 are passed explicitly to keep tf.linalg.l2_normalize results"),
    _call("dropout", "keras.random.dropout",
          [P("x", None, "inputs", ""), P("level", None, "rate", ""),
           P("noise_shape", "None", "noise_shape", "None"), P("seed", "None", "seed", "None")],
          ["inputs", "rate", "noise_shape", "seed"], note="level becomes rate"),
    _removed("bias_add", "add the bias directly (x + bias), reshaping it to broadcast for channels_first"),
    _call("batch_normalization", "keras.ops.batch_normalization",
          [P("x", None, "x", ""), P("mean", None, "mean", ""), P("var", None, "variance", ""),
           P("beta", None, "offset", "None"), P("gamma", None, "scale", "None"),
           P("axis", "-1", "axis", ""), P("epsilon", "0.001", "epsilon", "0.001")],
          ["x", "mean", "variance"],
          note="argument order changes (axis before offset/scale); mean and var must be 1-d along axis"),
    _removed("normalize_batch_in_training",
             "use keras.ops.moments then keras.ops.batch_normalization"),
    # ---------------------------------------------------------------- losses
    _call("categorical_crossentropy", "keras.ops.categorical_crossentropy",
          [P("target", None, "target", ""), P("output", None, "output", ""),
           P("from_logits", "False", "from_logits", "False"), P("axis", "-1", "axis", "-1")],
          ["target", "output", "from_logits", "axis"], note=_XENT_ORDER),
    _call("sparse_categorical_crossentropy", "keras.ops.sparse_categorical_crossentropy",
          [P("target", None, "target", ""), P("output", None, "output", ""),
           P("from_logits", "False", "from_logits", "False"), P("axis", "-1", "axis", "-1"),
           P("ignore_class", "None", None)],
          ["target", "output", "from_logits", "axis"],
          note="ignore_class needs keras.losses.sparse_categorical_crossentropy"),
    _call("binary_crossentropy", "keras.ops.binary_crossentropy",
          [P("target", None, "target", ""), P("output", None, "output", ""),
           P("from_logits", "False", "from_logits", "False")],
          ["target", "output", "from_logits"],
          note="K.binary_crossentropy also added epsilon inside the log (differences around 1e-7)"),
    _call("binary_focal_crossentropy", "keras.losses.binary_focal_crossentropy",
          [P("target", None, "y_true", ""), P("output", None, "y_pred", ""),
           P("apply_class_balancing", "False", "apply_class_balancing", "False"),
           P("alpha", "0.25", "alpha", "0.25"), P("gamma", "2.0", "gamma", "2.0"),
           P("from_logits", "False", "from_logits", "False")],
          ["y_true", "y_pred", "apply_class_balancing", "alpha", "gamma", "from_logits"], UNSAFE,
          "keras.losses.binary_focal_crossentropy averages over the last axis; the K.* one was element-wise"),
    _call("categorical_focal_crossentropy", "keras.losses.categorical_focal_crossentropy",
          [P("target", None, "y_true", ""), P("output", None, "y_pred", ""),
           P("alpha", "0.25", "alpha", "0.25"), P("gamma", "2.0", "gamma", "2.0"),
           P("from_logits", "False", "from_logits", "False"), P("axis", "-1", "axis", "-1")],
          ["y_true", "y_pred", "alpha", "gamma", "from_logits"], UNSAFE,
          "keras.losses puts label_smoothing before axis and may reduce differently; check results"),
    _none("ctc_batch_cost", "keras.ops.ctc_loss",
          "keras.ops.ctc_loss(target, output, target_length, output_length) uses class 0 as blank "
          "(K.ctc_batch_cost used the last class) and 1-d lengths"),
    _none("ctc_decode", "keras.ops.ctc_decode",
          "keras.ops.ctc_decode takes strategy='greedy' or 'beam_search' and uses class 0 as blank "
          "(K.ctc_decode used the last class)"),
    _removed("ctc_label_dense_to_sparse",
             "TensorFlow-only: pass dense labels to keras.ops.ctc_loss, or use tf.sparse.from_dense"),
    # ---------------------------------------------------------------- convolutions / pooling
    _conv("conv1d", "keras.ops.conv", "kernel", "1", "1"),
    _conv("conv2d", "keras.ops.conv", "kernel", "(1, 1)", "(1, 1)"),
    _conv("conv3d", "keras.ops.conv", "kernel", "(1, 1, 1)", "(1, 1, 1)"),
    _conv("depthwise_conv2d", "keras.ops.depthwise_conv", "depthwise_kernel", "(1, 1)", "(1, 1)"),
    _call("separable_conv2d", "keras.ops.separable_conv",
          [P("x", None, "inputs", ""), P("depthwise_kernel", None, "depthwise_kernel", ""),
           P("pointwise_kernel", None, "pointwise_kernel", ""),
           P("strides", "(1, 1)", "strides", "1"), P("padding", "'valid'", "padding", "'valid'"),
           P("data_format", "None", "data_format", "None"),
           P("dilation_rate", "(1, 1)", "dilation_rate", "1")],
          ["inputs", "depthwise_kernel", "pointwise_kernel", "strides", "padding", "data_format",
           "dilation_rate"]),
    _call("separable_conv1d", "keras.ops.separable_conv",  # keras <= 2.2 only
          [P("x", None, "inputs", ""), P("depthwise_kernel", None, "depthwise_kernel", ""),
           P("pointwise_kernel", None, "pointwise_kernel", ""),
           P("strides", "1", "strides", "1"), P("padding", "'valid'", "padding", "'valid'"),
           P("data_format", "None", "data_format", "None"),
           P("dilation_rate", "1", "dilation_rate", "1")],
          ["inputs", "depthwise_kernel", "pointwise_kernel", "strides", "padding", "data_format",
           "dilation_rate"]),
    _none("conv2d_transpose", "keras.ops.conv_transpose",
          "keras.ops.conv_transpose has no output_shape; express it with output_padding"),
    _none("conv3d_transpose", "keras.ops.conv_transpose",
          "keras.ops.conv_transpose has no output_shape; express it with output_padding"),
    _pool("pool2d", "(1, 1)"),
    _pool("pool3d", "(1, 1, 1)"),
    _removed("local_conv1d", "Keras 3 has no locally connected ops or layers; keep a TensorFlow copy"),
    _removed("local_conv2d", "Keras 3 has no locally connected ops or layers; keep a TensorFlow copy"),
    _none("resize_images", "keras.ops.image.resize",
          "use keras.layers.UpSampling2D or keras.ops.image.resize with the scaled size"),
    _removed("resize_volumes", "use keras.layers.UpSampling3D"),
    _none("temporal_padding", "keras.ops.pad", "use keras.ops.pad or keras.layers.ZeroPadding1D"),
    _none("spatial_2d_padding", "keras.ops.pad", "use keras.ops.pad or keras.layers.ZeroPadding2D"),
    _none("spatial_3d_padding", "keras.ops.pad", "use keras.ops.pad or keras.layers.ZeroPadding3D"),
    # ---------------------------------------------------------------- random
    _call("random_normal", "keras.random.normal",
          [P("shape", None, "shape", ""), P("mean", "0.0", "mean", "0.0"),
           P("stddev", "1.0", "stddev", "1.0"), P("dtype", "None", "dtype", "None"),
           P("seed", "None", "seed", "None")],
          ["shape", "mean", "stddev", "dtype", "seed"]),
    _call("random_uniform", "keras.random.uniform",
          [P("shape", None, "shape", ""), P("minval", "0.0", "minval", "0.0"),
           P("maxval", "1.0", "maxval", "1.0"), P("dtype", "None", "dtype", "None"),
           P("seed", "None", "seed", "None")],
          ["shape", "minval", "maxval", "dtype", "seed"]),
    _call("truncated_normal", "keras.random.truncated_normal",
          [P("shape", None, "shape", ""), P("mean", "0.0", "mean", "0.0"),
           P("stddev", "1.0", "stddev", "1.0"), P("dtype", "None", "dtype", "None"),
           P("seed", "None", "seed", "None")],
          ["shape", "mean", "stddev", "dtype", "seed"]),
    _call("random_bernoulli", "keras.random.binomial",
          [P("shape", None, "shape", ""), P("p", "0.0", "probabilities", ""),
           P("dtype", "None", "dtype", "None"), P("seed", "None", "seed", "None"),
           P("counts", "1", "counts", "")],
          ["shape"], note="a bernoulli draw is keras.random.binomial with counts=1"),
    _call("random_binomial", "keras.random.binomial",
          [P("shape", None, "shape", ""), P("p", "0.0", "probabilities", ""),
           P("dtype", "None", "dtype", "None"), P("seed", "None", "seed", "None"),
           P("counts", "1", "counts", "")],
          ["shape"], note="K.random_binomial drew bernoulli samples: keras.random.binomial with counts=1"),
    _removed("random_normal_variable",
             "use keras.Variable(keras.random.normal(shape, mean, scale, dtype, seed), name=name)"),
    _removed("random_uniform_variable",
             "use keras.Variable(keras.random.uniform(shape, low, high, dtype, seed), name=name)"),
    # ---------------------------------------------------------------- tensors and variables
    _rewrite("variable", "keras.Variable",
             [P("value"), P("dtype", "None"), P("name", "None"), P("constraint", "None")],
             "use keras.Variable(value, dtype=keras.config.floatx()): K.variable defaulted dtype to floatx"),
    _rewrite("constant", "keras.ops.convert_to_tensor",
             [P("value"), P("dtype", "None"), P("shape", "None"), P("name", "None")],
             "use keras.ops.convert_to_tensor(value, dtype=keras.config.floatx()): K.constant defaulted dtype "
             "to floatx"),
    _rewrite("zeros", "keras.ops.zeros", [P("shape"), P("dtype", "None"), P("name", "None")],
             "use keras.ops.zeros(shape, dtype=keras.config.floatx()); " + _ZEROS_NOTE.format("zeros")),
    _rewrite("ones", "keras.ops.ones", [P("shape"), P("dtype", "None"), P("name", "None")],
             "use keras.ops.ones(shape, dtype=keras.config.floatx()); " + _ZEROS_NOTE.format("ones")),
    _rewrite("eye", "keras.ops.eye", [P("size"), P("dtype", "None"), P("name", "None")],
             "use keras.ops.eye(n, dtype=keras.config.floatx()); K.eye returned a variable, "
             "keras.ops.eye returns a tensor"),
    _call("zeros_like", "keras.ops.zeros_like",
          [P("x", None, "x", ""), P("dtype", "None", "dtype", "None"), P("name", "None", None)],
          ["x", "dtype"]),
    _call("ones_like", "keras.ops.ones_like",
          [P("x", None, "x", ""), P("dtype", "None", "dtype", "None"), P("name", "None", None)],
          ["x", "dtype"]),
    _rewrite("arange", "keras.ops.arange", [P("start"), P("stop", "None"), P("step", "1"), P("dtype", "'int32'")],
             "use keras.ops.arange(start, stop, step); K.arange's dtype='int32' default did not cast"),
    _call("cast", "keras.ops.cast", [P("x", None, "x", ""), P("dtype", None, "dtype", "")],
          ["x", "dtype"]),
    _rewrite("cast_to_floatx", "keras.ops.cast", [P("x")],
             "use keras.ops.cast(x, keras.config.floatx()) for tensors, numpy.asarray(x, keras.config.floatx()) "
             "for anything else"),
    _rewrite("eval", "keras.ops.convert_to_numpy", [P("x")],
             "use keras.ops.convert_to_numpy(x); a 0-d tensor comes back as a 0-d array, not a numpy scalar"),
    _rewrite("get_value", "keras.ops.convert_to_numpy", [P("x")],
             "use keras.ops.convert_to_numpy(x); a 0-d tensor comes back as a 0-d array, not a numpy scalar"),
    _rewrite("set_value", "keras.Variable.assign", [P("x"), P("value")], "use x.assign(value)"),
    _rewrite("batch_get_value", "keras.ops.convert_to_numpy", [P("tensors")],
             "use [keras.ops.convert_to_numpy(t) for t in tensors]", UNSAFE),
    _removed("batch_set_value", "call x.assign(value) for each (x, value) pair"),
    _rewrite("update", "keras.Variable.assign", [P("x"), P("new_x")], "use x.assign(new_x)"),
    _rewrite("update_add", "keras.Variable.assign_add", [P("x"), P("increment")], "use x.assign_add(increment)"),
    _rewrite("update_sub", "keras.Variable.assign_sub", [P("x"), P("decrement")], "use x.assign_sub(decrement)"),
    _removed("moving_average_update", "use x.assign(x * momentum + value * (1 - momentum))"),
    _rewrite("int_shape", "tuple", [P("x")], _SHAPE_NOTE),
    _rewrite("get_variable_shape", "tuple", [P("x")], _SHAPE_NOTE),
    _rewrite("shape", "keras.ops.shape", [P("x")],
             "use keras.ops.convert_to_tensor(keras.ops.shape(x), dtype='int32'): K.shape returned a 1-d int32 "
             "tensor, keras.ops.shape returns a tuple (tuple * 32 repeats it)"),
    _rewrite("ndim", "len", [P("x")], "use len(x.shape)"),
    _rewrite("dtype", "keras.backend.standardize_dtype", [P("x")],
             "use keras.backend.standardize_dtype(x.dtype), the dtype's name as K.dtype gave it"),
    _removed("count_params", "use math.prod(x.shape)"),
    _call("is_tensor", "keras.ops.is_tensor", [P("x", None, "x", "")], ["x"], UNSAFE,
          "symbolic keras inputs are not backend tensors; see keras.backend.is_keras_tensor"),
    _removed("is_sparse", "TensorFlow-only; use isinstance(x, tf.SparseTensor)"),
    _call("to_dense", "keras.ops.convert_to_tensor",
          [P("tensor", None, "x", ""), P("sparse", "False", "sparse", "None")],
          ["x", "dtype", "sparse"], UNSAFE,
          "keras.ops.convert_to_tensor(x, sparse=False) densifies but also converts non-tensors"),
    _removed("is_placeholder", "Keras 3 has no placeholders; use keras.backend.is_keras_tensor"),
    _call("identity", "keras.ops.copy", [P("x", None, "x", ""), P("name", "None", None)], ["x"],
          note="not keras.ops.identity, which builds an identity matrix"),
    _call("stop_gradient", "keras.ops.stop_gradient",
          [P("variables", None, "variable", "")], ["variable"]),
    _rewrite("print_tensor", "print", [P("x"), P("message", "''"), P("summarize", "3")],
             "use print() eagerly, or tf.print / jax.debug.print in compiled code; the unsafe fix keeps the value "
             "and drops the print", UNSAFE),
    _removed("gradients", "use tf.GradientTape, jax.grad or torch.autograd for the active backend"),
    _rewrite("function", "keras.Function", [P("inputs"), P("outputs"), P("updates", "None"), P("name", "None")],
             "use keras.Function(inputs, outputs), which returns tensors; or call the model or layer directly",
             UNSAFE),
    _rewrite("placeholder", "keras.Input",
             [P("shape", "None"), P("ndim", "None"), P("dtype", "None"), P("sparse", "False"), P("name", "None"),
              P("ragged", "False")],
             "use keras.Input(batch_shape=shape, dtype=...); a symbolic input cannot be fed through a session",
             UNSAFE),
    # ---------------------------------------------------------------- control flow
    _removed("rnn", "use keras.layers.RNN with a custom cell, or keras.ops.scan"),
    _call("map_fn", "keras.ops.map",
          [P("fn", None, "f", ""), P("elems", None, "xs", ""), P("name", "None", None),
           P("dtype", "None", None)],
          ["f", "xs"]),
    _none("foldl", "keras.ops.scan",
          "use keras.ops.scan(lambda c, x: (fn(c, x), None), initializer, elems)[0]"),
    _none("foldr", "keras.ops.scan",
          "use keras.ops.scan(lambda c, x: (fn(c, x), None), initializer, elems, reverse=True)[0]"),
    # ---------------------------------------------------------------- learning phase
    _removed("learning_phase", _PHASE_NOTE),
    _removed("set_learning_phase", _PHASE_NOTE),
    _removed("learning_phase_scope", _PHASE_NOTE),
    _rewrite("in_train_phase", "keras.ops.cond", [P("x"), P("alt"), P("training", "None")],
             "use x() if training else alt, with the layer's training argument (keras.ops.cond for a tensor "
             "flag); Keras 3 has no learning phase"),
    _rewrite("in_test_phase", "keras.ops.cond", [P("x"), P("alt"), P("training", "None")],
             "use alt() if training else x, with the layer's training argument (keras.ops.cond for a tensor "
             "flag); Keras 3 has no learning phase"),
    # ---------------------------------------------------------------- config / session / misc
    _call("epsilon", "keras.config.epsilon"),
    _call("floatx", "keras.config.floatx"),
    _call("image_data_format", "keras.config.image_data_format"),
    _call("set_epsilon", "keras.config.set_epsilon", [P("value", None, "value", "")], ["value"]),
    _call("set_floatx", "keras.config.set_floatx", [P("value", None, "value", "")], ["value"]),
    _call("set_image_data_format", "keras.config.set_image_data_format",
          [P("data_format", None, "data_format", "")], ["data_format"]),
    _call("clear_session", "keras.utils.clear_session"),
    _call("name_scope", "keras.name_scope", [P("name", None, "name", "")], ["name"]),
    _removed("reset_uids", "use keras.utils.clear_session(), which also resets the name counters"),
    _removed("manual_variable_initialization",
             "Keras 3 variables are initialized when created; remove the call"),
    _rewrite("image_dim_ordering", "keras.config.image_data_format", [],
             "use keras.config.image_data_format(), which returns 'channels_first'/'channels_last' for 'th'/'tf'"),
    _rewrite("set_image_dim_ordering", "keras.config.set_image_data_format", [P("dim_ordering")],
             "use keras.config.set_image_data_format('channels_first') for 'th', 'channels_last' for 'tf'"),
    _removed("normalize_data_format",
             "private helper; use data_format or keras.config.image_data_format()"),
    _removed("get_session", "Keras 3 has no sessions; remove it or use tf.compat.v1 APIs directly"),
    _removed("set_session", "Keras 3 has no sessions; configure TensorFlow with tf.config instead"),
    _removed("get_graph", "Keras 3 has no graphs of its own; use TensorFlow directly"),
    _removed("_get_available_gpus",
             "use tf.config.list_logical_devices('GPU') or jax.devices('gpu')"),
    _removed("experimental",
             "TensorFlow random generator switches; Keras 3 uses keras.random.SeedGenerator"),
    # keras 2.3 / 1.x only
    _call("size", "keras.ops.size", [P("x", None, "x", ""), P("name", "None", None)], ["x"]),
    _removed("symbolic", "Keras 3 needs no graph decorator; remove @symbolic"),
    _removed("eager", "Keras 3 needs no graph decorator; remove @eager"),
    _removed("is_variable", "use isinstance(x, keras.Variable)"),
    _removed("control_dependencies", "Keras 3 runs eagerly or traces in order; remove the context"),
    _binary("lesser", "keras.ops.less"),
    _binary("lesser_equal", "keras.ops.less_equal"),
    _removed("enable_tf_random_generator", "keras.random uses keras.random.SeedGenerator; remove the call"),
    _removed("disable_tf_random_generator", "keras.random uses keras.random.SeedGenerator; remove the call"),
    _removed("is_tf_random_generator_enabled",
             "remove the check (keras.random always uses keras.random.SeedGenerator)"),
    Replacement("tf", "tensorflow", kind="attribute",
                note="K.tf was the tensorflow module leaked by the backend; import tensorflow"),
    Replacement("np", "numpy", kind="attribute",
                note="K.np was the numpy module leaked by the backend; import numpy"),
)


def _build(entries: Tuple[Replacement, ...]) -> Dict[str, Replacement]:
    table: Dict[str, Replacement] = {}
    for entry in entries:
        if entry.old in table:
            raise ValueError(f"duplicate replacement for {entry.old!r}")
        table[entry.old] = entry
    return table


REPLACEMENTS: Mapping[str, Replacement] = _build(_ENTRIES)

#: (old name, parameter name) of implicit parameters (see the module docstring)
IMPLICIT_PARAMS: FrozenSet[Tuple[str, str]] = frozenset({
    ("flatten", "newshape"),
    ("gather", "axis"),
    ("l2_normalize", "epsilon"),
    ("random_bernoulli", "counts"),
    ("random_binomial", "counts"),
    ("to_dense", "sparse"),
})


def replacement_for(name: str) -> Optional[Replacement]:
    return REPLACEMENTS.get(name)


def replacement_hint(name: str) -> str:
    """Short 'use X' text for messages: 'use keras.ops.mean', 'use keras.config.epsilon',
    'no Keras 3 equivalent: <advice>'. Returns '' when unknown."""
    entry = REPLACEMENTS.get(name)
    if entry is None:
        return ""
    if entry.target is None:
        return f"no Keras 3 equivalent: {entry.note}" if entry.note else "no Keras 3 equivalent"
    if (entry.safety == NONE or entry.rewrite) and entry.note.startswith("use "):
        return entry.note
    if entry.note and entry.safety != SAFE:
        return f"use {entry.target} ({entry.note})"
    return f"use {entry.target}"
