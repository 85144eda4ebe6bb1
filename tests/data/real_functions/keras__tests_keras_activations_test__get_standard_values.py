# keras 2.2.4: Keras-2.2.4/tests/keras/activations_test.py line 11 (function get_standard_values)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [], "factory": false, "function": "get_standard_values", "random": false, "seed": 56}
from keras import backend as K
import numpy as np


def get_standard_values():
    """A set of floats used for testing the activations.
    """
    return np.array([[0, 0.1, 0.5, 0.9, 1.0]], dtype=K.floatx())
