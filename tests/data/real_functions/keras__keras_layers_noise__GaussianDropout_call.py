# keras 2.2.4: Keras-2.2.4/keras/layers/noise.py line 87 (method GaussianDropout.call, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": true, "seed": 47, "self_args": {"rate": 0.5}}
from keras import backend as K
import numpy as np


class _Self:
    """`self` of GaussianDropout: the attributes call reads, set as GaussianDropout.__init__ sets them."""

    def __init__(self, *, rate):
        self.rate = rate


def call(self, inputs, training=None):
    if 0 < self.rate < 1:
        def noised():
            stddev = np.sqrt(self.rate / (1.0 - self.rate))
            return inputs * K.random_normal(shape=K.shape(inputs),
                                            mean=1.0,
                                            stddev=stddev)
        return K.in_train_phase(noised, inputs, training=training)
    return inputs
