# keras 2.2.4: Keras-2.2.4/examples/antirectifier.py line 55 (method Antirectifier.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": false, "seed": 49}
from keras import backend as K


class _Self:
    """`self` of Antirectifier: the attributes call reads, set as Antirectifier.__init__ sets them."""

    pass


def call(self, inputs):
    inputs -= K.mean(inputs, axis=1, keepdims=True)
    inputs = K.l2_normalize(inputs, axis=1)
    pos = K.relu(inputs)
    neg = K.relu(-inputs)
    return K.concatenate([pos, neg], axis=1)
