# kapre 0.1.3: kapre-0.1.3/kapre/augmentation.py line 48 (method AdditiveNoise.call, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "call", "random": true, "seed": 45}
from keras import backend as K
import numpy as np


class _Self:
    """`self` of AdditiveNoise: the attributes call reads, set as AdditiveNoise.__init__ sets them."""

    def __init__(self, power=0.1, random_gain=False):
        self.random_gain = random_gain
        self.power = power


def call(self, x):
    if self.random_gain:
        noise_x = x + K.random_normal(shape=K.shape(x),
                                      mean=0.,
                                      stddev=np.random.uniform(0.0, self.power))
    else:
        noise_x = x + K.random_normal(shape=K.shape(x),
                                      mean=0.,
                                      stddev=self.power)

    return K.in_train_phase(noise_x, x)
