# keras 2.2.4: Keras-2.2.4/keras/metrics.py line 36 (function sparse_categorical_accuracy)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [6]}, {"kind": "prob", "name": "y_pred", "shape": [6]}], "factory": false, "function": "sparse_categorical_accuracy", "random": false, "seed": 49}
from keras import backend as K


def sparse_categorical_accuracy(y_true, y_pred):
    # flatten y_true in case it's in shape (num_samples, 1) instead of (num_samples,)
    return K.cast(K.equal(K.flatten(y_true),
                          K.cast(K.argmax(y_pred, axis=-1), K.floatx())),
                  K.floatx())
