# keras 2.2.4: Keras-2.2.4/keras/initializers.py line 82 (method RandomNormal.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "pyshape", "name": "shape", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": true, "seed": 46}
from keras import backend as K


class _Self:
    """`self` of RandomNormal: the attributes __call__ reads, set as RandomNormal.__init__ sets them."""

    def __init__(self, mean=0., stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        self.seed = seed


def __call__(self, shape, dtype=None):
    return K.random_normal(shape, self.mean, self.stddev,
                           dtype=dtype, seed=self.seed)
