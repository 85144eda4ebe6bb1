# keras 2.2.4: Keras-2.2.4/examples/mnist_siamese.py line 30 (function euclidean_distance)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "vects", "shape": [2, 3, 4]}], "factory": false, "function": "euclidean_distance", "random": false, "seed": 49}
from keras import backend as K


def euclidean_distance(vects):
    x, y = vects
    sum_square = K.sum(K.square(x - y), axis=1, keepdims=True)
    return K.sqrt(K.maximum(sum_square, K.epsilon()))
