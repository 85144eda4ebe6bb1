"""Differential test of the safe numeric fixes: ``K.f`` under Keras 2 semantics vs the fixer's Keras 3 rewrite.

The original call runs with ``tf_keras.backend`` (tensorflow-cpu 2.15 + tf-keras 2.15); the rewritten source,
produced by ``fix_source`` from the same template, runs with Keras 3. Both sides run in subprocesses and exchange
``.npz`` files, because Keras 3 and TensorFlow 2.15 (which pins keras 2.15) cannot share one environment:

* ``KBL_TF_PYTHON``: interpreter with tensorflow + tf_keras (default: this one)
* ``KBL_KERAS3_PYTHON``: interpreter with Keras 3 (default: this one)

Skipped unless both import. ``KBL_DIFF_TABLE=path`` writes the markdown result table (used for docs/fixes.md).
"""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from keras_backend_lint.engine import default_settings
from keras_backend_lint.fixer import fix_source
from keras_backend_lint.replacements import SAFE, UNSAFE, replacement_for
from keras_backend_lint.versions import resolve_target


TF_PYTHON = os.environ.get("KBL_TF_PYTHON", sys.executable)
K3_PYTHON = os.environ.get("KBL_KERAS3_PYTHON", sys.executable)
SETTINGS = default_settings(resolve_target("3.15"))

# name -> (expression using K and the inputs, {input: (shape, kind)})
F = ((3, 4), "f")
CASES = {
    "abs": ("K.abs(a)", {"a": F}),
    "exp": ("K.exp(a)", {"a": F}),
    "log": ("K.log(p)", {"p": ((3, 4), "pos")}),
    "square": ("K.square(a)", {"a": F}),
    "sign": ("K.sign(a)", {"a": F}),
    "cos": ("K.cos(a)", {"a": F}),
    "sin": ("K.sin(a)", {"a": F}),
    "sigmoid": ("K.sigmoid(a)", {"a": F}),
    "tanh": ("K.tanh(a)", {"a": F}),
    "softplus": ("K.softplus(a)", {"a": F}),
    "softsign": ("K.softsign(a)", {"a": F}),
    "round": ("K.round(a * 3)", {"a": F}),
    "equal": ("K.equal(i, j)", {"i": ((3, 4), "i"), "j": ((3, 4), "i")}),
    "not_equal": ("K.not_equal(i, j)", {"i": ((3, 4), "i"), "j": ((3, 4), "i")}),
    "greater": ("K.greater(a, b)", {"a": F, "b": F}),
    "greater_equal": ("K.greater_equal(a, b)", {"a": F, "b": F}),
    "less": ("K.less(a, b)", {"a": F, "b": F}),
    "less_equal": ("K.less_equal(a, b)", {"a": F, "b": F}),
    "maximum": ("K.maximum(a, b)", {"a": F, "b": F}),
    "minimum": ("K.minimum(a, b)", {"a": F, "b": F}),
    "pow": ("K.pow(p, 3)", {"p": ((3, 4), "pos")}),
    "sum": ("K.sum(a, axis=1)", {"a": F}),
    "mean": ("K.mean(a)", {"a": F}),
    "max": ("K.max(a, axis=0, keepdims=True)", {"a": F}),
    "min": ("K.min(a, 1)", {"a": F}),
    "prod": ("K.prod(a, axis=-1)", {"a": F}),
    "std": ("K.std(a, axis=1)", {"a": F}),
    "var": ("K.var(a)", {"a": F}),
    "all": ("K.all(m, axis=1)", {"m": ((3, 4), "b")}),
    "any": ("K.any(m)", {"m": ((3, 4), "b")}),
    "argmax": ("K.argmax(a)", {"a": F}),
    "argmin": ("K.argmin(a)", {"a": F}),
    "cumsum": ("K.cumsum(a)", {"a": F}),
    "cumprod": ("K.cumprod(a)", {"a": F}),
    "concatenate": ("K.concatenate([a, b])", {"a": F, "b": F}),
    "stack": ("K.stack([a, b])", {"a": F, "b": F}),
    "expand_dims": ("K.expand_dims(a)", {"a": F}),
    "squeeze": ("K.squeeze(c, 1)", {"c": ((3, 1, 4), "f")}),
    "reshape": ("K.reshape(a, (4, 3))", {"a": F}),
    "flatten": ("K.flatten(a)", {"a": F}),
    "permute_dimensions": ("K.permute_dimensions(c, (2, 0, 1))", {"c": ((2, 3, 4), "f")}),
    "transpose": ("K.transpose(a)", {"a": F}),
    "tile": ("K.tile(a, (2, 1))", {"a": F}),
    "repeat_elements": ("K.repeat_elements(a, 2, axis=1)", {"a": F}),
    "reverse": ("K.reverse(a, 1)", {"a": F}),
    "gather": ("K.gather(a, k)", {"a": F, "k": ((5,), "idx3")}),
    "one_hot": ("K.one_hot(k, 3)", {"k": ((5,), "idx3")}),
    "in_top_k": ("K.in_top_k(a, t, 2)", {"a": ((4, 5), "f"), "t": ((4,), "idx5")}),
    "dot": ("K.dot(a, d)", {"a": F, "d": ((4, 2), "f")}),
    "softmax": ("K.softmax(a)", {"a": F}),
    "relu": ("K.relu(a, alpha=0.1, max_value=1.0)", {"a": F}),
    "elu": ("K.elu(a)", {"a": F}),
    "l2_normalize": ("K.l2_normalize(a)", {"a": F}),
    "categorical_crossentropy": ("K.categorical_crossentropy(y, q)", {"y": ((3, 4), "onehot"), "q": ((3, 4), "prob")}),
    "sparse_categorical_crossentropy": (
        "K.sparse_categorical_crossentropy(t, q)", {"t": ((3,), "idx4"), "q": ((3, 4), "prob")}),
    "binary_crossentropy": ("K.binary_crossentropy(y, q)", {"y": ((3, 4), "onehot"), "q": ((3, 4), "prob")}),
    "cast": ("K.cast(a, 'int32')", {"a": F}),
    "zeros_like": ("K.zeros_like(a)", {"a": F}),
    "ones_like": ("K.ones_like(a)", {"a": F}),
    "stop_gradient": ("K.stop_gradient(a)", {"a": F}),
    "dtype": ("K.dtype(a)", {"a": F}),
    "conv2d": ("K.conv2d(img, ker, padding='same')", {"img": ((1, 5, 5, 2), "f"), "ker": ((3, 3, 2, 4), "f")}),
    "pool2d": ("K.pool2d(img, (2, 2))", {"img": ((1, 4, 4, 2), "f")}),
}


