# keras-metrics 1.1.0: keras_metrics/casts.py line 20 (function sparse_categorical)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "sparse_categorical", "random": false, "seed": 54}
from keras import backend as K


def sparse_categorical(y_true, y_pred, dtype="int32", label=0):
    y_true = K.cast(K.equal(y_true, label), dtype=dtype)

    y_pred = y_pred[..., slice(label, label+1)]
    y_pred = K.cast(K.round(y_pred), dtype)

    return y_true, y_pred
