# innvestigate 1.0.9: innvestigate/layers.py line 406 (method Transpose.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 49}
import keras.backend as K


class _Self:
    """`self` of Transpose: the attributes call reads, set as Transpose.__init__ sets them."""

    def __init__(self, axes=None):
        self._axes = axes


def call(self, x):
    if self._axes is None:
        return K.transpose(x)
    else:
        return K.permute_dimensions(x, self._axes)
