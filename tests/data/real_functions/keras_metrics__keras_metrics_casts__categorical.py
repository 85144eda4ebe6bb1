# keras-metrics 1.1.0: keras_metrics/casts.py line 8 (function categorical)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "categorical", "random": false, "seed": 47}
from keras import backend as K


def categorical(y_true, y_pred, dtype="int32", label=0):
    column = slice(label, label+1)

    y_true = y_true[..., column]
    y_pred = y_pred[..., column]

    y_true = K.cast(K.round(y_true), dtype)
    y_pred = K.cast(K.round(y_pred), dtype)

    return y_true, y_pred
