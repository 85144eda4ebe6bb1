"""Tests of keras_backend_lint/data/keras_api.json (the keras.* module tree) and its loader.

The data is made by tools/gen_keras_api.py (network; not run here). These tests check the committed file: its
form, the hard cases per Keras era, the derived moves, and -- against the installed Keras 3 (``KERAS_BACKEND=numpy``)
-- that every recorded module imports, every recorded public name is there and nothing public is missing.
"""
from __future__ import annotations

import importlib
import json
import os
import types
from pathlib import Path

import pytest

from keras_backend_lint.keras_api import KERAS, TF, KerasApi, _indices, load_keras_api
from keras_backend_lint.surface import load

os.environ.setdefault("KERAS_BACKEND", "numpy")

DATA = Path(__file__).resolve().parents[1] / "keras_backend_lint" / "data" / "keras_api.json"


@pytest.fixture(scope="module")
def api() -> KerasApi:
    return load_keras_api()


def has_module(api: KerasApi, module: str, version: str, flavour: str = KERAS):
    return api.has_module(flavour, module, api.index[version])


def has_name(api: KerasApi, module: str, name: str, version: str, flavour: str = KERAS):
    return api.has_name(flavour, module, name, api.index[version])


def test_canonical_and_small():
    text = DATA.read_text("utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":")) + "\n"
    assert len(text.encode()) < 1_000_000


def test_same_releases_as_the_backend_data(api):
    assert api.releases == tuple(r.label for r in load().releases)


def test_intervals_are_valid(api):
    n = len(api.releases)
    for flavour in (KERAS, TF):
        data = api._data[flavour]
        for spec in list(data["modules"].values()) + list(data["open"].values()) + [data["covered"]]:
            assert spec and all(0 <= i < n for i in _indices(spec))
        for module, packed in data["names"].items():
            for item in packed.split(";"):
                name, _, spec = item.partition("=")
                assert name.isidentifier() and not (name.startswith("__") and name.endswith("__"))
                assert _indices(spec) <= _indices(data["modules"][module])


@pytest.mark.parametrize(
    ("module", "present", "absent"),
    [
        # 2.4.3 still ships a deprecated keras/engine/topology.py shim; 2.6 dropped it
        ("keras.engine.topology", ("1.2.2", "2.2.4", "2.3.1", "2.4.3"), ("2.6.0", "2.15.0", "3.0.5", "3.15.1")),
        ("keras.layers.merge", ("2.0.9", "2.2.4", "2.8.0"), ("1.2.2", "2.9.0", "3.0.5", "3.15.1")),  # 2.9: merging/
        # 2.13 moved the implementation under keras.src; np_utils did not stay public
        ("keras.utils.np_utils", ("1.2.2", "2.2.4", "2.12.0"), ("2.13.1", "2.15.0", "3.0.5", "3.15.1")),
        ("keras.layers.normalization", ("2.2.4", "2.12.0"), ("2.13.1", "3.15.1")),
        ("keras.legacy.interfaces", ("2.0.9", "2.3.1"), ("1.2.2", "2.4.3", "3.15.1")),
        ("keras.objectives", ("1.2.2", "2.2.4"), ("2.6.0", "3.15.1")),
        # Keras 3.3-3.9 generate the API under keras/api/ (put on keras.__path__): still keras.layers
        ("keras.layers", ("1.2.2", "2.15.0", "3.0.5", "3.5.0", "3.9.2", "3.15.1"), ()),
        ("keras.ops", ("3.0.5", "3.5.0", "3.15.1"), ("2.15.0",)),
        ("keras.src", (), ("3.15.1",)),  # implementation, not public API: not recorded
    ],
)
def test_module_eras(api, module, present, absent):
    for version in present:
        assert has_module(api, module, version), (module, version)
    for version in absent:
        assert not has_module(api, module, version), (module, version)


def test_names_in_kept_modules(api):
    assert has_name(api, "keras.layers", "CuDNNLSTM", "2.3.1")
    assert not has_name(api, "keras.layers", "CuDNNLSTM", "3.15.1")
    assert has_name(api, "keras.utils", "multi_gpu_model", "2.3.1")
    assert not has_name(api, "keras.utils", "multi_gpu_model", "3.15.1")
    assert has_name(api, "keras.preprocessing.image", "ImageDataGenerator", "2.15.0")
    assert not has_name(api, "keras.preprocessing.image", "ImageDataGenerator", "3.15.1")
    assert has_name(api, "keras.optimizers", "adam", "2.2.4")
    assert not has_name(api, "keras.optimizers", "adam", "3.15.1")
    assert has_name(api, "keras.layers", "Dense", "3.15.1") and has_name(api, "keras.layers", "Dense", "1.2.2")


def test_keras_2_4_star_imports_from_tensorflow_are_open(api):
    """Keras 2.4's keras.layers is ``from tensorflow.keras.layers import *``: its names cannot be known."""
    assert has_name(api, "keras.layers", "Dense", "2.4.3") is None
    assert has_name(api, "keras.layers", "NoSuchLayer", "2.4.3") is None


def test_tf_keras_coverage(api):
    """tf.keras from the keras wheels: 2.6+ (api/_v2) and Keras 3 (_tf_keras); TF <= 2.5 is not covered."""
    assert not api.covered(TF, api.index["2.4.3"])
    assert has_module(api, "tensorflow.keras.layers", "2.4.3", TF) is None
    assert has_module(api, "tensorflow.keras.layers", "2.6.0", TF)
    assert has_module(api, "tensorflow.keras.layers.experimental.preprocessing", "2.15.0", TF)
    assert not has_module(api, "tensorflow.keras.layers.merge", "2.15.0", TF)
    assert has_name(api, "tensorflow.keras.preprocessing.image", "ImageDataGenerator", "3.15.1", TF)
    assert has_name(api, "tensorflow.keras.layers", "Dense", "3.5.0", TF)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("keras.engine.topology.Layer", "keras.layers.Layer"),
        ("keras.engine.topology.InputSpec", "keras.layers.InputSpec"),
        ("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical"),
        ("keras.layers.merge.concatenate", "keras.layers.concatenate"),
        ("keras.layers.advanced_activations.LeakyReLU", "keras.layers.LeakyReLU"),
        ("keras.layers.normalization.BatchNormalization", "keras.layers.BatchNormalization"),
        ("keras.utils.data_utils.get_file", "keras.utils.get_file"),
        ("keras.objectives.categorical_crossentropy", "keras.losses.categorical_crossentropy"),
    ],
)
def test_moves_same_object(api, old, new):
    assert api.moved(KERAS, old) == new


