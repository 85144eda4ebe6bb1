# mrcnn 0.2: mrcnn-0.2/mrcnn/model.py line 1015 (function smooth_l1_loss)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "onehot", "name": "y_true", "shape": [4, 5]}, {"kind": "prob", "name": "y_pred", "shape": [4, 5]}], "factory": false, "function": "smooth_l1_loss", "random": false, "seed": 34}
import keras.backend as K


def smooth_l1_loss(y_true, y_pred):
    """Implements Smooth-L1 loss.
    y_true and y_pred are typicallly: [N, 4], but could be any shape.
    """
    diff = K.abs(y_true - y_pred)
    less_than_one = K.cast(K.less(diff, 1.0), "float32")
    loss = (less_than_one * 0.5 * diff**2) + (1 - less_than_one) * (diff - 0.5)
    return loss
