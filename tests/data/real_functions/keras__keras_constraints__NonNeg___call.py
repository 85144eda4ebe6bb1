# keras 2.2.4: Keras-2.2.4/keras/constraints.py line 66 (method NonNeg.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "w", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 39}
from keras import backend as K


class _Self:
    """`self` of NonNeg: the attributes __call__ reads, set as NonNeg.__init__ sets them."""

    pass


def __call__(self, w):
    w *= K.cast(K.greater_equal(w, 0.), K.floatx())
    return w
