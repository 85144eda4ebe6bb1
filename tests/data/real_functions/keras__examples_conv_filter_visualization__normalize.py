# keras 2.2.4: Keras-2.2.4/examples/conv_filter_visualization.py line 57 (function normalize)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "normalize", "random": false, "seed": 52}
from keras import backend as K


def normalize(x):
    # utility function to normalize a tensor by its L2 norm
    return x / (K.sqrt(K.mean(K.square(x))) + K.epsilon())
