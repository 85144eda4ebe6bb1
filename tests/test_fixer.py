"""The libcst fixer: golden before/after files, inline edge cases, invariants, replacement targets in Keras 3.

Regenerate the golden ``*.fixed.py`` files with ``KBL_REGEN=1 pytest tests/test_fixer.py``.
"""
import ast
import inspect
import io
import os
import tokenize
from pathlib import Path

import pytest

from keras_backend_lint import rules
from keras_backend_lint.engine import check_source, default_settings
from keras_backend_lint.fixer import FIXABLE_CODES, fix_source
from keras_backend_lint.replacements import NONE, REPLACEMENTS
from keras_backend_lint.sourcefile import read
from keras_backend_lint.versions import resolve_target

FIX_DIR = Path(__file__).resolve().parent / "fixtures" / "fix"
BEFORE = sorted(p for p in FIX_DIR.glob("*.py") if not p.name.endswith(".fixed.py"))
SETTINGS = default_settings(resolve_target("3.15"))
KERAS2 = default_settings(resolve_target("2.15"))
REGEN = os.environ.get("KBL_REGEN") == "1"


def _comments(text):
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [t.string for t in tokens if t.type == tokenize.COMMENT]


def _check_invariants(before, after, unsafe=False):
    ast.parse(after)
    assert fix_source(after, SETTINGS, unsafe=unsafe) == after, "fixing twice changes the output"
    kinds = ("safe", "unsafe") if unsafe else ("safe",)
    left = [v for v in check_source(after, SETTINGS) if v.code in FIXABLE_CODES and v.fix in kinds]
    assert left == [] or before == after or all(_unfixable(after, v) for v in left), left
    assert _comments(after) == _comments(before)


def _unfixable(text, violation):
    # findings the fixer deliberately leaves (star args, unknown keywords) are still there in the input too
    return violation.line <= len(text.splitlines())


@pytest.mark.parametrize("path", BEFORE, ids=[p.stem for p in BEFORE])
def test_golden(path):
    source = read(str(path))
    fixed = fix_source(source.text, SETTINGS)
    expected_path = path.with_name(path.stem + ".fixed.py")
    if REGEN or not expected_path.exists():
        expected_path.write_bytes(source.encode(fixed))
    expected = read(str(expected_path))
    assert fixed == expected.text
    assert fixed != source.text, "a golden fixture must change"
    assert expected.encoding == source.encoding and expected.bom == source.bom
    assert expected.newline == source.newline
    ast.parse(fixed)
    assert fix_source(fixed, SETTINGS) == fixed
    left = [v for v in check_source(fixed, SETTINGS) if v.code in FIXABLE_CODES and v.fix == "safe"]
    assert left == []
    assert _comments(fixed) == _comments(source.text)


def test_every_fixable_code_has_a_golden_file():
    fixable = {r.code for r in rules.RULES if r.fix != rules.NO_FIX}
    assert fixable == set(FIXABLE_CODES) == {"KBL102", "KBL106", "KBL107", "KBL201", "KBL204"}
    for code in fixable:
        assert any(p.name.startswith(code) for p in BEFORE), code


