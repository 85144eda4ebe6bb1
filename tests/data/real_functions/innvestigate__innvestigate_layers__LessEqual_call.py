# innvestigate 1.0.9: innvestigate/layers.py line 385 (method LessEqual.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "call", "random": false, "seed": 49}
import keras.backend as K


class _Self:
    """`self` of LessEqual: the attributes call reads, set as LessEqual.__init__ sets them."""

    pass


def call(self, x):
    a, b = x
    return K.less_equal(a, b)
