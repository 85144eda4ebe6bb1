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
from keras_backend_lint.fixer import FIXABLE_CODES, fix_source, fix_text
from keras_backend_lint.replacements import NONE, REPLACEMENTS
from keras_backend_lint.sourcefile import read
from keras_backend_lint.versions import resolve_target

FIX_DIR = Path(__file__).resolve().parent / "fixtures" / "fix"
BEFORE = sorted(p for p in FIX_DIR.glob("*.py") if not p.name.endswith(".fixed.py"))
#: the golden output of ``NAME.py`` for each fix mode: safe fixes only, and ``--unsafe-fixes`` too
GOLDEN_SUFFIXES = ((False, ".fixed.py"), (True, ".unsafe.fixed.py"))
SETTINGS = default_settings(resolve_target("3.15"))
KERAS2 = default_settings(resolve_target("2.15"))
REGEN = os.environ.get("KBL_REGEN") == "1"


def _comments(text):
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    return [t.string for t in tokens if t.type == tokenize.COMMENT]


def _undefined_names(text):
    """pyflakes' undefined-name reports: a fix must never leave a name it no longer imports."""
    from pyflakes import api, reporter

    out = io.StringIO()
    api.check(text, "<fixed>", reporter.Reporter(out, out))
    return sorted(line.split(": ", 1)[1] for line in out.getvalue().splitlines() if "undefined name" in line)


def _check_invariants(before, after, unsafe=False):
    ast.parse(after)
    assert _undefined_names(after) == _undefined_names(before)
    assert fix_source(after, SETTINGS, unsafe=unsafe) == after, "fixing twice changes the output"
    kinds = ("safe", "unsafe") if unsafe else ("safe",)
    left = [v for v in check_source(after, SETTINGS) if v.code in FIXABLE_CODES and v.fix in kinds]
    assert left == [] or before == after or all(_unfixable(after, v) for v in left), left
    assert _comments(after) == _comments(before)


def _unfixable(text, violation):
    # findings the fixer deliberately leaves (star args, unknown keywords) are still there in the input too
    return violation.line <= len(text.splitlines())


def _golden_cases():
    """(input, unsafe) for each golden file an input has; a new input gets its safe golden file written."""
    for path in BEFORE:
        modes = [unsafe for unsafe, suffix in GOLDEN_SUFFIXES if path.with_name(path.stem + suffix).exists()]
        for unsafe in modes or [False]:
            yield pytest.param(path, unsafe, id=path.stem + (".unsafe" if unsafe else ""))


@pytest.mark.parametrize("path,unsafe", list(_golden_cases()))
def test_golden(path, unsafe):
    """``NAME.py`` -> ``NAME.fixed.py`` with the safe fixes and ``NAME.unsafe.fixed.py`` with ``--unsafe-fixes`` too,
    each checked where it exists."""
    source = read(str(path))
    fixed = fix_source(source.text, SETTINGS, unsafe=unsafe)
    expected_path = path.with_name(path.stem + dict(GOLDEN_SUFFIXES)[unsafe])
    if REGEN or not expected_path.exists():
        expected_path.write_bytes(source.encode(fixed))
    expected = read(str(expected_path))
    assert fixed == expected.text
    assert fixed != source.text, "a golden fixture must change"
    assert expected.encoding == source.encoding and expected.bom == source.bom
    assert expected.newline == source.newline
    ast.parse(fixed)
    assert fix_source(fixed, SETTINGS, unsafe=unsafe) == fixed
    assert _undefined_names(fixed) == _undefined_names(source.text)
    # what is left is left for a reason that the summary gives (unsafe at this call site, no fix, ...)
    again = fix_text(fixed, SETTINGS, unsafe=unsafe)
    assert again.fixed == () and all(kind and reason for _, kind, reason in again.left), again.left
    assert _comments(fixed) == _comments(source.text)


def test_every_fixable_code_has_a_golden_file():
    fixable = {r.code for r in rules.RULES if r.fix != rules.NO_FIX}
    assert fixable == set(FIXABLE_CODES) == {
        "KBL101", "KBL102", "KBL105", "KBL106", "KBL107", "KBL108", "KBL201", "KBL203", "KBL204", "KBL301"
    }
    for code in fixable:
        assert any(p.name.startswith(code) for p in BEFORE), code


