# synthetic: a reduced function in the style of real Keras 2 code (rank checks: K.ndim(x) and K.int_shape(x)[-1]); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "last_dim_mean", "random": false, "seed": 14}
from keras import backend as K


def last_dim_mean(x):
    axis = K.ndim(x) - 1
    return K.sum(x, axis=axis) / K.int_shape(x)[-1]
