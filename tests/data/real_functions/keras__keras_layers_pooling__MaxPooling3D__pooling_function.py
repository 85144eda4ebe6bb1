# keras 2.2.4: Keras-2.2.4/keras/layers/pooling.py line 429 (method MaxPooling3D._pooling_function, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [2, 6, 6, 6, 2]}, {"kind": "py", "name": "pool_size", "shape": [2, 6, 6, 6, 2], "value": [2, 2, 2]}, {"kind": "py", "name": "strides", "shape": [2, 6, 6, 6, 2], "value": [2, 2, 2]}, {"kind": "py", "name": "padding", "shape": [2, 6, 6, 6, 2], "value": "valid"}, {"kind": "py", "name": "data_format", "shape": [2, 6, 6, 6, 2], "value": "channels_last"}], "factory": false, "function": "_pooling_function", "random": false, "seed": 59}
from keras import backend as K


class _Self:
    """`self` of MaxPooling3D: the attributes _pooling_function reads, set as MaxPooling3D.__init__ sets them."""

    pass


def _pooling_function(self, inputs, pool_size, strides,
                      padding, data_format):
    output = K.pool3d(inputs, pool_size, strides,
                      padding, data_format, pool_mode='max')
    return output
