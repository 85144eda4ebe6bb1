# keras 2.2.4: Keras-2.2.4/keras/regularizers.py line 37 (method L1L2.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 38}
from keras import backend as K


class _Self:
    """`self` of L1L2: the attributes __call__ reads, set as L1L2.__init__ sets them."""

    def __init__(self, l1=0., l2=0.):
        self.l1 = K.cast_to_floatx(l1)
        self.l2 = K.cast_to_floatx(l2)


def __call__(self, x):
    regularization = 0.
    if self.l1:
        regularization += K.sum(self.l1 * K.abs(x))
    if self.l2:
        regularization += K.sum(self.l2 * K.square(x))
    return regularization
