# keras 2.2.4: Keras-2.2.4/keras/layers/advanced_activations.py line 221 (method ThresholdedReLU.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 62}
from keras import backend as K


class _Self:
    """`self` of ThresholdedReLU: the attributes call reads, set as ThresholdedReLU.__init__ sets them."""

    def __init__(self, theta=1.0):
        self.theta = K.cast_to_floatx(theta)


def call(self, inputs, mask=None):
    return inputs * K.cast(K.greater(inputs, self.theta), K.floatx())
