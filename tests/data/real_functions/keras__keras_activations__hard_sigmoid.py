# keras 2.2.4: Keras-2.2.4/keras/activations.py line 145 (function hard_sigmoid)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "hard_sigmoid", "random": false, "seed": 38}
from keras import backend as K


def hard_sigmoid(x):
    """Hard sigmoid activation function.

    Faster to compute than sigmoid activation.

    # Arguments
        x: Input tensor.

    # Returns
        Hard sigmoid activation:

        - `0` if `x < -2.5`
        - `1` if `x > 2.5`
        - `0.2 * x + 0.5` if `-2.5 <= x <= 2.5`.
    """
    return K.hard_sigmoid(x)
