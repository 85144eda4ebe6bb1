# keras 2.2.4: Keras-2.2.4/keras/losses.py line 68 (function categorical_crossentropy)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "categorical_crossentropy", "random": false, "seed": 45}
from keras import backend as K


def categorical_crossentropy(y_true, y_pred):
    return K.categorical_crossentropy(y_true, y_pred)
