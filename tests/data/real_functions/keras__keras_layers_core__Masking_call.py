# keras 2.2.4: Keras-2.2.4/keras/layers/core.py line 66 (method Masking.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 38}
from keras import backend as K


class _Self:
    """`self` of Masking: the attributes call reads, set as Masking.__init__ sets them."""

    def __init__(self, mask_value=0.):
        self.mask_value = mask_value


def call(self, inputs):
    boolean_mask = K.any(K.not_equal(inputs, self.mask_value),
                         axis=-1, keepdims=True)
    return inputs * K.cast(boolean_mask, K.dtype(inputs))
