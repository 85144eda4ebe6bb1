# synthetic: a reduced function in the style of real Keras 2 code (pooling layers: K.pool2d(..., pool_mode=self.mode)); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 4, 4, 3]}], "factory": false, "function": "pool", "random": false, "seed": 13}
from keras import backend as K


def pool(x, mode="avg"):
    return K.pool2d(x, (2, 2), strides=(2, 2), pool_mode=mode)
