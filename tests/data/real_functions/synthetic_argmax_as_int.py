# synthetic: a reduced function in the style of real Keras 2 code (CRF decoding: K.argmax results used as integer class ids); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "scores", "shape": [4, 5]}], "factory": false, "function": "best_tags", "random": false, "seed": 6}
from keras import backend as K


def best_tags(scores):
    tags = K.argmax(scores, axis=-1)
    return tags + 1, K.argmin(scores, axis=-1)
