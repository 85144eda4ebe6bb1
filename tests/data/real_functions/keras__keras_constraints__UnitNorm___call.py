# keras 2.2.4: Keras-2.2.4/keras/constraints.py line 91 (method UnitNorm.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "w", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 41}
from keras import backend as K


class _Self:
    """`self` of UnitNorm: the attributes __call__ reads, set as UnitNorm.__init__ sets them."""

    def __init__(self, axis=0):
        self.axis = axis


def __call__(self, w):
    return w / (K.epsilon() + K.sqrt(K.sum(K.square(w),
                                           axis=self.axis,
                                           keepdims=True)))
