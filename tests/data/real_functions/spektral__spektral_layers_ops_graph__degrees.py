# spektral 1.3.0: spektral/layers/ops/graph.py line 22 (function degrees)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "A", "shape": [4, 5]}], "factory": false, "function": "degrees", "random": false, "seed": 44}
from tensorflow.keras import backend as K
import tensorflow as tf


def degrees(A):
    """
    Computes the degrees of each node in A, dealing with sparse A and batch mode
    automatically.
    :param A: Tensor or SparseTensor with rank k = {2, 3}.
    :return: Tensor or SparseTensor of rank k - 1.
    """
    if K.is_sparse(A):
        D = tf.sparse.reduce_sum(A, axis=-1)
    else:
        D = tf.reduce_sum(A, axis=-1)

    return D
