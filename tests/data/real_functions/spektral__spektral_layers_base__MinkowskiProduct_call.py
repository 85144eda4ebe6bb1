# spektral 1.3.0: spektral/layers/base.py line 193 (method MinkowskiProduct.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 53}
from tensorflow.keras import backend as K
from tensorflow.keras import activations
import numpy as np
import tensorflow as tf


class _Self:
    """`self` of MinkowskiProduct: the attributes call reads, set as MinkowskiProduct.__init__ sets them."""

    def __init__(self, activation=None):
        self.activation = activations.get(activation)


def call(self, inputs):
    F = tf.shape(inputs)[-1]
    minkowski_prod_mat = np.eye(F)
    minkowski_prod_mat[-1, -1] = -1.0
    minkowski_prod_mat = K.constant(minkowski_prod_mat)
    output = K.dot(inputs, minkowski_prod_mat)
    output = K.dot(output, K.transpose(inputs))
    output = K.clip(output, -10e9, -1.0)

    if self.activation is not None:
        output = self.activation(output)

    return output
