# synthetic: a reduced function in the style of real Keras 2 code (K.clip with bounds from arguments (max < min swapped, None meaning no bound in Keras 2)); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "clip_between", "random": false, "seed": 9}
from keras import backend as K


def clip_between(x, low=0.5, high=-0.5):
    return K.clip(x, low, high)