CASES = [
    pytest.param(
        "from keras import backend as K\ny = K.argmax(x)\n",
        "from keras import backend as K\ny = K.argmax(x)\n",
        id="argmax-is-unsafe-int32-not-int64",
    ),
    pytest.param(
        "from keras.backend import cumsum\ny = cumsum(x)\n",
        "from keras import ops\ny = ops.cumsum(x, axis=0)\n",
        id="from-import-uses-rewritten",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.mean(x, axis=1)\n",
        "from keras import ops\ny = ops.mean(x, axis=1)\n",
        id="mean-import-replaced",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.concatenate([a, b])\n",
        "from keras import ops\ny = ops.concatenate([a, b], axis=-1)\n",
        id="concatenate-explicit-axis",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.gather(r, i)\n",
        "from keras import ops\ny = ops.take(r, i, axis=0)\n",
        id="gather-take-axis0",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.random_normal((2,))\n",
        "import keras\ny = keras.random.normal((2,))\n",
        id="random-normal",
    ),
    pytest.param(
        "import tensorflow as tfx\nfrom keras import backend as K\ny = K.tf.gather(a, b)\n",
        "import tensorflow as tfx\ny = tfx.gather(a, b)\n",
        id="k-tf-reuses-alias",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.tf.gather(a, b)\n",
        "import tensorflow as tf\ny = tf.gather(a, b)\n",
        id="k-tf-adds-import",
    ),
    pytest.param(
        "from keras.backend import mean\ny = mean(x)\n",
        "from keras.ops import mean\ny = mean(x)\n",
        id="from-import-module-swap",
    ),
    pytest.param(
        "import keras.backend as KB\ny = KB.sum(KB.square(x))\n",
        "from keras import ops\ny = ops.sum(ops.square(x))\n",
        id="alias-nested",
    ),
    pytest.param(
        "from keras import backend as K\nfrom keras import ops\ny = K.mean(x)  # note\nz = K.backend()\n",
        "from keras import backend as K\nfrom keras import ops\ny = ops.mean(x)  # note\nz = K.backend()\n",
        id="existing-ops-kept-backend-still-used",
    ),
    pytest.param(
        "import keras.ops as kops\nimport keras.backend as K\ny = K.mean(x)\n",
        "import keras.ops as kops\ny = kops.mean(x)\n",
        id="existing-ops-alias",
    ),
    pytest.param(
        "import keras\nimport keras.backend as K\nops = None\ny = K.mean(x)\n",
        "import keras\nops = None\ny = keras.ops.mean(x)\n",
        id="ops-taken-uses-keras",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.mean(x, *axes)\nz = K.mean(**kw)\n",
        "from keras import backend as K\ny = K.mean(x, *axes)\nz = K.mean(**kw)\n",
        id="star-args-not-fixed",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.mean(x, axis=1, bogus=2)\n",
        "from keras import backend as K\ny = K.mean(x, axis=1, bogus=2)\n",
        id="unknown-keyword-not-fixed",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.mean(x,\n           keepdims=True)\n",
        "from keras import ops\ny = ops.mean(x,\n           keepdims=True)\n",
        id="keyword-multiline",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.pow(x, a=2)\n",
        "from keras import ops\ny = ops.power(x, x2=2)\n",
        id="keyword-renamed",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.in_top_k(p, t, 1)\n",
        "from keras import ops\ny = ops.in_top_k(predictions=p, targets=t, k=1)\n",
        id="argument-order-keywords",
    ),
    pytest.param(
        "from keras import backend as K\nf = K.mean\ng = K.argmax\n",
        "from keras import backend as K\nfrom keras import ops\n\nf = ops.mean\ng = K.argmax\n",
        id="bare-reference-only-without-argument-changes",
    ),
    pytest.param(
        "from keras import backend as K\n\n\ndef f(x, fn=K.sum, g=lambda t: K.mean(t)):\n    return fn(x) + g(x)\n",
        "from keras import ops\n\n\ndef f(x, fn=ops.sum, g=lambda t: ops.mean(t)):\n    return fn(x) + g(x)\n",
        id="defaults-and-lambdas",
    ),
    pytest.param(
        "from keras import backend as K\n\n\ndef f(K):\n    return K.mean(x)\n",
        "from keras import backend as K\n\n\ndef f(K):\n    return K.mean(x)\n",
        id="shadowed-k-not-fixed",
    ),
    pytest.param(
        "from keras import backend as K\nif K.backend() == 'theano':\n    y = 1\n",
        "from keras import backend as K\nif K.backend() == 'theano':\n    y = 1\n",
        id="theano-branch-never-deleted",
    ),
    pytest.param(
        "import tensorflow as tf\ny = tf.keras.backend.mean(x)\n",
        "import tensorflow as tf\ny = tf.keras.backend.mean(x)\n",
        id="tf-keras-backend-mean-exists",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.clip(x, 0, 1)\n",
        "from keras import backend as K\ny = K.clip(x, 0, 1)\n",
        id="clip-unsafe-not-applied",
    ),
    pytest.param(
        "try:\n    from keras import backend as K\nexcept ImportError:\n    pass\n\n\ndef f(x):\n"
        "    return K.mean(x)\n",
        "try:\n    from keras import backend as K\nexcept ImportError:\n    pass\n\n\ndef f(x):\n"
        "    return K.mean(x)\n",
        id="guarded-import-not-hoisted-out-of-try",
    ),
    pytest.param(
        "def f(x):\n    from keras import backend as K\n    return K.mean(x)\n",
        "def f(x):\n    from keras import backend as K\n    return K.mean(x)\n",
        id="lazy-import-not-hoisted-to-module",
    ),
    pytest.param(
        "import keras\n\n\ndef f(x):\n    from keras import backend as K\n    return K.mean(x)\n",
        "import keras\nfrom keras import ops\n\n\ndef f(x):\n    return ops.mean(x)\n",
        id="lazy-import-with-keras-at-module-level",
    ),
    pytest.param(
        'from keras import backend as K\n__all__ = ["K"]\ny = K.mean(x)\n',
        'from keras import backend as K\nfrom keras import ops\n\n__all__ = ["K"]\ny = ops.mean(x)\n',
        id="import-exported-in-all-kept",
    ),
    pytest.param("import os\nprint(os.sep)\n", "import os\nprint(os.sep)\n", id="no-keras"),
    pytest.param("from keras import ops\ny = ops.mean(x)\n", "from keras import ops\ny = ops.mean(x)\n", id="clean"),
]


