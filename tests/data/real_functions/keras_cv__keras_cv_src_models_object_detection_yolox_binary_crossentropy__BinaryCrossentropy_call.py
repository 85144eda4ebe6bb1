# keras-cv 0.9.0: keras_cv/src/models/object_detection/yolox/binary_crossentropy.py line 58 (method BinaryCrossentropy.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 0}
from tensorflow import keras
import tensorflow as tf
import warnings


class _Self:
    """`self` of BinaryCrossentropy: the attributes call reads, set as BinaryCrossentropy.__init__ sets them."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=None):
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.from_logits = from_logits


def call(self, y_true, y_pred):
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    label_smoothing = tf.convert_to_tensor(
        self.label_smoothing, dtype=y_pred.dtype
    )

    def _smooth_labels():
        return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing

    y_true = tf.__internal__.smart_cond.smart_cond(
        label_smoothing, _smooth_labels, lambda: y_true
    )

    if self.axis == "no_reduction":
        warnings.warn(
            "`axis='no_reduction'` is a temporary API, and the API"
            "contract will be replaced in the future with a more generic "
            "solution covering all losses."
        )
        return tf.reduce_mean(
            keras.backend.binary_crossentropy(
                y_true, y_pred, from_logits=self.from_logits
            ),
            axis=self.axis,
        )

    return keras.backend.binary_crossentropy(
        y_true, y_pred, from_logits=self.from_logits
    )