@pytest.mark.parametrize(
    "old",
    [
        "keras.layers.CuDNNLSTM",  # no same object in Keras 3: the reviewed Keras 3 way instead
        "keras.preprocessing.image.ImageDataGenerator",
        "keras.utils.multi_gpu_model",
        "keras.applications.xception.print_function",  # __future__ features and imported helpers never move
        "keras.engine.training_arrays.np",
    ],
)
def test_no_move_without_the_same_object(api, old):
    moved = api.moved(KERAS, old)
    assert moved is None or not moved.startswith("keras.") or old.rsplit(".", 1)[1] not in ("np", "print_function")
    if old.endswith(("CuDNNLSTM", "ImageDataGenerator")):
        assert moved is None


def _installed_keras3():
    keras = importlib.import_module("keras")
    from packaging.version import Version

    assert Version(keras.__version__).major >= 3, "the test extra must install Keras 3"
    return keras


def _public(module) -> set:
    return {n for n in dir(module) if not n.startswith("_")}


@pytest.mark.keras3
@pytest.mark.parametrize(("flavour", "real_root"), [(KERAS, "keras"), (TF, "keras._tf_keras.keras")])
def test_installed_keras3_modules_and_names(api, flavour, real_root):
    keras = _installed_keras3()
    index = api.index[keras.__version__]
    root = "keras" if flavour == KERAS else "tensorflow.keras"
    recorded = [m for m in api.modules(flavour) if api.has_module(flavour, m, index)]
    assert len(recorded) > 50
    for module in recorded:
        real = importlib.import_module(real_root + module[len(root):])
        names = {n for n in api._names(flavour, module) if api.has_name(flavour, module, n, index)}
        public = {n for n in names if not n.startswith("_")}
        assert public <= _public(real) | {"api", "src"}, module
        missing = {
            n for n in _public(real) - public if not isinstance(getattr(real, n), types.ModuleType)
        }
        assert not missing, (module, sorted(missing))


@pytest.mark.keras3
def test_installed_keras3_has_no_unrecorded_public_module(api):
    keras = _installed_keras3()
    index = api.index[keras.__version__]
    import pkgutil

    real = set()
    for info in pkgutil.walk_packages(keras.__path__, "keras."):
        parts = info.name.split(".")
        if parts[1] in ("src", "api") or any(p.startswith("_") for p in parts[1:]):
            continue
        real.add(info.name)
    recorded = {m for m in api.modules(KERAS) if api.has_module(KERAS, m, index)}
    assert real <= recorded
