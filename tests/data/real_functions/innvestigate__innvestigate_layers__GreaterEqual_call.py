# innvestigate 1.0.9: innvestigate/layers.py line 379 (method GreaterEqual.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "call", "random": false, "seed": 52}
import keras.backend as K


class _Self:
    """`self` of GreaterEqual: the attributes call reads, set as GreaterEqual.__init__ sets them."""

    pass


def call(self, x):
    a, b = x
    return K.greater_equal(a, b)
