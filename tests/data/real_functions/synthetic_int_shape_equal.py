# synthetic: a reduced function in the style of real Keras 2 code (attention masks: if K.int_shape(t) == K.int_shape(u)); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "t", "shape": [2, 3, 4]}, {"kind": "normal", "name": "u", "shape": [2, 3, 4]}], "factory": false, "function": "add_if_same_shape", "random": false, "seed": 3}
from keras import backend as K


def add_if_same_shape(t, u):
    if K.int_shape(t) == K.int_shape(u):
        return t + u
    return t