def _input(shape, kind, rng):
    if kind == "f":
        return rng.standard_normal(shape).astype("float32")
    if kind == "pos":
        return rng.uniform(0.5, 2.0, shape).astype("float32")
    if kind == "i":
        return rng.integers(0, 3, shape).astype("int32")
    if kind == "b":
        return rng.random(shape) > 0.5
    if kind.startswith("idx"):
        return rng.integers(0, int(kind[3:]), shape).astype("int32")
    if kind == "onehot":
        return np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], shape[:-1])]
    if kind == "prob":
        x = rng.uniform(0.1, 1.0, shape).astype("float32")
        return x / x.sum(axis=-1, keepdims=True)
    raise ValueError(kind)


WORKER = textwrap.dedent('''
    import json, sys, numpy as np
    cases, inputs_path, out_path, side = sys.argv[1:5]
    cases = json.load(open(cases))
    inputs = dict(np.load(inputs_path))
    if side == "tf":
        import tf_keras.backend as K
        import tensorflow as tf
        to_np = lambda v: v.numpy() if hasattr(v, "numpy") else np.asarray(v)
    else:
        import keras
        to_np = lambda v: keras.ops.convert_to_numpy(v) if not isinstance(v, str) else np.asarray(v)
    results, errors = {}, {}
    for name, source in cases.items():
        scope = {k[len(name) + 1:]: v for k, v in inputs.items() if k.startswith(name + ":")}
        if side == "tf":
            scope = {k: tf.convert_to_tensor(v) for k, v in scope.items()}
            scope["K"] = K
            source = source.replace("from keras import backend as K\\n", "")
        try:
            exec(source, scope)
            out = scope["out"]
            results[name] = np.asarray(str(out)) if isinstance(out, str) else to_np(out)
        except Exception as exc:
            errors[name] = f"{type(exc).__name__}: {exc}"
    np.savez(out_path, **results)
    json.dump(errors, open(out_path + ".errors.json", "w"))
''')


def _can_run(python, code):
    env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "numpy"), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([python, "-c", code], capture_output=True, env=env)
    return done.returncode == 0


