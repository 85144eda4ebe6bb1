# innvestigate 1.0.9: innvestigate/layers.py line 78 (function Constant)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "c", "shape": [4, 5]}], "factory": false, "function": "Constant", "random": false, "seed": 43}
import keras.backend as K
import numpy as np


def Constant(c, reference=None):
    if reference is None:
        return K.constant(c)
    else:
        dtype = K.dtype(reference)
        return K.constant(np.dtype(dtype)(c), dtype=dtype)
