# keras 2.2.4: Keras-2.2.4/keras/initializers.py line 110 (method RandomUniform.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "pyshape", "name": "shape", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": true, "seed": 47}
from keras import backend as K


class _Self:
    """`self` of RandomUniform: the attributes __call__ reads, set as RandomUniform.__init__ sets them."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        self.seed = seed


def __call__(self, shape, dtype=None):
    return K.random_uniform(shape, self.minval, self.maxval,
                            dtype=dtype, seed=self.seed)
