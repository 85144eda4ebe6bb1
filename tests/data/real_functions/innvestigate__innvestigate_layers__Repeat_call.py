# innvestigate 1.0.9: innvestigate/layers.py line 469 (method Repeat.call, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "call", "random": false, "seed": 46, "self_args": {"axis": 2, "n": 2}}
import keras.backend as K


class _Self:
    """`self` of Repeat: the attributes call reads, set as Repeat.__init__ sets them."""

    def __init__(self, *, n, axis):
        self._n = n
        self._axis = axis


def call(self, x):
    return K.repeat_elements(x, self._n, self._axis)
