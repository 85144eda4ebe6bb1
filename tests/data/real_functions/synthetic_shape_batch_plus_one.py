# synthetic: a reduced function in the style of real Keras 2 code (sequence padding: K.shape(x)[0] + 1); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [3, 4]}], "factory": false, "function": "count_plus_one", "random": false, "seed": 2}
from keras import backend as K


def count_plus_one(x):
    n = K.shape(x)[0] + 1
    return K.cast(n, K.floatx()) * K.mean(x)
