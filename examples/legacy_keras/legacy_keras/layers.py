"""Custom layers written against the Keras 2 backend API."""
from keras import backend as K
from keras.engine.topology import Layer
from keras.layers import Layer as KerasLayer


class Attention(KerasLayer):
    """Additive attention over the time axis."""

    def build(self, input_shape):
        self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="glorot_uniform")
        super().build(input_shape)

    def call(self, x, mask=None):
        eij = K.tanh(K.dot(x, self.W))
        eij = K.squeeze(eij, axis=-1)
        a = K.exp(eij)
        if mask is not None:
            a *= K.cast(mask, K.floatx())
        a /= K.cast(K.sum(a, axis=1, keepdims=True) + K.epsilon(), K.floatx())
        weighted = x * K.expand_dims(a)
        return K.sum(weighted, axis=1)

    def compute_output_shape(self, input_shape):
        return input_shape[0], input_shape[-1]


class L2Normalize(Layer):
    def call(self, x):
        return K.l2_normalize(x, axis=-1)


def channel_axis():
    if K.image_dim_ordering() == "th":
        return 1
    return -1