@pytest.fixture(scope="module")
def differential(tmp_path_factory):
    if not _can_run(TF_PYTHON, "import tensorflow, tf_keras"):
        pytest.skip("tensorflow + tf_keras not importable (set KBL_TF_PYTHON or use tox -e differential)")
    if not _can_run(K3_PYTHON, "import keras, sys; sys.exit(int(keras.__version__.split('.')[0]) < 3)"):
        pytest.skip("Keras 3 not importable (set KBL_KERAS3_PYTHON)")
    work = tmp_path_factory.mktemp("differential")
    rng = np.random.default_rng(20240601)
    originals, rewritten, inputs = {}, {}, {}
    for name, (expr, spec) in CASES.items():
        source = f"from keras import backend as K\nout = {expr}\n"
        originals[name] = source
        rewritten[name] = fix_source(source, SETTINGS, unsafe=name in KNOWN_DIFFERENCES)
        for var, (shape, kind) in spec.items():
            inputs[f"{name}:{var}"] = _input(shape, kind, rng)
    np.savez(work / "inputs.npz", **inputs)
    (work / "worker.py").write_text(WORKER)
    results = {}
    for side, python, cases in (("tf", TF_PYTHON, originals), ("k3", K3_PYTHON, rewritten)):
        (work / f"{side}.json").write_text(json.dumps(cases))
        env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "numpy"), TF_CPP_MIN_LOG_LEVEL="3",
                   CUDA_VISIBLE_DEVICES="")
        done = subprocess.run(
            [python, str(work / "worker.py"), str(work / f"{side}.json"), str(work / "inputs.npz"),
             str(work / f"{side}.npz"), side],
            capture_output=True, env=env, text=True,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        loaded = np.load(work / f"{side}.npz")
        errors = json.loads((work / f"{side}.npz.errors.json").read_text())
        results[side] = ({k: loaded[k] for k in loaded.files}, errors)
    table = _table(rewritten, results)
    if os.environ.get("KBL_DIFF_TABLE"):
        with open(os.environ["KBL_DIFF_TABLE"], "w") as handle:
            handle.write(table)
    return rewritten, results


#: differences the differential run found; replacements.py marks these entries unsafe because of it (argmax and
#: argmin were here until the fixer cast their result back to int64, 2026-11-30)
KNOWN_DIFFERENCES: dict = {}


def _compare(old, new):
    if old.shape != new.shape:
        return f"shape {old.shape} vs {new.shape}"
    if old.dtype != new.dtype:
        return f"dtype {old.dtype} vs {new.dtype}"
    if old.dtype.kind in "fc":
        if not np.allclose(old, new, rtol=1e-5, atol=1e-6, equal_nan=True):
            return f"max abs diff {np.max(np.abs(old - new)):.3g}"
    elif not np.array_equal(old, new):
        return "values differ"
    return None


def _table(rewritten, results):
    (tf_out, tf_err), (k3_out, k3_err) = results["tf"], results["k3"]
    rows = ["| K.* call | rewritten to | result |", "| --- | --- | --- |"]
    for name, (expr, _) in CASES.items():
        new = rewritten[name].splitlines()[-1].replace("out = ", "")
        if name in tf_err or name in k3_err:
            verdict = "error: " + (tf_err.get(name) or k3_err.get(name))[:80]
        else:
            problem = _compare(tf_out[name], k3_out[name])
            verdict = "equal (values, dtype, shape)" if problem is None else "**differs**: " + problem
        rows.append(f"| `{expr}` | `{new}` | {verdict} |")
    return "\n".join(rows) + "\n"


def test_every_case_is_a_safe_fixable_entry():
    """Every case is a safe fix, except the known differences, which must be unsafe (opt-in) for that reason."""
    for name, (expr, _) in CASES.items():
        entry = replacement_for(name)
        unsafe = name in KNOWN_DIFFERENCES
        assert entry is not None and entry.safety == (UNSAFE if unsafe else SAFE), name
        source = f"from keras import backend as K\nout = {expr}\n"
        assert fix_source(source, SETTINGS, unsafe=unsafe) != source, name


@pytest.mark.differential
@pytest.mark.parametrize("name", sorted(CASES))
def test_same_result(differential, name):
    rewritten, results = differential
    (tf_out, tf_err), (k3_out, k3_err) = results["tf"], results["k3"]
    assert name not in tf_err, tf_err.get(name)
    assert name not in k3_err, (rewritten[name], k3_err.get(name))
    problem = _compare(tf_out[name], k3_out[name])
    if name in KNOWN_DIFFERENCES and problem is not None:
        pytest.xfail(KNOWN_DIFFERENCES[name] + ": " + problem)
    assert problem is None, f"{CASES[name][0]} -> {rewritten[name].splitlines()[-1]}: {problem}"
