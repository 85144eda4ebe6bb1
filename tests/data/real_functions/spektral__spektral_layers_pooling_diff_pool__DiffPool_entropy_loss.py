# spektral 1.3.0: spektral/layers/pooling/diff_pool.py line 171 (function entropy_loss)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "prob", "name": "s", "shape": [4, 5]}], "factory": false, "function": "entropy_loss", "random": false, "seed": 66}
from tensorflow.keras import backend as K
import tensorflow as tf


def entropy_loss(s):
    entr = tf.negative(
        tf.reduce_sum(tf.multiply(s, K.log(s + K.epsilon())), axis=-1)
    )
    entr_loss = K.mean(entr, axis=-1)
    return entr_loss
