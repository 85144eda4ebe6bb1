# keras 2.2.4: Keras-2.2.4/examples/cifar10_cnn_capsule.py line 39 (function softmax)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "softmax", "random": false, "seed": 44}
from keras import backend as K


def softmax(x, axis=-1):
    ex = K.exp(x - K.max(x, axis=axis, keepdims=True))
    return ex / K.sum(ex, axis=axis, keepdims=True)
