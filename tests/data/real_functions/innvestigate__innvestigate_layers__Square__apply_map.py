# innvestigate 1.0.9: innvestigate/layers.py line 292 (method Square._apply_map, `self` rebuilt by its __init__ from default arguments)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "_apply_map", "random": false, "seed": 52}
import keras.backend as K


class _Self:
    """`self` of Square: the attributes _apply_map reads, set as Square.__init__ sets them."""

    pass


def _apply_map(self, x):
    return K.square(x)
