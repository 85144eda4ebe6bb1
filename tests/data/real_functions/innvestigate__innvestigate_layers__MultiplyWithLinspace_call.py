# innvestigate 1.0.9: innvestigate/layers.py line 506 (method MultiplyWithLinspace.call, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 60, "self_args": {"end": 1.0, "start": 0.0}}
import keras.backend as K
import numpy as np


class _Self:
    """`self` of MultiplyWithLinspace: the attributes call reads, set as MultiplyWithLinspace.__init__ sets them."""

    def __init__(self, n=1, axis=-1, *, start, end):
        self._n = n
        self._start = start
        self._axis = axis
        self._end = end


def call(self, x):
    linspace = (self._start +
                (self._end-self._start) *
                (K.arange(self._n, dtype=K.floatx())/self._n))

    # Make broadcastable.
    shape = np.ones(len(K.int_shape(x)))
    shape[self._axis] = self._n
    linspace = K.reshape(linspace, shape)
    return x * linspace
