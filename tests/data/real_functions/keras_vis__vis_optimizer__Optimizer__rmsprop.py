# keras-vis 0.4.1: vis/optimizer.py line 60 (method Optimizer._rmsprop, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "grads", "shape": [4, 5]}], "factory": false, "function": "_rmsprop", "random": false, "seed": 44}
from keras import backend as K
import numpy as np


class _Self:
    """`self` of Optimizer: the attributes _rmsprop reads, set as Optimizer.__init__ sets them."""

    pass


def _rmsprop(self, grads, cache=None, decay_rate=0.95):
    """Uses RMSProp to compute step from gradients.

    Args:
        grads: numpy array of gradients.
        cache: numpy array of same shape as `grads` as RMSProp cache
        decay_rate: How fast to decay cache

    Returns:
        A tuple of
            step: numpy array of the same shape as `grads` giving the step.
                Note that this does not yet take the learning rate into account.
            cache: Updated RMSProp cache.
    """
    if cache is None:
        cache = np.zeros_like(grads)
    cache = decay_rate * cache + (1 - decay_rate) * grads ** 2
    step = -grads / np.sqrt(cache + K.epsilon())
    return step, cache
