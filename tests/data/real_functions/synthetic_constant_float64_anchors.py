# synthetic: a reduced function in the style of real Keras 2 code (YOLO heads: anchors_tensor = K.reshape(K.constant(anchors), ...) with float64 numpy anchors); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "feats", "shape": [2, 3, 3, 3, 4]}], "factory": false, "function": "box_wh", "random": false, "seed": 4}
import numpy as np
from keras import backend as K

ANCHORS = np.array([[10, 13], [16, 30], [33, 23]], dtype=np.float64)


def box_wh(feats):
    anchors_tensor = K.reshape(K.constant(ANCHORS), [1, 1, 1, 3, 2])
    return K.exp(feats[..., 2:4]) * anchors_tensor
