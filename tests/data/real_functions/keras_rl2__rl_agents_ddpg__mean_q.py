# keras-rl2 1.0.5: rl/agents/ddpg.py line 16 (function mean_q)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "mean_q", "random": false, "seed": 33}
import tensorflow.keras.backend as K


def mean_q(y_true, y_pred):
    return K.mean(K.max(y_pred, axis=-1))