CASES = [
    pytest.param(
        "from keras import backend as K\ny = K.argmax(x)\n",
        'from keras import ops\ny = ops.cast(ops.argmax(x, axis=-1), "int64")\n',
        id="argmax-keeps-int64-and-axis",
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
        "from keras import backend as K\nfrom keras import ops\nf = ops.mean\ng = K.argmax\n",
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
        "from keras import backend as K\nif K.backend() == 'theano':\n    y = 1\nz = 2\n",
        "z = 2\n",
        id="dead-theano-branch-deleted-with-its-import",
    ),
    pytest.param(
        "import tensorflow as tf\ny = tf.keras.backend.mean(x)\n",
        "import tensorflow as tf\ny = tf.keras.backend.mean(x)\n",
        id="tf-keras-backend-mean-exists",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.clip(x, 0, 1)\nz = K.clip(x, lo, hi)\n",
        "from keras import backend as K\nfrom keras import ops\ny = ops.clip(x, 0, 1)\nz = K.clip(x, lo, hi)\n",
        id="clip-literal-bounds-safe-others-unsafe",
    ),
    pytest.param(
        "try:\n    from keras import backend as K\nexcept ImportError:\n    pass\n\n\ndef f(x):\n"
        "    return K.mean(x)\n",
        "try:\n    from keras import ops\nexcept ImportError:\n    pass\n\n\ndef f(x):\n"
        "    return ops.mean(x)\n",
        id="guarded-import-stays-in-its-try",
    ),
    pytest.param(
        "def f(x):\n    from keras import backend as K\n    return K.mean(x)\n",
        "def f(x):\n    from keras import ops\n    return ops.mean(x)\n",
        id="lazy-import-stays-lazy",
    ),
    pytest.param(
        "import keras\n\n\ndef f(x):\n    from keras import backend as K\n    return K.mean(x)\n",
        "import keras\n\n\ndef f(x):\n    from keras import ops\n    return ops.mean(x)\n",
        id="lazy-import-with-keras-at-module-level",
    ),
    pytest.param(
        'from keras import backend as K\n__all__ = ["K"]\ny = K.mean(x)\n',
        'from keras import backend as K\nfrom keras import ops\n__all__ = ["K"]\ny = ops.mean(x)\n',
        id="import-exported-in-all-kept",
    ),
    pytest.param(
        "from keras import backend as K\nv = K.variable(0, dtype=K.floatx())\n"
        "w = K.zeros((2,), dtype=x.dtype) * 2\n",
        "from keras import backend as K\nimport keras\nfrom keras import ops\nv = keras.Variable(0, dtype=K.floatx())\n"
        "w = ops.zeros((2,), dtype=x.dtype) * 2\n",
        id="dtype-expressions-that-are-never-none-kept",
    ),
    pytest.param(
        "from keras import backend as K\n\n\ndef init(shape, dtype=None):\n"
        "    return K.zeros(shape, dtype=dtype) + 1\n",
        "import keras\nfrom keras import ops\n\n\ndef init(shape, dtype=None):\n"
        "    return ops.zeros(shape, dtype=keras.config.floatx() if dtype is None else dtype) + 1\n",
        id="dtype-name-that-may-be-none-pinned",
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
        "from tensorflow.python.keras.layers import Layer, Dense\nfrom tensorflow.python.keras import backend as K\n",
        "from tensorflow.keras.layers import Layer, Dense\nfrom tensorflow.keras import backend as K\n",
        id="private-tf-keras-imports-to-tf-keras-when-every-name-is-public",
    ),
    pytest.param(
        "from tensorflow.python.keras.layers import (  # c\n    Layer,  # d\n)\n"
        "import tensorflow.python.keras.backend as KK  # kk\n",
        "from tensorflow.keras.layers import (  # c\n    Layer,  # d\n)\nimport tensorflow.keras.backend as KK  # kk\n",
        id="private-tf-keras-imports-keep-their-comments-and-layout",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.clip(x, min_value=0, max_value=m)\n",
        "from keras import ops\ny = ops.clip(x, 0, m)\n",
        id="clip-non-literal-bound",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.zeros((2, 2), name=None)\nz = K.zeros((2,), name='z')\n",
        "import keras\nfrom keras import ops\n"
        "y = ops.zeros((2, 2), dtype=keras.config.floatx())\nz = ops.zeros((2,), dtype=keras.config.floatx())\n",
        id="zeros-bound-to-a-name-may-be-a-variable",
    ),
    pytest.param(
        "from keras import backend as K\ny = K.cast_to_floatx(a + b)\n",
        "import keras\nfrom keras import ops\ny = ops.cast(a + b, keras.config.floatx())\n",
        id="cast-to-floatx-of-an-expression-that-may-be-numpy",
    ),
]


