# keras 2.2.4: Keras-2.2.4/keras/initializers.py line 45 (method Ones.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "pyshape", "name": "shape", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 38}
from keras import backend as K


class _Self:
    """`self` of Ones: the attributes __call__ reads, set as Ones.__init__ sets them."""

    pass


def __call__(self, shape, dtype=None):
    return K.constant(1, shape=shape, dtype=dtype)
