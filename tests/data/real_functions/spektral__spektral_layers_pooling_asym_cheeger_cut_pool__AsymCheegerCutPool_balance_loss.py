# spektral 1.3.0: spektral/layers/pooling/asym_cheeger_cut_pool.py line 209 (method AsymCheegerCutPool.balance_loss, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "s", "shape": [4, 5]}], "factory": false, "function": "balance_loss", "random": false, "seed": 88, "self_args": {"k": 2}}
import tensorflow.keras.backend as K
import tensorflow as tf


class _Self:
    """`self` of AsymCheegerCutPool: the attributes balance_loss reads, set as AsymCheegerCutPool.__init__ sets them."""

    def __init__(self, *, k):
        self.k = k


def balance_loss(self, s):
    n_nodes = tf.cast(tf.shape(s, out_type=tf.int32)[-2], s.dtype)

    # k-quantile
    idx = tf.cast(tf.math.floor(n_nodes / self.k) + 1, dtype=tf.int32)
    med = tf.math.top_k(tf.linalg.matrix_transpose(s), k=idx).values[..., -1]
    # Asymmetric l1-norm
    if K.ndim(s) == 2:
        loss = s - med
    else:
        loss = s - med[:, tf.newaxis, ...]
    loss = (tf.cast(loss >= 0, loss.dtype) * (self.k - 1) * loss) + (
        tf.cast(loss < 0, loss.dtype) * loss * -1.0
    )
    loss = tf.math.reduce_sum(loss, axis=(-2, -1))
    loss = 1 / (n_nodes * (self.k - 1)) * (n_nodes * (self.k - 1) - loss)

    return loss
