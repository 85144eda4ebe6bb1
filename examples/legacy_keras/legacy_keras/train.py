"""Training script: builds a small model and trains it on random data."""
import os

import numpy as np
from keras.layers import Dense, Input, LSTM
from keras.models import Model

from legacy_keras.layers import Attention
from legacy_keras.metrics import precision, recall

os.environ["KERAS_BACKEND"] = "tensorflow"


def build(timesteps=10, features=8):
    inputs = Input(shape=(timesteps, features))
    x = LSTM(32, return_sequences=True)(inputs)
    x = Attention()(x)
    outputs = Dense(1, activation="sigmoid")(x)
    model = Model(inputs, outputs)
    model.compile("adam", "binary_crossentropy", metrics=[precision, recall])
    return model


if __name__ == "__main__":
    model = build()
    model.fit(np.random.rand(64, 10, 8), np.random.randint(0, 2, (64, 1)), epochs=1)
