# innvestigate 1.0.9: innvestigate/layers.py line 374 (method LessThanZero.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 52}
import keras.backend as K


class _Self:
    """`self` of LessThanZero: the attributes call reads, set as LessThanZero.__init__ sets them."""

    pass


def call(self, x):
    return K.less(x, K.constant(0))
