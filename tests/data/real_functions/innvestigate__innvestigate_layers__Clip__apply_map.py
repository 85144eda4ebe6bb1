# innvestigate 1.0.9: innvestigate/layers.py line 303 (method Clip._apply_map, `self` rebuilt by its __init__ from default arguments and the case's self_args)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "_apply_map", "random": false, "seed": 50, "self_args": {"max_value": 0.5, "min_value": -0.5}}
import keras.backend as K


class _Self:
    """`self` of Clip: the attributes _apply_map reads, set as Clip.__init__ sets them."""

    def __init__(self, *, min_value, max_value):
        self._min_value = min_value
        self._max_value = max_value


def _apply_map(self, x):
    return K.clip(x, self._min_value, self._max_value)
