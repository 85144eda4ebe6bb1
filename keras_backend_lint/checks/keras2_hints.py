"""Advice for Keras 2 targets: what to write instead of a backend name the target's Keras 2 lacks.

keras.ops/keras.config do not exist before Keras 3, so the Keras 3 table (``replacements.py``) cannot help there.
Each spelling was checked to exist on TensorFlow 2.15 / Keras 2.15 (``/work/venvs/k215``).
"""
from __future__ import annotations

from typing import Dict

KERAS2_ADVICE: Dict[str, str] = {
    # names only old (<= 2.3) releases had, still used in tf.keras-era code
    "logsumexp": "use tf.math.reduce_logsumexp",
    "is_tensor": "use tf.is_tensor",
    "identity": "use tf.identity",
    "size": "use tf.size",
    "slice": "use tf.slice",
    "control_dependencies": "use tf.control_dependencies",
    "conv3d_transpose": "use tf.nn.conv3d_transpose",
    "separable_conv1d": "use keras.layers.SeparableConv1D",
    "get_variable_shape": "use tuple(x.shape)",
    "is_placeholder": "use keras.backend.is_keras_tensor",
    "is_variable": "use isinstance(x, tf.Variable)",
    "symbolic": "remove the @symbolic decorator (tf.keras runs eagerly or traces with tf.function)",
    "eager": "remove the @eager decorator (tf.keras runs eagerly or traces with tf.function)",
    "normalize_data_format": "pass data_format explicitly, or use image_data_format()",
    "set_image_dim_ordering": "use set_image_data_format('channels_first' or 'channels_last')",
    "image_dim_ordering": "use image_data_format()",
    # sessions and graphs left keras.backend after 2.12; TensorFlow keeps them under tf.compat.v1
    "get_session": "use tf.compat.v1.keras.backend.get_session",
    "set_session": "use tf.compat.v1.keras.backend.set_session",
    "get_graph": "use tf.compat.v1.get_default_graph",
    "_BACKEND": "use backend()",
    # TensorFlow random-generator switches of 2.10-2.15
    "experimental": "remove the random-generator switch",
    "enable_tf_random_generator": "remove the call",
    "disable_tf_random_generator": "remove the call",
    "is_tf_random_generator_enabled": "remove the check",
    "binary_focal_crossentropy": "use keras.losses.binary_focal_crossentropy",
    "categorical_focal_crossentropy": "use keras.losses.categorical_focal_crossentropy",
    "tf": "import tensorflow directly",
    "np": "import numpy directly",
}
