# innvestigate 1.0.9: innvestigate/utils/keras/backend.py line 30 (function to_floatx)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "x", "shape": [4, 5]}], "factory": false, "function": "to_floatx", "random": false, "seed": 57}
import keras.backend as K


def to_floatx(x):
    return K.cast(x, K.floatx())
