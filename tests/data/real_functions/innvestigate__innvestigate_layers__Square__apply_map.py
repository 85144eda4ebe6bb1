# innvestigate 1.0.9: innvestigate/layers.py line 292 (method Square._apply_map, `self` rebuilt from __init__ defaults)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "_apply_map", "random": false, "seed": 52}
import keras.backend as K


class _Self:
    """`self` of Square() with its default arguments: the attributes _apply_map reads."""

    pass


def _apply_map(self, x):
    return K.square(x)
