# synthetic: a reduced function in the style of real Keras 2 code (capsule squash / distances: K.sqrt of values that can be negative or zero); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "signed", "name": "x", "shape": [4, 5]}], "factory": false, "function": "safe_norm", "random": false, "seed": 7}
from keras import backend as K


def safe_norm(x):
    return K.sqrt(x)
