# keras 2.2.4: Keras-2.2.4/keras/layers/merge.py line 321 (method Minimum._merge_function, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"count": 2, "kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "_merge_function", "random": false, "seed": 50}
from keras import backend as K


class _Self:
    """`self` of Minimum: the attributes _merge_function reads, set as Minimum.__init__ sets them."""

    pass


def _merge_function(self, inputs):
    output = inputs[0]
    for i in range(1, len(inputs)):
        output = K.minimum(output, inputs[i])
    return output
