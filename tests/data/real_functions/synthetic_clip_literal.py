# synthetic: a reduced function in the style of real Keras 2 code (losses: K.clip(y_pred, K.epsilon(), 1 - K.epsilon()) and literal bounds); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "clipped", "random": false, "seed": 8}
from keras import backend as K


def clipped(y_pred):
    return K.clip(y_pred, K.epsilon(), 1 - K.epsilon()) + K.clip(y_pred, -0.5, 0.5)
