# keras 2.2.4: Keras-2.2.4/keras/activations.py line 139 (function sigmoid)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "sigmoid", "random": false, "seed": 33}
from keras import backend as K


def sigmoid(x):
    """Sigmoid activation function.
    """
    return K.sigmoid(x)
