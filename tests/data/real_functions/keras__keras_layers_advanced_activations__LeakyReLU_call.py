# keras 2.2.4: Keras-2.2.4/keras/layers/advanced_activations.py line 47 (method LeakyReLU.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 56}
from keras import backend as K


class _Self:
    """`self` of LeakyReLU: the attributes call reads, set as LeakyReLU.__init__ sets them."""

    def __init__(self, alpha=0.3):
        self.alpha = K.cast_to_floatx(alpha)


def call(self, inputs):
    return K.relu(inputs, alpha=self.alpha)
