# keras 2.2.4: Keras-2.2.4/keras/layers/noise.py line 42 (method GaussianNoise.call, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "inputs", "shape": [4, 5]}], "factory": false, "function": "call", "random": true, "seed": 45, "self_args": {"stddev": 0.5}}
from keras import backend as K


class _Self:
    """`self` of GaussianNoise: the attributes call reads, set as GaussianNoise.__init__ sets them."""

    def __init__(self, *, stddev):
        self.stddev = stddev


def call(self, inputs, training=None):
    def noised():
        return inputs + K.random_normal(shape=K.shape(inputs),
                                        mean=0.,
                                        stddev=self.stddev)
    return K.in_train_phase(noised, inputs, training=training)
