# keras 2.2.4: Keras-2.2.4/keras/layers/core.py line 171 (method SpatialDropout1D._get_noise_shape, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [2, 3, 4]}], "factory": false, "function": "_get_noise_shape", "random": false, "seed": 59}
from keras import backend as K


class _Self:
    """`self` of SpatialDropout1D: the attributes _get_noise_shape reads, set as SpatialDropout1D.__init__ sets them."""

    pass


def _get_noise_shape(self, inputs):
    input_shape = K.shape(inputs)
    noise_shape = (input_shape[0], 1, input_shape[2])
    return noise_shape
