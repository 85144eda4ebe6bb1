# keras 2.2.4: Keras-2.2.4/keras/constraints.py line 91 (method UnitNorm.__call__, `self` rebuilt from __init__ defaults)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "w", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 41}
from keras import backend as K


class _Self:
    """`self` of UnitNorm() with its default arguments: the attributes __call__ reads."""

    def __init__(self, axis=0):
        self.axis = axis


def __call__(self, w):
    return w / (K.epsilon() + K.sqrt(K.sum(K.square(w),
                                           axis=self.axis,
                                           keepdims=True)))
