# keras 2.2.4: Keras-2.2.4/examples/neural_style_transfer.py line 155 (function gram_matrix)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [2, 3, 4]}], "factory": false, "function": "gram_matrix", "random": false, "seed": 50}
from keras import backend as K


def gram_matrix(x):
    assert K.ndim(x) == 3
    if K.image_data_format() == 'channels_first':
        features = K.batch_flatten(x)
    else:
        features = K.batch_flatten(K.permute_dimensions(x, (2, 0, 1)))
    gram = K.dot(features, K.transpose(features))
    return gram
