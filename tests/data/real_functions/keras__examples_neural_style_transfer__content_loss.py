# keras 2.2.4: Keras-2.2.4/examples/neural_style_transfer.py line 185 (function content_loss)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "base", "shape": [4, 5]}, {"kind": "normal", "name": "combination", "shape": [4, 5]}], "factory": false, "function": "content_loss", "random": false, "seed": 51}
from keras import backend as K


def content_loss(base, combination):
    return K.sum(K.square(combination - base))
