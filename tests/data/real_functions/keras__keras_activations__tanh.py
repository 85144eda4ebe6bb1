# keras 2.2.4: Keras-2.2.4/keras/activations.py line 133 (function tanh)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "tanh", "random": false, "seed": 30}
from keras import backend as K


def tanh(x):
    """Hyperbolic tangent activation function.
    """
    return K.tanh(x)