@pytest.mark.parametrize("before, after", UNSAFE_CASES)
def test_unsafe_cases(before, after):
    assert fix_source(before, SETTINGS) == before
    fixed = fix_source(before, SETTINGS, unsafe=True)
    assert fixed == after
    _check_invariants(before, fixed, unsafe=True)


def test_private_tf_keras_import_with_a_private_name_is_left_with_the_reason():
    src = "from tensorflow.python.keras.layers import Layer\nfrom tensorflow.python.keras.utils import tf_utils\n"
    result = fix_text(src, SETTINGS, unsafe=True)
    assert result.text == src
    [(_, kind, reason)] = result.left
    assert kind == "not-fixed" and "tensorflow.keras.utils.tf_utils is not public" in reason


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
        {e.target for e in REPLACEMENTS.values()
         if e.target and e.safety != NONE and e.kind == "call" and not e.rewrite}
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
        if entry.target != target or entry.safety == NONE or entry.rewrite:
            continue
        for param in entry.params:
            if param.new_name is not None:
                assert param.new_name in params, (entry.old, param.new_name, list(params))


# -- issue 10: ranges, accounting, placement -------------------------------------------------------------------
RANGE = default_settings(resolve_target(">=2.12,<3.4"))


def test_range_into_keras2_only_applies_fixes_valid_everywhere():
    src = "from keras import backend as K\ny = K.mean(x) + K.tf.abs(x)\n"
    result = fix_text(src, RANGE)
    assert result.text == "from keras import backend as K\nimport tensorflow as tf\ny = K.mean(x) + tf.abs(x)\n"
    [(left, kind, reason)] = [item for item in result.left if item[0].code == "KBL201"]
    assert kind == "not-fixed" and "2.12-2.15" in reason and "no single spelling" in reason


def test_range_inside_keras3_checks_each_release():
    # keras.ops.map appeared in 3.4: a 3.x range starting earlier cannot use it, one starting at 3.4 can
    src = "from keras import backend as K\ny = K.map_fn(f, xs)\n"
    assert fix_source(src, default_settings(resolve_target(">=3.0,<3.5"))) is src
    assert "ops.map(f, xs)" in fix_source(src, default_settings(resolve_target(">=3.4")))


def test_every_finding_is_fixed_or_left_with_a_reason():
    src = (
        "from keras import backend as K\n"
        "a = K.mean(x)\nb = K.get_session()\nc = K.zeros((2,))\nd = K.mean(*xs)\n"
    )
    result = fix_text(src, SETTINGS)
    found = check_source(src, SETTINGS)
    assert sorted(result.fixed + tuple(v for v, _, _ in result.left)) == sorted(found)
    kinds = {v.message.split(" ")[0]: kind for v, kind, _ in result.left}
    assert kinds == {"K.get_session": "manual", "K.zeros": "unsafe", "K.mean": "not-fixed"}
    assert all(reason for _, _, reason in result.left)


def _keras_import_lines(text):
    tree = ast.parse(text)
    return [
        node.lineno for node in tree.body
        if isinstance(node, (ast.Import, ast.ImportFrom))
        and any((getattr(node, "module", None) or a.name).split(".")[0] in ("keras", "tensorflow") for a in node.names)
    ]


@pytest.mark.parametrize("path", BEFORE, ids=[p.stem for p in BEFORE])
def test_no_keras_import_moves_above_what_preceded_it(path):
    """The first Keras/TensorFlow import never comes earlier in the fixed file, and no KBL302 appears."""
    source = read(str(path)).text
    fixed = fix_source(source, SETTINGS)
    before, after = _keras_import_lines(source), _keras_import_lines(fixed)
    if before and after:
        statements_before = [n for n in ast.parse(source).body if n.lineno < before[0]]
        statements_after = [n for n in ast.parse(fixed).body if n.lineno < after[0]]
        assert len(statements_after) >= len(statements_before)
    kbl302 = [v for v in check_source(fixed, SETTINGS) if v.code == "KBL302"]
    assert len(kbl302) <= len([v for v in check_source(source, SETTINGS) if v.code == "KBL302"])
