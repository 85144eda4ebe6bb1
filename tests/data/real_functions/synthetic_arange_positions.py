# synthetic: a reduced function in the style of real Keras 2 code (positional encodings: K.arange(n) and K.arange over a dynamic length); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 5, 4]}], "factory": false, "function": "positions", "random": false, "seed": 11}
from keras import backend as K


def positions(x):
    length = K.shape(x)[1]
    pos = K.arange(length)
    return pos, K.arange(3), K.arange(1, 4)
