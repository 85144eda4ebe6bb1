# keras 2.2.4: Keras-2.2.4/keras/layers/core.py line 556 (method RepeatVector.call, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 43, "self_args": {"n": 2}}
from keras import backend as K


class _Self:
    """`self` of RepeatVector: the attributes call reads, set as RepeatVector.__init__ sets them."""

    def __init__(self, *, n):
        self.n = n


def call(self, inputs):
    return K.repeat(inputs, self.n)
