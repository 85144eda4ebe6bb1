# keras 2.2.4: Keras-2.2.4/keras/layers/merge.py line 364 (method Concatenate._merge_function, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"count": 2, "kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "_merge_function", "random": false, "seed": 54}
from keras import backend as K


class _Self:
    """`self` of Concatenate: the attributes _merge_function reads, set as Concatenate.__init__ sets them."""

    def __init__(self, axis=-1):
        self.axis = axis


def _merge_function(self, inputs):
    return K.concatenate(inputs, axis=self.axis)
