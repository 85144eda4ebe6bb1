"""The real-function test data: reading the cases, building their seeded inputs, flattening their outputs.

Shared by both halves of the differential (``tools/real_functions_keras2.py`` under Keras 2.15 and
``benchmarks/real_functions.py`` under Keras 3), so it imports nothing but numpy and the standard library.

A case is ``tests/data/real_functions/<id>.py``: a header, a ``# kbl-case: {json}`` line, then the excerpt.
The JSON says which function to call and how to build its inputs::

    {"function": "focal", "factory": true, "seed": 3, "random": false,
     "args": [{"name": "y_true", "shape": [4, 5], "kind": "onehot"}, ...]}

``self_args``: constructor arguments for a method's ``_Self`` whose class has no default for them.
``factory``: the function takes no tensors and returns the function to call (loss factories). An argument may
also be ``{"kind": "py", "value": 2}`` (a Python value), ``{"kind": "pyshape", "shape": [2, 3]}`` (the tuple
``(2, 3)``, for initializers), or carry ``"count": n`` (a list of n tensors).
``random``: the function draws random numbers, so only dtype and shape are compared.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Dict, List

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
#: the committed cases; ``KBL_REAL_FUNCTIONS_DIR`` points elsewhere (the held-out run collects into a scratch folder)
DATA = Path(os.environ.get("KBL_REAL_FUNCTIONS_DIR") or ROOT / "tests" / "data" / "real_functions")
GOLDENS = DATA / "goldens.npz"
GOLDEN_META = DATA / "goldens.json"
EXPECTED = DATA / "expected.json"
CASE_LINE = re.compile(r"^# kbl-case: (.*)$", re.M)
SOURCE_LINE = re.compile(r"^# (\S+) (\S+): (\S+) line (\d+)", re.M)

#: value kinds: how an input tensor's values are drawn (float32 unless said)
KINDS = ("normal", "prob", "onehot", "pos", "binary", "int", "signed")
#: arguments that are not tensors: a Python value (``"value"``) or the tuple of the argument's ``"shape"``
PYTHON_KINDS = ("py", "pyshape")


def load_cases(names=None) -> Dict[str, dict]:
    """id -> {"source": text, "spec": dict, "synthetic": bool, "origin": "pkg ver: path line N"}."""
    cases = {}
    for path in sorted(DATA.glob("*.py")):
        if names and path.stem not in names:
            continue
        text = path.read_text("utf-8")
        match = CASE_LINE.search(text)
        if not match:
            continue
        origin = SOURCE_LINE.search(text)
        cases[path.stem] = {
            "source": text,
            "spec": json.loads(match.group(1)),
            "synthetic": path.stem.startswith("synthetic_"),
            "origin": " ".join(origin.groups()) if origin else "synthetic",
        }
    return cases


def load_function(case_id: str, source: str, spec: dict):
    """Exec a case's source and return what its inputs go to: the function, what its factory returns, or, for a
    method turned into a function, the function with ``self`` bound to the excerpt's ``_Self()``."""
    import functools

    scope = {"__name__": f"real_{case_id}"}
    exec(compile(source, f"{case_id}.py", "exec"), scope)
    fn = scope[spec["function"]]
    if "_Self" in scope:
        self_args = {k: tuple(v) if isinstance(v, list) else v for k, v in spec.get("self_args", {}).items()}
        return functools.partial(fn, scope["_Self"](**self_args))
    return fn() if spec.get("factory") else fn


def bind(target, spec: dict):
    """``target`` taking the flat list of input tensors (``make_inputs``' order): lists and Python ints put back."""
    def call(*flat):
        return target(*pack(spec, flat))

    return call


def load_callable(case_id: str, source: str, spec: dict):
    return bind(load_function(case_id, source, spec), spec)


def pack(spec: dict, flat) -> list:
    args, rest = [], list(flat)
    for arg in spec["args"]:
        if arg["kind"] == "py":  # a Python value; JSON lists stand for tuples (pool sizes, strides)
            value = arg["value"]
            args.append(tuple(value) if isinstance(value, list) else value)
        elif arg["kind"] == "pyshape":  # an initializer's shape argument
            args.append(tuple(arg["shape"]))
        elif arg.get("count"):
            args.append(rest[:arg["count"]])
            rest = rest[arg["count"]:]
        else:
            args.append(rest.pop(0))
    return args


def make_input(arg: dict, rng: np.random.Generator):
    shape, kind = tuple(arg["shape"]), arg["kind"]
    if kind == "normal":
        return rng.standard_normal(shape).astype("float32")
    if kind == "signed":  # values around zero, some exactly zero (sqrt, clip, sign edge cases)
        values = rng.integers(-3, 4, shape).astype("float32") / 2
        return values
    if kind == "prob":
        return rng.uniform(0.05, 0.95, shape).astype("float32")
    if kind == "pos":
        return rng.uniform(0.5, 2.0, shape).astype("float32")
    if kind == "binary":
        return (rng.random(shape) > 0.5).astype("float32")
    if kind == "onehot":
        return np.eye(shape[-1], dtype="float32")[rng.integers(0, shape[-1], shape[:-1])]
    if kind == "int":
        return rng.integers(0, arg.get("high", 3), shape).astype("int32")
    raise ValueError(f"unknown input kind {kind!r}")


def make_inputs(spec: dict) -> List[np.ndarray]:
    """The input tensors as one flat list (an argument that is a list of n tensors gives n; Python ints none)."""
    rng = np.random.default_rng(spec.get("seed", 0))
    flat = []
    for arg in spec["args"]:
        if arg["kind"] not in PYTHON_KINDS:
            flat.extend(make_input(arg, rng) for _ in range(arg.get("count") or 1))
    return flat


def flatten(value, to_numpy) -> List[np.ndarray]:
    """A function's result as a list of arrays; raises TypeError for results that are not tensors or numbers."""
    if isinstance(value, (list, tuple)):
        if not value:
            raise TypeError("empty sequence result")
        out = []  # element by element: a tuple of Python ints and a tuple of scalar tensors compare alike
        for item in value:
            out.extend(flatten(item, to_numpy))
        return out
    if value is None or isinstance(value, (str, bytes, dict)) or callable(value) and not hasattr(value, "dtype"):
        raise TypeError(f"result is {type(value).__name__}")
    array = np.asarray(to_numpy(value))
    if array.dtype.kind not in "biufc":
        raise TypeError(f"result dtype {array.dtype}")
    return [array]


def compare(old: np.ndarray, new: np.ndarray, values: bool = True):
    """None when equal in shape, dtype and (unless ``values`` is false) value; else what differs."""
    if old.shape != new.shape:
        return f"shape {old.shape} vs {new.shape}"
    if old.dtype != new.dtype:
        return f"dtype {old.dtype} vs {new.dtype}"
    if not values:
        return None
    if old.dtype.kind in "fc":
        if not np.array_equal(np.isnan(old), np.isnan(new)):
            return f"NaN in {int(np.isnan(new).sum())} places where Keras 2 has {int(np.isnan(old).sum())}"
        if not np.allclose(old, new, rtol=1e-4, atol=1e-5, equal_nan=True):
            with np.errstate(invalid="ignore"):
                diff = np.nanmax(np.abs(old.astype("float64") - new.astype("float64")))
            return f"values differ (max abs diff {diff:.3g})"
    elif not np.array_equal(old, new):
        return "values differ"
    return None


def load_cases_from_text(text: str) -> dict:
    """The ``# kbl-case:`` spec of one case file's text."""
    return json.loads(CASE_LINE.search(text).group(1))
