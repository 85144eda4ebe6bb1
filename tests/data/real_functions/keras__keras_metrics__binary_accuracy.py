# keras 2.2.4: Keras-2.2.4/keras/metrics.py line 26 (function binary_accuracy)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "binary_accuracy", "random": false, "seed": 37}
from keras import backend as K


def binary_accuracy(y_true, y_pred):
    return K.mean(K.equal(y_true, K.round(y_pred)), axis=-1)
