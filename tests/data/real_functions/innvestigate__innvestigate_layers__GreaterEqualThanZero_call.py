# innvestigate 1.0.9: innvestigate/layers.py line 391 (method GreaterEqualThanZero.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 60}
import keras.backend as K


class _Self:
    """`self` of GreaterEqualThanZero: the attributes call reads, set as GreaterEqualThanZero.__init__ sets them."""

    pass


def call(self, x):
    return K.greater_equal(x, K.constant(0))
