# spektral 1.3.0: spektral/layers/pooling/la_pool.py line 139 (function reduce_sum)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "reduce_sum", "random": false, "seed": 53}
from tensorflow.keras import backend as K
import tensorflow as tf


def reduce_sum(x, **kwargs):
    if K.is_sparse(x):
        return tf.sparse.reduce_sum(x, **kwargs)
    else:
        return tf.reduce_sum(x, **kwargs)
