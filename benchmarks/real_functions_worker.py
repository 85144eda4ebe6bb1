"""Runs fixed real functions under Keras 3 on one backend and compares them with the Keras 2 goldens.

    KERAS_BACKEND=jax python benchmarks/real_functions_worker.py JOBS.json

Started by ``benchmarks/real_functions.py`` in a subprocess (one per backend, restarted after a crash). JOBS.json is
a list of ``{"key", "id", "source"}``; for each job one JSON line goes to stdout as soon as it is known:
``{"key", "eager": outcome, "traced": outcome}``, where an outcome is ``"equal"``, ``"differs: ..."``,
``"crash: ..."`` or ``"n/a: ..."``. Traced is ``jax.jit`` on jax, ``tf.function`` with an unknown batch dimension on
TensorFlow, and n/a on numpy or when Keras 2 itself could not trace the function.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

import real_functions_data as data  # noqa: E402

TIMEOUT = int(os.environ.get("KBL_CASE_TIMEOUT", "20"))


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout(f"no result within {TIMEOUT} s")


def _describe(exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"crash: {type(exc).__name__}: {first[:200]}"


def _compare_all(expected, got, values):
    if len(expected) != len(got):
        return f"differs: {len(got)} outputs, Keras 2 gave {len(expected)}"
    problems = [data.compare(a, b, values) for a, b in zip(expected, got)]
    problems = [p for p in problems if p]
    return "differs: " + "; ".join(problems) if problems else "equal"


def _tracer(backend):
    if backend == "jax":
        import jax

        return lambda fn, inputs: jax.jit(fn)(*inputs)
    if backend == "tensorflow":
        import tensorflow as tf

        def traced(fn, inputs):
            signature = [tf.TensorSpec([None] + list(x.shape[1:]) if len(x.shape) else [], x.dtype) for x in inputs]
            return tf.function(fn, input_signature=signature)(*inputs)

        return traced
    return None


def run_job(job, goldens, meta, keras, tracer):
    spec = data.load_cases_from_text(job["source"])
    n_in = len(data.make_inputs(spec))
    inputs = [keras.ops.convert_to_tensor(goldens[f"{job['id']}/in/{i}"]) for i in range(n_in)]
    expected = [goldens[f"{job['id']}/out/{i}"] for i in range(len(meta["outputs"]))]
    values = not spec.get("random")
    to_numpy = keras.ops.convert_to_numpy
    try:
        fn = data.load_callable(job["id"], job["source"], spec)
        eager = _compare_all(expected, data.flatten(fn(*inputs), to_numpy), values)
    except Timeout:
        raise
    except Exception as exc:
        crash = _describe(exc)
        return {"eager": crash, "traced": crash if tracer and meta.get("traced") == "equal" else "n/a"}
    if tracer is None:
        traced = "n/a: no tracing on this backend"
    elif meta.get("traced") != "equal":
        traced = "n/a: Keras 2 does not trace it either"
    else:
        try:
            traced = _compare_all(expected, data.flatten(tracer(fn, inputs), to_numpy), values)
        except Timeout:
            raise
        except Exception as exc:
            traced = _describe(exc)
    return {"eager": eager, "traced": traced}


def main(jobs_path: str) -> int:
    warnings.simplefilter("ignore")
    import keras

    backend = keras.backend.backend()
    tracer = _tracer(backend)
    goldens = np.load(data.GOLDENS)
    meta = json.loads(data.GOLDEN_META.read_text())["cases"]
    signal.signal(signal.SIGALRM, _alarm)
    for job in json.loads(Path(jobs_path).read_text()):
        signal.alarm(TIMEOUT)
        try:
            result = run_job(job, goldens, meta[job["id"]], keras, tracer)
        except Timeout as exc:
            result = {"eager": f"crash: {exc}", "traced": "n/a: eager timed out"}
        finally:
            signal.alarm(0)
        print(json.dumps(dict(result, key=job["key"])), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
