# synthetic: a reduced function in the style of real Keras 2 code (YOLOv3 heads: input_shape = K.shape(yolo_outputs[0])[1:3] * 32); does not count toward the real functions.
# kbl-case: {"args": [{"kind": "normal", "name": "feats", "shape": [2, 4, 4, 6]}], "factory": false, "function": "input_shape", "random": false, "seed": 1}
from keras import backend as K


def input_shape(feats):
    grid = K.shape(feats)[1:3] * 32
    return K.cast(grid, K.dtype(feats))
