# keras 2.2.4: Keras-2.2.4/examples/neural_doodle.py line 227 (function gram_matrix)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "gram_matrix", "random": false, "seed": 42}
from keras import backend as K


def gram_matrix(x):
    assert K.ndim(x) == 3
    features = K.batch_flatten(x)
    gram = K.dot(features, K.transpose(features))
    return gram
