"""The collector's cutting of real functions (pure Python; the Keras 2 trial runs only in the collector itself)."""
import ast
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))

import collect_real_functions as collect  # noqa: E402

MODULE = '''\
import os
import numpy as np
from keras import backend as K
from .utils import helper_from_package

EPS = 1e-7
SCALE = np.float32(2.0)


def _norm(x):
    return K.sqrt(K.sum(K.square(x), axis=-1) + EPS)


def loss(y_true, y_pred):
    return K.mean(_norm(y_pred - y_true)) * SCALE


def uses_package(x):
    return helper_from_package(K.abs(x))


class Scale:
    def __init__(self, factor=3.0, name=None, **kwargs):
        self.factor = K.cast_to_floatx(factor)
        self.name = name

    def call(self, inputs):
        return inputs * self.factor

    def other(self, inputs):
        return self.call(inputs)
'''


def _parts():
    tree = ast.parse(MODULE)
    functions = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    return tree, functions, collect.backend_aliases(tree, own_keras=False)


def test_a_function_comes_with_its_imports_constants_and_helpers_in_source_order():
    tree, functions, aliases = _parts()
    root = collect._segment(functions["loss"], MODULE.splitlines())
    text = collect.excerpt(root, tree, MODULE, aliases)
    assert set(text.splitlines()[:2]) == {"import numpy as np", "from keras import backend as K"}
    assert "import os" not in text
    assert text.index("EPS = 1e-7") < text.index("SCALE =") < text.index("def _norm") < text.index("def loss")
    scope = {}
    exec(compile(text.replace("from keras import backend as K", "K = None"), "x", "exec"), scope)
    assert callable(scope["loss"])


def test_a_package_internal_import_drops_the_function():
    tree, functions, aliases = _parts()
    root = collect._segment(functions["uses_package"], MODULE.splitlines())
    with pytest.raises(collect.Dropped, match="imports from .utils"):
        collect.excerpt(root, tree, MODULE, aliases)


def test_a_method_becomes_a_function_with_self_rebuilt_from_init_defaults():
    _, functions, _ = _parts()
    cls = functions["Scale"]
    method = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "call")
    root = collect.method_root(cls, method, MODULE.splitlines())
    assert "def __init__(self, factor=3.0):" in root
    assert "self.factor = K.cast_to_floatx(factor)" in root
    assert "self.name" not in root
    assert root.rstrip().endswith("return inputs * self.factor")


def test_a_method_calling_another_method_is_dropped():
    _, functions, _ = _parts()
    cls = functions["Scale"]
    method = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "other")
    with pytest.raises(collect.Dropped, match="calls self.call"):
        collect.method_root(cls, method, MODULE.splitlines())


def test_backend_aliases_include_relative_imports_only_inside_keras_itself():
    tree = ast.parse("from .. import backend as K\nimport keras.backend as KB\n")
    assert collect.backend_aliases(tree, own_keras=False) == {"KB": "import keras.backend as KB"}
    assert collect.backend_aliases(tree, own_keras=True)["K"] == "from keras import backend as K"


def test_case_ids_name_package_module_and_function():
    pkg = collect.corpus.Package("keras", "2.2.4", "")
    assert collect.case_id(pkg, "keras-2.2.4/Keras-2.2.4/keras/losses.py", "mean_squared_error") == \
        "keras__keras_losses__mean_squared_error"


def test_constructor_arguments_without_default_become_keyword_only_for_the_case_to_give():
    text = ("from keras import backend as K\n\n\nclass Clip:\n    def __init__(self, low, high=1.0):\n"
            "        self.low = low\n        self.high = high\n\n    def call(self, x):\n"
            "        return K.clip(x, self.low, self.high)\n")
    cls = ast.parse(text).body[1]
    root = collect.method_root(cls, cls.body[1], text.splitlines())
    assert "def __init__(self, high=1.0, *, low):" in root
