# keras 2.2.4: Keras-2.2.4/examples/neural_doodle.py line 275 (function content_loss)
# A short excerpt of public code, used unchanged as test data for the fixer; licence of the original package.
# kbl-case: {"args": [{"kind": "normal", "name": "content_image", "shape": [4, 5]}, {"kind": "normal", "name": "target_image", "shape": [4, 5]}], "factory": false, "function": "content_loss", "random": false, "seed": 43}
from keras import backend as K


def content_loss(content_image, target_image):
    return K.sum(K.square(target_image - content_image))
