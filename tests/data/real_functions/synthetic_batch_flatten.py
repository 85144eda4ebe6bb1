# synthetic: a reduced function in the style of real Keras 2 code (gram matrices / dense heads: K.batch_flatten); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "flat", "random": false, "seed": 12}
from keras import backend as K


def flat(x):
    return K.batch_flatten(x)