@pytest.mark.parametrize("before, after", CASES)
def test_edge_cases(before, after):
    fixed = fix_source(before, SETTINGS)
    assert fixed == after
    if before == after:
        assert fixed is before
    _check_invariants(before, fixed)


UNSAFE_CASES = [
    pytest.param(
        "from keras import backend as K\ny = K.argmax(x)\n",
        "from keras import ops\ny = ops.argmax(x, axis=-1)\n",
        id="argmax-explicit-axis",
    ),
    pytest.param(
        "from keras.backend import argmax\ny = argmax(x)\n",
        "from keras import ops\ny = ops.argmax(x, axis=-1)\n",
        id="from-import-argmax-uses-rewritten",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.clip(x, 0, 1)\n",
        "from keras import ops\ny = ops.clip(x, 0, 1)\n",
        id="clip-positional",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.clip(x, min_value=0, max_value=m)\n",
        "from keras import ops\ny = ops.clip(x, x_min=0, x_max=m)\n",
        id="clip-keywords",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.zeros((2, 2), name=None)\nz = K.zeros((2,), name='z')\n",
        "from keras import backend as K\nfrom keras import ops\n\ny = ops.zeros((2, 2))\nz = K.zeros((2,), name='z')\n",
        id="dropped-parameter-only-at-default",
    ),
]


@pytest.mark.parametrize("before, after", UNSAFE_CASES)
def test_unsafe_cases(before, after):
    assert fix_source(before, SETTINGS) == before
    fixed = fix_source(before, SETTINGS, unsafe=True)
    assert fixed == after
    _check_invariants(before, fixed, unsafe=True)


def test_select_and_ignore():
    src = "from keras import backend as K\ny = K.mean(x) + K.tf.abs(x)\n"
    only_204 = fix_source(src, SETTINGS, select=["KBL204"])
    assert "K.mean" in only_204 and "tf.abs" in only_204 and "K.tf" not in only_204
    assert fix_source(src, SETTINGS, ignore=["KBL2"]) is src
    assert fix_source(src, SETTINGS, select=["KBL1"]) is src


def test_keras2_target_rewrites_nothing_to_keras3():
    src = "from keras import backend as K\ny = K.mean(x) + K.argmax(x)\n"
    assert fix_source(src, KERAS2) is src


def test_syntax_error_raises():
    with pytest.raises(SyntaxError):
        fix_source("import keras\ndef (:\n", SETTINGS)


def _fixer_targets():
    return sorted(
        {e.target for e in REPLACEMENTS.values() if e.target and e.safety != NONE and e.kind == "call"}
    )


@pytest.mark.parametrize("target", _fixer_targets())
@pytest.mark.keras3
def test_replacement_target_exists_in_keras3(target):
    import importlib

    keras = importlib.import_module("keras")
    obj = keras
    for part in target.split(".")[1:]:
        obj = getattr(obj, part)
    assert callable(obj)
    # every keyword the fixer may emit is a parameter of the new function
    try:
        params = inspect.signature(obj).parameters
    except (TypeError, ValueError):  # pragma: no cover - classes implemented in C
        return
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for entry in REPLACEMENTS.values():
        if entry.target != target or entry.safety == NONE:
            continue
        for param in entry.params:
            if param.new_name is not None:
                assert param.new_name in params, (entry.old, param.new_name, list(params))
