# keras 2.2.4: Keras-2.2.4/keras/layers/recurrent.py line 2301 (function _generate_dropout_mask)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "ones", "shape": [4, 5]}, {"kind": "normal", "name": "rate", "shape": [4, 5]}], "factory": false, "function": "_generate_dropout_mask", "random": false, "seed": 53}
from keras import backend as K


def _generate_dropout_mask(ones, rate, training=None, count=1):
    def dropped_inputs():
        return K.dropout(ones, rate)

    if count > 1:
        return [K.in_train_phase(
            dropped_inputs,
            ones,
            training=training) for _ in range(count)]
    return K.in_train_phase(
        dropped_inputs,
        ones,
        training=training)
