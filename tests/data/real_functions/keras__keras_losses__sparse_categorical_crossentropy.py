# keras 2.2.4: Keras-2.2.4/keras/losses.py line 72 (function sparse_categorical_crossentropy)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [2, 3, 4]}, {"kind": "prob", "name": "y_pred", "shape": [2, 3, 4, 5]}], "factory": false, "function": "sparse_categorical_crossentropy", "random": false, "seed": 52}
from keras import backend as K


def sparse_categorical_crossentropy(y_true, y_pred):
    return K.sparse_categorical_crossentropy(y_true, y_pred)
