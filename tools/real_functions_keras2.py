"""The Keras 2 half of the real-function differential; runs under TensorFlow 2.15 + Keras 2.15 only.

    KBL_TF_PYTHON tools/real_functions_keras2.py --goldens        # rewrite tests/data/real_functions/goldens.*
    KBL_TF_PYTHON tools/real_functions_keras2.py --infer FILE     # (collector) find inputs each candidate runs on

``--goldens`` runs every case eagerly and traced (``tf.function`` with an ``input_signature`` whose first dimension
is None) on its seeded inputs and stores inputs and eager outputs (``goldens.npz``) with dtype, shape and the traced
outcome (``goldens.json``). Keras 2's own behaviour is the truth, whatever it is.
"""
from __future__ import annotations

import argparse
import inspect
import itertools
import json
import re
import os
import signal
import sys
import warnings
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import real_functions_data as data  # noqa: E402

tf.get_logger().setLevel("ERROR")
warnings.simplefilter("ignore")
TIMEOUT = 20
SHAPES = [(4, 5), (2, 3, 4), (2, 4, 4, 3), (2, 3, 4, 5), (6,), (2, 5, 5, 8), (3, 8), (2, 6, 6, 6, 2)]


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout(f"no result within {TIMEOUT} s")


INT_NAMES = re.compile(r"^(n|k|num_?\w*|n_\w+|\w*_num|axis|strides?|size|\w+_size|dim|\w+_dim|units|classes|depth)$")


def required_params(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in params if p.kind in kinds and p.default is inspect.Parameter.empty]


def to_numpy(value):
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def run(fn, inputs):
    return data.flatten(fn(*[tf.constant(x) for x in inputs]), to_numpy)


def run_traced(fn, inputs):
    signature = [tf.TensorSpec([None] + list(x.shape[1:]) if x.ndim else [], tf.as_dtype(x.dtype)) for x in inputs]
    traced = tf.function(fn, input_signature=signature)
    return data.flatten(traced(*[tf.constant(x) for x in inputs]), to_numpy)


#: Python values to try for arguments that are not tensors, by name (several: tried in step, not as a product)
PY_VALUES = {"padding": ["valid", "same"], "data_format": ["channels_last"], "axis": [-1, 1],
             "alpha": [0.5], "epsilon": [0.001], "gamma": [2.0], "margin": [1.0], "threshold": [0.5]}
#: window arguments: a tuple of 2s, one per spatial dimension of the first input (rank - 2)
WINDOW_NAMES = ("pool_size", "strides", "kernel_size")


def _python_value(name: str, variant: int):
    if name == "shape":
        return {"kind": "pyshape"}
    if name in WINDOW_NAMES:
        return {"kind": "py", "value": "window"}  # filled in by _search from the first input's rank
    values = PY_VALUES.get(name) or ([2] if INT_NAMES.match(name) else None)
    return None if values is None else {"kind": "py", "value": values[min(variant, len(values) - 1)]}


def _kind_sets(names, variant=0, lists=False):
    """Value kinds to try, per argument; names that look like sizes, modes or shapes get a Python value first.
    With ``lists``, the first argument is a list of two tensors instead (merge layers and friends)."""
    plain = _tensor_kind_sets(names)
    python = [_python_value(name, variant) for name in names]
    out = []
    if any(python):
        out += [[python[i] or {"kind": k} for i, k in enumerate(kinds)] for kinds in plain]
    out += [[{"kind": k} for k in kinds] for kinds in plain]
    if lists:
        out = [[dict(kinds[0], count=2)] + kinds[1:] for kinds in out if kinds[0]["kind"] not in data.PYTHON_KINDS]
    return out


def _trials(names, function_name):
    """(shape per argument, kinds per argument): one shape for all arguments first (tensors, then a list of tensors
    as the first argument when it is called like inputs; the other way round for merge functions), then mixed."""
    if not names:
        yield [], []
        return
    orders = [False]
    if names[0] in ("inputs", "x", "tensors"):
        orders = [True, False] if "merge" in function_name else [False, True]
    for lists in orders:
        for variant in range(3):
            for shape in SHAPES:
                for kinds in _kind_sets(names, variant, lists):
                    yield [shape] * len(names), kinds
    if len(names) <= 3:
        for shapes in itertools.product(SHAPES[:5], repeat=len(names)):
            if len(set(shapes)) > 1:
                for kinds in _kind_sets(names)[:2]:
                    yield list(shapes), kinds


def _tensor_kind_sets(names):
    n = len(names)
    label_first = n >= 2 and any(w in names[0].lower() for w in ("true", "label", "target", "gt"))
    sets = [["normal"] * n, ["prob"] * n, ["onehot"] + ["prob"] * (n - 1), ["binary"] + ["prob"] * (n - 1),
            ["pos"] * n]
    if label_first:
        sets = sets[2:4] + sets[:2] + sets[4:]
    return [s for i, s in enumerate(sets) if s not in sets[:i]]


#: values to try for constructor arguments a method's ``_Self`` needs (no default in the class), by variant
SELF_VALUES = {"min_value": [-0.5, 0.0], "max_value": [0.5, 1.0], "start": [0.0, 1.0], "end": [1.0, 2.0],
               "stop": [1.0, 2.0]}


def _required_self_args(candidate):
    scope = {"__name__": "probe"}
    exec(compile(candidate["source"], candidate["id"], "exec"), scope)
    init = getattr(scope.get("_Self"), "__init__", None)
    if init is None or init is object.__init__:
        return []
    params = inspect.signature(init).parameters.values()
    return [p.name for p in params if p.kind == p.KEYWORD_ONLY and p.default is p.empty]


