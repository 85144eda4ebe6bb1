# keras 2.2.4: Keras-2.2.4/keras/constraints.py line 135 (method MinMaxNorm.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "w", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 43}
from keras import backend as K


class _Self:
    """`self` of MinMaxNorm: the attributes __call__ reads, set as MinMaxNorm.__init__ sets them."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.rate = rate
        self.axis = axis
        self.min_value = min_value
        self.max_value = max_value


def __call__(self, w):
    norms = K.sqrt(K.sum(K.square(w), axis=self.axis, keepdims=True))
    desired = (self.rate * K.clip(norms, self.min_value, self.max_value) +
               (1 - self.rate) * norms)
    w *= (desired / (K.epsilon() + norms))
    return w
