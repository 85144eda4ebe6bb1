# keras 2.2.4: Keras-2.2.4/keras/layers/advanced_activations.py line 181 (method ELU.call, `self` rebuilt from __init__ defaults)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 50}
from keras import backend as K


class _Self:
    """`self` of ELU() with its default arguments: the attributes call reads."""

    def __init__(self, alpha=1.0):
        self.alpha = K.cast_to_floatx(alpha)


def call(self, inputs):
    return K.elu(inputs, self.alpha)
