# keras 2.2.4: Keras-2.2.4/keras/initializers.py line 59 (method Constant.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "pyshape", "name": "shape", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 42}
from keras import backend as K


class _Self:
    """`self` of Constant: the attributes __call__ reads, set as Constant.__init__ sets them."""

    def __init__(self, value=0):
        self.value = value


def __call__(self, shape, dtype=None):
    return K.constant(self.value, shape=shape, dtype=dtype)
