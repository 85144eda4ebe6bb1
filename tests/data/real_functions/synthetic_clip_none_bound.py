# synthetic: a reduced function in the style of real Keras 2 code (K.clip(x, lower, None) (Keras 2 maps None to infinity)); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "floor_at", "random": false, "seed": 10}
from keras import backend as K


def floor_at(x, lower=0.0, upper=None):
    return K.clip(x, lower, upper)
