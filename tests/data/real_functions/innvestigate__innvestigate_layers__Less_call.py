# innvestigate 1.0.9: innvestigate/layers.py line 363 (method Less.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "call", "random": false, "seed": 44}
import keras.backend as K


class _Self:
    """`self` of Less: the attributes call reads, set as Less.__init__ sets them."""

    pass


def call(self, x):
    a, b = x
    return K.less(a, b)
