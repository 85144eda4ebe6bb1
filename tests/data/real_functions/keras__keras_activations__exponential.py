# keras 2.2.4: Keras-2.2.4/keras/activations.py line 163 (function exponential)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "exponential", "random": false, "seed": 37}
from keras import backend as K


def exponential(x):
    """Exponential (base e) activation function.
    """
    return K.exp(x)
