# keras 2.2.4: Keras-2.2.4/keras/layers/noise.py line 139 (method AlphaDropout._get_noise_shape, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "_get_noise_shape", "random": false, "seed": 56}
from keras import backend as K


class _Self:
    """`self` of AlphaDropout: the attributes _get_noise_shape reads, set as AlphaDropout.__init__ sets them."""

    def __init__(self, noise_shape=None):
        self.noise_shape = noise_shape


def _get_noise_shape(self, inputs):
    return self.noise_shape if self.noise_shape else K.shape(inputs)
