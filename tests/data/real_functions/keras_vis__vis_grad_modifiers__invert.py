# keras-vis 0.4.1: vis/grad_modifiers.py line 32 (function invert)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "grads", "shape": [4, 5]}], "factory": false, "function": "invert", "random": false, "seed": 37}
from keras import backend as K


def invert(grads):
    """Inverts the gradients.

    Args:
        grads: A numpy array of grads to use.

    Returns:
        The inverted gradients.
    """
    return 1. / (grads + K.epsilon())
