# keras-retinanet 1.0.0: keras-retinanet-1.0.0/keras_retinanet/initializers.py line 34 (method PriorProbability.__call__, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "pyshape", "name": "shape", "shape": [4, 5]}], "factory": false, "function": "__call__", "random": false, "seed": 70}
from tensorflow import keras
import math


class _Self:
    """`self` of PriorProbability: the attributes __call__ reads, set as PriorProbability.__init__ sets them."""

    def __init__(self, probability=0.01):
        self.probability = probability


def __call__(self, shape, dtype=None):
    # set bias to -log((1 - p)/p) for foreground
    result = keras.backend.ones(shape, dtype=dtype) * -math.log((1 - self.probability) / self.probability)

    return result
