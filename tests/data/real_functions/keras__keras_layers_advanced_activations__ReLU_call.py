# keras 2.2.4: Keras-2.2.4/keras/layers/advanced_activations.py line 305 (method ReLU.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 51}
from keras import backend as K


class _Self:
    """`self` of ReLU: the attributes call reads, set as ReLU.__init__ sets them."""

    def __init__(self, max_value=None, negative_slope=0., threshold=0.):
        self.negative_slope = K.cast_to_floatx(negative_slope)
        self.max_value = max_value
        self.threshold = K.cast_to_floatx(threshold)


def call(self, inputs):
    return K.relu(inputs,
                  alpha=self.negative_slope,
                  max_value=self.max_value,
                  threshold=self.threshold)
