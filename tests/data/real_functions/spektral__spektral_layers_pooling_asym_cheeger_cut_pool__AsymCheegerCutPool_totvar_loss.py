# spektral 1.3.0: spektral/layers/pooling/asym_cheeger_cut_pool.py line 165 (method AsymCheegerCutPool.totvar_loss, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "a", "shape": [4, 5]}, {"kind": "normal", "name": "s", "shape": [6]}], "factory": false, "function": "totvar_loss", "random": false, "seed": 87}
import tensorflow.keras.backend as K
import tensorflow as tf


class _Self:
    """`self` of AsymCheegerCutPool: the attributes totvar_loss reads, set as AsymCheegerCutPool.__init__ sets them."""

    pass


def totvar_loss(self, a, s):
    if K.is_sparse(a):
        index_i = a.indices[:, 0]
        index_j = a.indices[:, 1]

        n_edges = tf.cast(len(a.values), dtype=s.dtype)

        loss = tf.math.reduce_sum(
            a.values[:, tf.newaxis]
            * tf.math.abs(tf.gather(s, index_i) - tf.gather(s, index_j)),
            axis=(-2, -1),
        )

    else:
        n_edges = tf.cast(tf.math.count_nonzero(a, axis=(-2, -1)), dtype=s.dtype)
        n_nodes = tf.shape(a)[-1]
        if K.ndim(a) == 3:
            loss = tf.math.reduce_sum(
                a
                * tf.math.reduce_sum(
                    tf.math.abs(
                        s[:, tf.newaxis, ...]
                        - tf.repeat(s[..., tf.newaxis, :], n_nodes, axis=-2)
                    ),
                    axis=-1,
                ),
                axis=(-2, -1),
            )
        else:
            loss = tf.math.reduce_sum(
                a
                * tf.math.reduce_sum(
                    tf.math.abs(
                        s - tf.repeat(s[..., tf.newaxis, :], n_nodes, axis=-2)
                    ),
                    axis=-1,
                ),
                axis=(-2, -1),
            )

    loss *= 1 / (2 * n_edges)

    return loss
