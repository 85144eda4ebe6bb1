"""Reviewed hints for ``keras.*`` paths that have no same-object equivalent in the target.

Where the same object is public elsewhere, the data says so (``moved`` in ``data/keras_api.json``, derived by
``tools/gen_keras_api.py``); this table covers the rest: the Keras 3 way to do what the old name did. Keys are the
last component of the old path (a name or a module); a full dotted path wins over a bare name.
"""
from __future__ import annotations

from typing import Optional

_SCIKERAS = "use scikeras.wrappers.{0} (pip install scikeras), or keras.wrappers.SKLearn{1} from Keras 3.5"
_CUDNN = "use keras.layers.{0}, which runs on cuDNN by itself when it can"
_OPTIMIZER = "use keras.optimizers.{0}"

KERAS3_WAYS = {
    "ImageDataGenerator": "use keras.utils.image_dataset_from_directory with augmentation layers "
    "(keras.layers.RandomFlip, RandomRotation, ...)",
    "NumpyArrayIterator": "use tf.data or keras.utils.PyDataset with augmentation layers",
    "DirectoryIterator": "use keras.utils.image_dataset_from_directory",
    "multi_gpu_model": "use tf.distribute.MirroredStrategy (TensorFlow backend) or keras.distribution",
    "CuDNNLSTM": _CUDNN.format("LSTM"),
    "CuDNNGRU": _CUDNN.format("GRU"),
    "KerasClassifier": _SCIKERAS.format("KerasClassifier", "Classifier"),
    "KerasRegressor": _SCIKERAS.format("KerasRegressor", "Regressor"),
    "Tokenizer": "use keras.layers.TextVectorization",
    "text_to_word_sequence": "use keras.layers.TextVectorization",
    "TimeseriesGenerator": "use keras.utils.timeseries_dataset_from_array",
    "Merge": "use the merge layers (keras.layers.Add, Concatenate, Multiply, ...)",
    "merge": "use the merge layers (keras.layers.Add, Concatenate, Multiply, ...)",
    "Network": "use keras.Model",
    "interfaces": "drop the keras.legacy.interfaces decorators (Keras 2.0 argument-name shims)",
    "legacy": "drop the keras.legacy helpers (Keras 2.0 argument-name shims)",
    "objectives": "use keras.losses",
    "np_utils": "use keras.utils (to_categorical, normalize)",
    "generic_utils": "use keras.utils (get_custom_objects, serialize_keras_object, Progbar, ...)",
    "data_utils": "use keras.utils (get_file, Sequence/PyDataset)",
    "vis_utils": "use keras.utils.plot_model / model_to_dot",
    "layer_utils": "use model.summary() and model.count_params(); keras.utils.get_source_inputs",
    "conv_utils": "compute output shapes with keras.ops, or define the helper in your own code",
    "engine": "use keras.layers (Layer, InputSpec, Input) and keras.Model / keras.models",
    "topology": "use keras.layers (Layer, InputSpec, Input) and keras.Model",
    "training": "use keras.Model",
    "saving": "use keras.saving or keras.models.load_model",
    "wrappers": "use keras.layers (TimeDistributed, Bidirectional)",
    "scikit_learn": "use scikeras (pip install scikeras), or keras.wrappers from Keras 3.5",
    "adam": _OPTIMIZER.format("Adam"),
    "sgd": _OPTIMIZER.format("SGD"),
    "rmsprop": _OPTIMIZER.format("RMSprop"),
    "adagrad": _OPTIMIZER.format("Adagrad"),
    "adadelta": _OPTIMIZER.format("Adadelta"),
    "adamax": _OPTIMIZER.format("Adamax"),
    "nadam": _OPTIMIZER.format("Nadam"),
    "Optimizer": "use keras.optimizers.Optimizer",
}
#: Keras 2's short aliases of losses and metrics (``keras.losses.mse is keras.losses.mean_squared_error`` there)
_SHORT = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
}
for _module in ("losses", "metrics"):
    for _old, _new in _SHORT.items():
        for _spelling in {_old, _old.upper() if len(_old) <= 4 else _old}:  # MSE, MAE, ...
            KERAS3_WAYS[f"keras.{_module}.{_spelling}"] = f"use keras.{_module}.{_new}"
KERAS3_WAYS["keras.losses.cosine_proximity"] = "use keras.losses.cosine_similarity (Keras 2.2's had the opposite sign)"

#: Keras 2 targets have no keras.ops or keras.utils.PyDataset: keep to the names the release has
KERAS2_WAY = "keep to the modules and names the target has"
#: no reviewed hint and no same object: where to look (an actionable clause, see tests/test_messages.py)
KERAS3_API = "see https://keras.io/api/ for where it lives in Keras 3"


def keras3_way(path: str, keras3: bool) -> Optional[str]:
    """The reviewed hint for an old dotted path, or None."""
    last = path.rsplit(".", 1)[-1]
    if not keras3:
        return None
    if last.startswith("_"):
        return "it is private to Keras: define what you need in your own code"
    return KERAS3_WAYS.get(path) or KERAS3_WAYS.get(last)
