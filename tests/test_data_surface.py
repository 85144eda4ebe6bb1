"""Tests of keras_backend_lint/data/api_surface.json and its generator.

The data is made by tools/gen_api_surface.py (network; not run here).  These
tests check the committed file: its schema, its canonical form, the hard
cases per Keras era, the static analysis on synthetic sources, and -- against
the real installed Keras 3 (``KERAS_BACKEND=numpy``) -- that the recorded
names equal what ``dir()`` gives.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
from packaging.version import Version

os.environ.setdefault("KERAS_BACKEND", "numpy")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "keras_backend_lint" / "data" / "api_surface.json"
GEN = ROOT / "tools" / "gen_api_surface.py"

LIST_KEYS = ("backend", "backend_private", "backend_modules", "submodules")
OPTIONAL_LIST_KEYS = ("tf_backend", "tf_backend_private")
KERAS3_KEYS = ("ops", "config", "random", "utils", "losses", "activations")


@pytest.fixture(scope="module")
def text() -> str:
    return DATA.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data(text: str) -> dict:
    return json.loads(text)


@pytest.fixture(scope="module")
def keras_data(data: dict) -> dict:
    return data["keras"]


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_api_surface", GEN)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["gen_api_surface"] = mod
    spec.loader.exec_module(mod)
    return mod


def entry(keras_data: dict, version: str) -> dict:
    assert version in keras_data, "release %s missing from the data" % version
    return keras_data[version]


# --------------------------------------------------------------------------
# file-level


def test_schema_header(data: dict) -> None:
    assert data["schema"] == 1
    assert data["generator"] == "tools/gen_api_surface.py"
    assert set(data) == {"schema", "generator", "keras", "backend_alternatives"}


def test_file_small_and_newline_terminated(text: str) -> None:
    assert len(text.encode("utf-8")) < 1_000_000
    assert text.endswith("}\n")


def test_file_is_canonical(gen, text: str) -> None:
    """Re-serialising gives the same bytes: the generator's output is a pure
    function of the data (sorted keys, releases in packaging order)."""
    assert gen.dumps(json.loads(text)) == text


def test_releases_sorted_by_packaging_version(keras_data: dict, data: dict) -> None:
    versions = list(keras_data)
    assert versions == sorted(versions, key=Version)
    alts = list(data["backend_alternatives"])
    assert alts == sorted(alts, key=Version)
    assert all(not Version(v).is_prerelease for v in versions)


def test_expected_releases_present(keras_data: dict) -> None:
    expected = ["1.2.2", "2.0.9", "2.1.6", "2.2.4", "2.2.5", "2.3.1", "2.4.3"]
    expected += ["2.%d.0" % m for m in range(6, 13)] + ["2.13.1", "2.14.0", "2.15.0"]
    expected += ["3.0.5", "3.1.1", "3.2.1", "3.3.3", "3.4.1", "3.5.0"]
    for v in expected:
        assert v in keras_data
    minors = [(Version(v).major, Version(v).minor) for v in keras_data if Version(v).major >= 3]
    assert len(minors) == len(set(minors)), "one release per Keras 3 minor"


def test_one_release_per_minor_is_the_last_patch(keras_data: dict) -> None:
    seen: dict = {}
    for v in keras_data:
        ver = Version(v)
        if ver.major >= 2 and v != "2.2.4":
            key = (ver.major, ver.minor)
            assert key not in seen, (v, seen.get(key))
            seen[key] = v


@pytest.mark.parametrize("key", LIST_KEYS + OPTIONAL_LIST_KEYS + KERAS3_KEYS)
def test_lists_sorted_unique(keras_data: dict, key: str) -> None:
    for v, e in keras_data.items():
        if key not in e or e[key] is None:
            continue
        names = e[key]
        assert names == sorted(set(names)), (v, key)
        assert all(isinstance(n, str) and n.isidentifier() for n in names), (v, key)
        assert not any(n.startswith("__") and n.endswith("__") for n in names), (v, key)


def test_entry_keys(keras_data: dict) -> None:
    for v, e in keras_data.items():
        major = Version(v).major
        want = set(LIST_KEYS + OPTIONAL_LIST_KEYS) | (set(KERAS3_KEYS) if major >= 3 else set())
        assert set(e) == want, v
        for key in LIST_KEYS:
            assert isinstance(e[key], list), (v, key)


def test_public_private_split(keras_data: dict) -> None:
    for v, e in keras_data.items():
        assert not any(n.startswith("_") for n in e["backend"]), v
        assert all(n.startswith("_") and not n.startswith("__") for n in e["backend_private"]), v
        assert set(e["backend_modules"]) <= set(e["backend"]) | set(e["backend_private"]), v
        if e["tf_backend"] is not None:
            assert not any(n.startswith("_") for n in e["tf_backend"]), v
            assert all(n.startswith("_") for n in e["tf_backend_private"]), v
        else:
            assert e["tf_backend_private"] is None, v


def test_tf_backend_null_before_2_4(keras_data: dict) -> None:
    for v, e in keras_data.items():
        if Version(v) < Version("2.4"):
            assert e["tf_backend"] is None, v
        else:
            assert e["tf_backend"], v


# --------------------------------------------------------------------------
# the hard cases


@pytest.mark.parametrize("version", ["1.2.2", "2.0.9", "2.1.6", "2.2.4", "2.6.0", "2.8.0", "2.12.0"])
def test_leaked_tf_module(keras_data: dict, version: str) -> None:
    e = entry(keras_data, version)
    assert "tf" in e["backend"]
    assert "np" in e["backend"]
    assert {"tf", "np"} <= set(e["backend_modules"])


def test_leaked_modules_old_star_import(keras_data: dict) -> None:
    e = entry(keras_data, "2.2.4")
    assert {"os", "tf", "np", "tensorflow_backend", "common"} <= set(e["backend_modules"])
    assert "moving_averages" in e["backend_modules"]


@pytest.mark.parametrize("version", ["2.2.5", "2.3.1", "2.4.3", "2.13.1", "2.14.0", "2.15.0"])
def test_no_leaked_tf(keras_data: dict, version: str) -> None:
    e = entry(keras_data, version)
    assert "tf" not in e["backend"]
    assert "np" not in e["backend"]


def test_no_leaked_tf_in_keras3(keras_data: dict) -> None:
    for v, e in keras_data.items():
        if Version(v).major >= 3:
            assert "tf" not in e["backend"], v
            assert "tf" not in e["tf_backend"], v


def test_old_backend_private_and_functions(keras_data: dict) -> None:
    e = entry(keras_data, "2.2.4")
    assert "_BACKEND" in e["backend_private"]
    assert {"backend", "mean", "get_session", "set_image_dim_ordering", "image_dim_ordering"} <= set(e["backend"])
    # private helpers of the star-imported tensorflow_backend are *not* on K
    # (a star import skips "_" names): users reached them via K.tensorflow_backend
    assert "_get_available_gpus" not in e["backend_private"]
    assert "_SESSION" not in e["backend_private"]
    # ``from __future__ import ...`` names leak through the star import too
    assert "absolute_import" in e["backend"]
    # bound by ``global`` inside tensorflow_backend.rnn(), after the star import
    assert "uses_learning_phase" not in e["backend"]
    e = entry(keras_data, "1.2.2")
    assert "_BACKEND" in e["backend_private"]
    assert {"backend", "set_image_dim_ordering", "mean", "tf"} <= set(e["backend"])


def test_explicit_list_era(keras_data: dict) -> None:
    for v in ("2.2.5", "2.3.1"):
        e = entry(keras_data, v)
        assert {"mean", "get_session", "epsilon", "backend"} <= set(e["backend"])
        assert "load_backend" in e["backend_modules"]
        assert "_BACKEND" not in e["backend_private"]


def test_keras_2_4_is_tf_keras_backend(keras_data: dict) -> None:
    e = entry(keras_data, "2.4.3")
    assert e["backend"] == e["tf_backend"]
    assert "mean" in e["backend"]
    assert "get_session" not in e["backend"]  # tf.compat.v1.keras.backend only
    assert e["submodules"] == []


@pytest.mark.parametrize("version", ["2.6.0", "2.8.0", "2.12.0"])
def test_implementation_module_era(keras_data: dict, version: str) -> None:
    e = entry(keras_data, version)
    assert "get_session" in e["backend"]
    assert "_get_available_gpus" in e["backend_private"]
    assert "_SESSION" in e["backend_private"]  # bound by a ``global`` statement
    assert e["submodules"] == []
    # the generated tf.keras.backend hides the implementation details
    assert "tf" not in e["tf_backend"]
    assert "get_session" not in e["tf_backend"]
    # every function of tf.keras.backend comes from this module (2.8+ adds
    # the generated ``experimental`` sub-namespace)
    assert set(e["tf_backend"]) - {"experimental"} <= set(e["backend"])


def test_generated_api_era(keras_data: dict) -> None:
    for v in ("2.13.1", "2.14.0", "2.15.0"):
        e = entry(keras_data, v)
        assert "mean" in e["backend"]
        assert "get_session" not in e["backend"]
        assert e["backend_private"] == []
        assert e["submodules"] == ["experimental"]
        assert e["backend_modules"] == ["experimental"]


def test_tensorflow_backend_submodule(keras_data: dict) -> None:
    for v in ("1.2.2", "2.0.9", "2.1.6", "2.2.4", "2.2.5", "2.3.1"):
        assert "tensorflow_backend" in entry(keras_data, v)["submodules"], v
    for v, e in keras_data.items():
        if Version(v) >= Version("2.4"):
            assert "tensorflow_backend" not in e["submodules"], v
            assert "tensorflow_backend" not in e["backend"], v


def test_keras3_namespaces(keras_data: dict) -> None:
    k3 = [v for v in keras_data if Version(v).major >= 3]
    assert k3
    for v in k3:
        e = keras_data[v]
        assert {"mean", "sum", "argmax", "concatenate", "clip", "reshape", "take", "image", "nn"} <= set(e["ops"]), v
        assert "mean" in e["tf_backend"] and "mean" not in e["backend"], v
        assert {"epsilon", "floatx", "backend"} <= set(e["backend"]), v
        assert {"floatx", "set_floatx", "backend"} <= set(e["config"]), v
        assert {"normal", "uniform", "SeedGenerator"} <= set(e["random"]), v
        assert {"to_categorical", "get_file"} <= set(e["utils"]), v
        assert {"relu", "softmax", "get"} <= set(e["activations"]), v
        assert {"categorical_crossentropy", "Loss"} <= set(e["losses"]), v
        assert e["backend_private"] == [] and e["submodules"] == [], v


def test_backend_alternatives(data: dict) -> None:
    alts = data["backend_alternatives"]
    assert "theano" in alts["2.2.4"] and "cntk" in alts["2.2.4"]
    assert "theano" in alts["2.2.4"]["theano"]
    assert "T" in alts["2.2.4"]["theano"]
    for v, per in alts.items():
        assert Version(v) < Version("2.4")
        for names in per.values():
            assert names == sorted(set(names))
            assert not set(names) & set(data["keras"][v]["backend"])


# --------------------------------------------------------------------------
# the static analysis, on synthetic sources (offline)


def _surface(gen, files: dict, version: str = "2.2.4") -> dict:
    tree = gen.Tree({k: v.encode() for k, v in files.items()})
    return gen.surface(tree, Version(version), None)


def test_analysis_star_import_and_backend_selection(gen) -> None:
    files = {
        "keras/__init__.py": "from . import backend\n",
        "keras/backend/__init__.py": (
            "import os\nfrom .common import floatx\n_BACKEND = 'tensorflow'\n"
            "if 'KERAS_BACKEND' in os.environ:\n    _BACKEND = os.environ['KERAS_BACKEND']\n"
            "if _BACKEND == 'theano':\n    from .theano_backend import *\n"
            "elif _BACKEND == 'tensorflow':\n    from .tensorflow_backend import *\n"
            "else:\n    raise ValueError(_BACKEND)\n"
            "def backend():\n    return _BACKEND\n"
        ),
        "keras/backend/common.py": "_FLOATX = 'float32'\ndef floatx():\n    return _FLOATX\n",
        "keras/backend/tensorflow_backend.py": (
            "import tensorflow as tf\nimport numpy as np\nfrom tensorflow.python.ops import control_flow_ops\n"
            "from .common import floatx\n_SESSION = None\ndef mean(x):\n    pass\n"
            "def get_session():\n    global _SESSION, _LATE\n    _LATE = 1\n    return _SESSION\n"
            "def rnn():\n    global uses_lp\n    uses_lp = True\n"
            "try:\n    from tensorflow.python.ops import ctc_ops as ctc\nexcept ImportError:\n"
            "    import tensorflow.contrib.ctc as ctc\n"
        ),
        "keras/backend/theano_backend.py": "import theano\nfrom theano import tensor as T\ndef mean(x):\n    pass\n",
        "keras/backend/cntk_backend.py": "import cntk as C\n",
    }
    res = _surface(gen, files)
    e = res["entry"]
    # ``uses_lp`` is bound by a ``global`` in rnn() after the star import ran
    assert e["backend"] == [
        "backend", "common", "control_flow_ops", "ctc", "floatx", "get_session", "mean", "np", "os", "rnn",
        "tensorflow_backend", "tf",
    ]
    assert e["backend_private"] == ["_BACKEND"]  # _SESSION is private to the star-imported module
    assert e["backend_modules"] == ["common", "control_flow_ops", "ctc", "np", "os", "tensorflow_backend", "tf"]
    assert e["submodules"] == ["cntk_backend", "common", "tensorflow_backend", "theano_backend"]
    assert e["tf_backend"] is None
    assert res["alternatives"] == {"cntk": [], "theano": ["T", "theano", "theano_backend"]}


def test_analysis_all_del_global_and_branches(gen) -> None:
    files = {
        "keras/__init__.py": "from keras import backend\n",
        "keras/backend.py": (
            "from __future__ import print_function as _print_function\nimport sys as _sys\n"
            "from keras.impl import *\nfrom keras import utils\nfrom keras.utils import helper\n"
            "a, (b, *c) = 1, (2, 3)\nx: int = 1\ny: int\nclass K:\n    pass\n"
            "if sys_flag:\n    from keras import dt as dtensor\nelse:\n    dtensor = None\n"
            "for _i in range(2):\n    pass\nwith open('f') as _fh:\n    pass\n"
            "def f():\n    global _STATE\n    _STATE = 1\n"
            "del _print_function\n"
        ),
        "keras/impl.py": "__all__ = ['p']\n__all__ += ['q']\np = q = r = 1\n",
        "keras/utils/__init__.py": "from keras.utils.helper import thing\n",
        "keras/utils/helper.py": "thing = 1\n",
        "keras/dt.py": "",
    }
    e = _surface(gen, files, "2.8.0")["entry"]
    assert e["backend"] == ["K", "a", "b", "c", "dtensor", "f", "helper", "p", "q", "utils", "x"]
    assert e["backend_private"] == ["_STATE", "_fh", "_i", "_sys"]
    assert e["backend_modules"] == ["_sys", "dtensor", "helper", "utils"]
    assert e["submodules"] == []


def test_analysis_generated_api_package(gen) -> None:
    files = {
        "keras/__init__.py": "from keras import backend as backend\nfrom keras import ops as ops\n",
        "keras/backend/__init__.py": "from keras.src.backend.config import floatx as floatx\n",
        "keras/ops/__init__.py": "from keras.ops import image as image\nfrom keras.src.ops.numpy import mean as mean\n",
        "keras/ops/image/__init__.py": "from keras.src.ops.image import resize as resize\n",
        "keras/src/__init__.py": "",
        "keras/src/backend/__init__.py": "",
        "keras/src/backend/config.py": "def floatx():\n    pass\n",
        "keras/src/ops/__init__.py": "",
        "keras/src/ops/numpy.py": "def mean(x):\n    pass\n",
        "keras/src/ops/image.py": "def resize(x):\n    pass\n",
    }
    e = _surface(gen, files, "3.1.1")["entry"]
    assert e["backend"] == ["floatx"]
    assert e["ops"] == ["image", "mean"]
    assert e["config"] == [] and e["tf_backend"] is None


def test_release_selection(gen) -> None:
    rel = ["1.2.1", "1.2.2", "2.0.8", "2.0.9", "2.2.4", "2.2.5", "2.5.0rc0", "2.13.1rc0", "2.13.1"]
    rel += ["3.0.0", "3.0.5", "3.1.0"]
    expected = ["1.2.2", "2.0.9", "2.2.4", "2.2.5", "2.13.1", "3.0.5", "3.1.0"]
    assert [str(v) for v in gen.select_releases(rel)] == expected


# --------------------------------------------------------------------------
# against the real installed Keras 3


def _installed_entry(keras_data: dict, version: str) -> dict:
    if version in keras_data:
        return keras_data[version]
    v = Version(version)
    same = [k for k in keras_data if Version(k).release[:2] == v.release[:2]]
    assert same, (
        "installed keras %s has no release of the same minor in api_surface.json; "
        "pin the test extra to the newest Keras in the data" % version
    )
    return keras_data[max(same, key=Version)]


def _public(mod) -> list:
    return sorted(n for n in dir(mod) if not n.startswith("_"))


@pytest.mark.parametrize(
    ("key", "module"),
    [
        ("backend", "keras.backend"),
        ("ops", "keras.ops"),
        ("config", "keras.config"),
        ("random", "keras.random"),
        ("utils", "keras.utils"),
        ("losses", "keras.losses"),
        ("activations", "keras.activations"),
        ("tf_backend", "keras._tf_keras.keras.backend"),
    ],
)
@pytest.mark.keras3
def test_matches_installed_keras3(keras_data: dict, key: str, module: str) -> None:
    keras = importlib.import_module("keras")
    assert Version(keras.__version__).major >= 3, "the test extra must install Keras 3"
    e = _installed_entry(keras_data, keras.__version__)
    mod = importlib.import_module(module)
    assert e[key] == _public(mod)


@pytest.mark.keras3
def test_installed_keras3_backend_modules(keras_data: dict) -> None:
    import types

    keras = importlib.import_module("keras")
    from keras import backend as K

    e = _installed_entry(keras_data, keras.__version__)
    real = sorted(n for n in dir(K) if not n.startswith("__") and isinstance(getattr(K, n), types.ModuleType))
    assert e["backend_modules"] == real
    assert e["backend_private"] == sorted(n for n in dir(K) if n.startswith("_") and not n.startswith("__"))


def test_data_is_read_through_importlib_resources_when_a_plain_path_cannot_be(monkeypatch):
    """A zipped install has no file beside the module: the fallback reads the same text."""
    import builtins

    from keras_backend_lint import datafiles

    plain = datafiles.read_data("pairing.json")

    def no_file(path, *args, **kwargs):
        if str(path).endswith("pairing.json"):
            raise NotADirectoryError(path)
        return real_open(path, *args, **kwargs)

    real_open = builtins.open
    monkeypatch.setattr(builtins, "open", no_file)
    assert datafiles.read_data("pairing.json") == plain
