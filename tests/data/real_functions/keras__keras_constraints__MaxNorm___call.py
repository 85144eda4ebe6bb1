# keras 2.2.4: Keras-2.2.4/keras/constraints.py line 51 (method MaxNorm.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "w", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 40}
from keras import backend as K


class _Self:
    """`self` of MaxNorm: the attributes __call__ reads, set as MaxNorm.__init__ sets them."""

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis


def __call__(self, w):
    norms = K.sqrt(K.sum(K.square(w), axis=self.axis, keepdims=True))
    desired = K.clip(norms, 0, self.max_value)
    w *= (desired / (K.epsilon() + norms))
    return w
