"""TF1-era session and device set-up."""
import tensorflow as tf
from keras import backend as K
from keras.backend.tensorflow_backend import set_session


def configure_gpu(memory_fraction=0.5):
    config = tf.ConfigProto()
    config.gpu_options.per_process_gpu_memory_fraction = memory_fraction
    set_session(tf.Session(config=config))
    return K.tensorflow_backend._get_available_gpus()


def backend_name():
    if K.backend() == "theano":
        import theano

        return "theano " + theano.__version__
    return K.backend()


def reset():
    K.clear_session()
    sess = K.get_session()
    return sess
