# keras 2.2.4: Keras-2.2.4/keras/metrics.py line 30 (function categorical_accuracy)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "categorical_accuracy", "random": false, "seed": 42}
from keras import backend as K


def categorical_accuracy(y_true, y_pred):
    return K.cast(K.equal(K.argmax(y_true, axis=-1),
                          K.argmax(y_pred, axis=-1)),
                  K.floatx())