def _self_value(name, variant):
    values = SELF_VALUES.get(name) or ([2, 3] if INT_NAMES.match(name) or name.startswith("nb_") else [0.5, 2.0])
    return values[min(variant, len(values) - 1)]


def infer(candidate):
    """The first (self arguments, shapes, kinds) the function runs on eagerly with finite results; None when
    nothing works."""
    try:
        required = _required_self_args(candidate)
    except Exception as exc:
        return None, f"load: {type(exc).__name__}: {exc}"
    variants = [{name: _self_value(name, v) for name in required} for v in range(2)] if required else [{}]
    for self_args in variants:
        spec, why = _search(candidate, {"self_args": self_args} if self_args else {})
        if spec is not None:
            return spec, None
    return None, why


def _search(candidate, base):
    source, name = candidate["source"], candidate["function"]
    fallback, first_error = None, None
    try:
        fn = data.load_function(candidate["id"], source, dict(base, function=name))
        names = required_params(fn)
        factory = False
        if names == [] and callable(fn()) and not hasattr(fn(), "dtype"):
            fn, factory = fn(), True
            names = required_params(fn)
    except Exception as exc:
        return None, f"load: {type(exc).__name__}: {exc}"
    if names is None:
        return None, "no signature"
    tried = set()
    for shapes, kinds in _trials(names, name):
        window = [2] * max(1, len(shapes[0]) - 2) if shapes else []
        args = [dict(k, name=n, shape=list(shape)) for n, k, shape in zip(names, kinds, shapes)]
        args = [dict(a, value=window) if a.get("value") == "window" else a for a in args]
        spec = dict(base, function=name, factory=factory, seed=len(candidate["id"]) % 97, args=args)
        key = json.dumps(spec, sort_keys=True)
        if key in tried:
            continue
        tried.add(key)
        try:
            outputs = run(data.bind(fn, spec), data.make_inputs(spec))
        except Timeout:
            raise
        except Exception as exc:
            if first_error is None:
                first_error = f"{type(exc).__name__}: {str(exc)[:200]}"
            continue
        if any(o.size == 0 for o in outputs):  # an empty result says the inputs made no sense
            first_error = first_error or "empty result"
            continue
        if all(np.isfinite(o).all() for o in outputs if o.dtype.kind == "f"):
            again = run(data.bind(fn, spec), data.make_inputs(spec))
            spec["random"] = any(data.compare(a, b) for a, b in zip(outputs, again))
            return spec, None
        fallback = fallback or spec
    return fallback, (first_error or "no input tried") if fallback is None else None


def cmd_infer(path: Path) -> int:
    """One JSON line per candidate on stdout, as soon as known: {"id", "spec"} or {"id", "dropped": why}."""
    signal.signal(signal.SIGALRM, _alarm)
    for candidate in json.loads(path.read_text()):
        signal.alarm(TIMEOUT)
        try:
            spec, why = infer(candidate)
        except Timeout as exc:
            spec, why = None, str(exc)
        finally:
            signal.alarm(0)
        if spec is not None:
            spec["random"] = spec.get("random", False) or "random_" in candidate["source"]
        row = {"id": candidate["id"], "spec": spec} if spec else {"id": candidate["id"], "dropped": why}
        print(json.dumps(row), flush=True)
    return 0


def golden(case_id, case):
    spec = case["spec"]
    tf.random.set_seed(0)  # random functions are compared by dtype and shape only; seeded, the goldens are stable
    np.random.seed(0)
    inputs = data.make_inputs(spec)
    fn = data.load_callable(case_id, case["source"], spec)
    outputs = run(fn, inputs)
    meta = {"outputs": [{"dtype": str(o.dtype), "shape": list(o.shape)} for o in outputs]}
    try:
        traced = run_traced(fn, inputs)
        problems = [data.compare(a, b, values=not spec.get("random")) for a, b in zip(outputs, traced)]
        if len(traced) != len(outputs):
            problems.append(f"{len(traced)} outputs traced, {len(outputs)} eager")
        meta["traced"] = "; ".join(p for p in problems if p) or "equal"
    except Exception as exc:
        meta["traced"] = f"crash: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    return inputs, outputs, meta


def cmd_goldens() -> int:
    arrays, metas = {}, {}
    signal.signal(signal.SIGALRM, _alarm)
    for case_id, case in data.load_cases().items():
        signal.alarm(TIMEOUT)
        try:
            inputs, outputs, meta = golden(case_id, case)
        except Exception as exc:
            print(f"{case_id}: does not run under Keras 2: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
        finally:
            signal.alarm(0)
        for i, x in enumerate(inputs):
            arrays[f"{case_id}/in/{i}"] = x
        for i, y in enumerate(outputs):
            arrays[f"{case_id}/out/{i}"] = y
        metas[case_id] = meta
    np.savez_compressed(data.GOLDENS, **arrays)
    import keras

    versions = {"tensorflow": tf.__version__, "keras": keras.__version__}
    data.GOLDEN_META.write_text(json.dumps({"versions": versions, "cases": metas}, indent=1, sort_keys=True) + "\n")
    traced = sum(m["traced"] == "equal" for m in metas.values())
    print(f"{len(metas)} goldens written ({traced} also equal when traced), {versions}", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--goldens", action="store_true")
    group.add_argument("--infer", type=Path)
    args = parser.parse_args(argv)
    return cmd_goldens() if args.goldens else cmd_infer(args.infer)


if __name__ == "__main__":
    sys.exit(main())
