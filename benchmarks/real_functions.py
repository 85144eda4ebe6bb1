"""The real-function differential, Keras 3 half: fix each collected function, run it, compare with Keras 2.

    python benchmarks/real_functions.py                       # per function, what is left by name, totals
    python benchmarks/real_functions.py --backends numpy      # one backend; tensorflow needs TF >= 2.16
    python benchmarks/real_functions.py --update              # rewrite tests/data/real_functions/expected.json
    python benchmarks/real_functions.py --markdown            # expected.json's totals, for docs/evaluation.md

Each case of ``tests/data/real_functions/`` (collected by ``tools/collect_real_functions.py``, goldens from Keras
2.15 by ``tools/real_functions_keras2.py``) is rewritten by ``fix_source`` for target 3.15, safe fixes only and
with ``unsafe=True``, then run under Keras 3 in a subprocess per backend (``real_functions_worker.py``) eagerly and
traced (``jax.jit``; ``tf.function`` with unknown batch on TensorFlow). Outcomes:

* ``equal``: values (rtol 1e-4, atol 1e-5; dtype and shape only for random functions), dtype and shape as Keras 2,
* ``differs: what``: it runs and something differs,
* ``crash: exception``: it raises (or exceeds the per-function timeout),
* ``not rewritten: codes``: findings are left after the fix and it does not run equal (e.g. ``K.function``).

Ratios count the functions that need a fix (at least one default-on finding for target 3.15 before fixing).
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_functions_data as data  # noqa: E402

from keras_backend_lint.engine import check_tree, default_settings  # noqa: E402
from keras_backend_lint.fixer import fix_source  # noqa: E402
from keras_backend_lint.rules import DEFAULT_DISABLED  # noqa: E402
from keras_backend_lint.versions import resolve_target  # noqa: E402

HERE = Path(__file__).resolve().parent
WORKER = HERE / "real_functions_worker.py"
K3_PYTHON = os.environ.get("KBL_KERAS3_PYTHON", sys.executable)
SETTINGS = default_settings(resolve_target("3.15"))
MODES = ("safe", "unsafe")
#: the documented goals (issue 17): share of the functions needing a fix that run and are equal
GOALS = {"safe": 0.90, "unsafe": 0.95}


def findings(text: str) -> List[str]:
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return ["syntax error"]
    return sorted({v.code for v in check_tree(tree, SETTINGS, text=text) if v.code not in DEFAULT_DISABLED})


def uses_tensorflow(text: str) -> bool:
    """Whether the code imports TensorFlow at all (``tf.*`` ops, or ``tf.keras.backend``, which the fixer keeps where
    Keras 3's ``tf.keras`` still has the name): only the TensorFlow backend can run it."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "tensorflow" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "tensorflow":
            return True
    return False


def fixed_sources(cases: Dict[str, dict]) -> Dict[str, Dict[str, dict]]:
    """id -> mode -> {"source", "left": codes left after the fix, "error": fixer exception or None}."""
    out: Dict[str, Dict[str, dict]] = {}
    for case_id, case in cases.items():
        out[case_id] = {}
        for mode in MODES:
            try:
                text = fix_source(case["source"], SETTINGS, unsafe=mode == "unsafe")
                out[case_id][mode] = {"source": text, "left": findings(text), "error": None}
            except Exception as exc:  # a fixer crash is an outcome of this benchmark, not a reason to stop
                out[case_id][mode] = {"source": case["source"], "left": [], "error": f"{type(exc).__name__}: {exc}"}
    return out


def backend_available(backend: str) -> bool:
    probe = {"numpy": "import keras", "jax": "import jax, keras",
             "tensorflow": "import tensorflow as tf, keras; assert tuple(map(int, tf.__version__.split('.')[:2]))"
                           " >= (2, 16)"}[backend]
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([K3_PYTHON, "-c", probe], capture_output=True, env=env)
    return done.returncode == 0


def run_backend(backend: str, jobs: List[dict], timeout: float = 600) -> Dict[str, dict]:
    """key -> {"eager", "traced"}; a worker that dies is restarted after the job it died on."""
    results: Dict[str, dict] = {}
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="",
               JAX_PLATFORMS="cpu", PYTHONWARNINGS="ignore")
    todo = list(jobs)
    with tempfile.TemporaryDirectory() as work:
        while todo:
            path = Path(work) / "jobs.json"
            path.write_text(json.dumps(todo))
            try:
                done = subprocess.run([K3_PYTHON, str(WORKER), str(path)], capture_output=True, text=True, env=env,
                                      timeout=timeout)
                stdout, stderr = done.stdout, done.stderr
            except subprocess.TimeoutExpired as exc:
                stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
                stderr = "worker timed out"
            for line in stdout.splitlines():
                if line.startswith("{"):
                    row = json.loads(line)
                    results[row.pop("key")] = row
            remaining = [job for job in todo if job["key"] not in results]
            if remaining:  # the worker died on remaining[0]
                last = (stderr.strip().splitlines() or ["no output"])[-1][:200]
                results[remaining[0]["key"]] = {"eager": f"crash: worker died: {last}", "traced": "n/a"}
                remaining = remaining[1:]
            todo = remaining
    return results


def classify(run: str, fixed: dict) -> str:
    if fixed["error"]:
        return f"crash: fixer: {fixed['error']}"
    if run != "equal" and fixed["left"]:
        return f"not rewritten: {', '.join(fixed['left'])} left ({run})"
    return run


def differential(backends=("numpy", "jax"), names=None) -> Dict[str, Dict[str, Dict[str, str]]]:
    """column -> id -> mode -> outcome; columns are backends and, where traced, ``<backend>+jit``/``+tf.function``."""
    cases = data.load_cases(names)
    fixed = fixed_sources(cases)
    jobs, seen = [], {}
    for case_id in cases:
        for mode in MODES:
            source = fixed[case_id][mode]["source"]
            key = seen.setdefault((case_id, source), f"{case_id}:{mode}")
            if key == f"{case_id}:{mode}":
                jobs.append({"key": key, "id": case_id, "source": source})
    table: Dict[str, Dict[str, Dict[str, str]]] = {}

    # parsed here, not in the threads below: CPython 3.11's AST recursion bookkeeping can fail in a new thread
    # ("AST constructor recursion depth mismatch") after a RecursionError elsewhere in the process
    needs_tensorflow = {case_id for case_id, case in cases.items() if uses_tensorflow(case["source"])}

    def runnable(backend):
        return [job for job in jobs if backend == "tensorflow" or job["id"] not in needs_tensorflow]

    with ThreadPoolExecutor(max_workers=len(backends) or 1) as pool:  # one subprocess per backend, side by side
        all_results = dict(zip(backends, pool.map(lambda b: run_backend(b, runnable(b)), backends)))
    for backend in backends:
        results = all_results[backend]
        traced_name = {"jax": "jax+jit", "tensorflow": "tensorflow+tf.function"}.get(backend)
        for case_id in cases:
            if backend != "tensorflow" and case_id in needs_tensorflow:
                continue  # imports TensorFlow: only the TensorFlow backend can run it
            for mode in MODES:
                row, how = results[seen[(case_id, fixed[case_id][mode]["source"])]], fixed[case_id][mode]
                table.setdefault(backend, {}).setdefault(case_id, {})[mode] = classify(row["eager"], how)
                if traced_name and not row["traced"].startswith("n/a"):
                    table.setdefault(traced_name, {}).setdefault(case_id, {})[mode] = classify(row["traced"], how)
    table["_needs_fix"] = {case_id: bool(findings(case["source"])) for case_id, case in cases.items()}
    return table


def category(outcome: str) -> str:
    return outcome.split(":", 1)[0]


def totals(table, real_only: bool = True) -> Dict[str, Dict[str, tuple]]:
    """column -> mode -> (equal, functions needing a fix), over real (not synthetic) cases."""
    needs = {k for k, v in table["_needs_fix"].items() if v}
    out: Dict[str, Dict[str, tuple]] = {}
    for column, rows in table.items():
        if column.startswith("_"):
            continue
        for mode in MODES:
            ids = [k for k in rows if k in needs and (not real_only or not k.startswith("synthetic_"))]
            equal = sum(rows[k][mode] == "equal" for k in ids)
            out.setdefault(column, {})[mode] = (equal, len(ids))
    return out


#: Keras 3 refuses a random op without a seed generator while jax.jit traces (Keras 2 drew fresh numbers each
#: call; a fixed seed would repeat them): a function that still fails so after every fix cannot be jitted as
#: written, whatever the fixer does. The goals are judged without those under jax.jit (the table shows them).
JAX_UNSEEDED = "[JAX RNG]"


def untraceable_by_jax(table) -> set:
    """Functions that crash under jax.jit only for an unseeded random op, even after safe and unsafe fixes."""
    rows = table.get("jax+jit", {})
    return {k for k, r in rows.items() if JAX_UNSEEDED in r["unsafe"]}


def goal_totals(table) -> Dict[str, Dict[str, tuple]]:
    """``totals`` as the goals are judged: under jax.jit, without ``untraceable_by_jax``."""
    out = totals(table)
    left_out = untraceable_by_jax(table)
    if "jax+jit" in out and left_out:
        pruned = dict(table, **{"jax+jit": {k: r for k, r in table["jax+jit"].items() if k not in left_out}})
        out["jax+jit"] = totals(pruned)["jax+jit"]
    return out


def markdown_totals(table) -> str:
    lines = ["| backend | functions needing a fix | equal after safe fixes | equal after safe + unsafe fixes |",
             "| --- | --- | --- | --- |"]
    for column, modes in totals(table).items():
        (safe, n), (unsafe, _) = modes["safe"], modes["unsafe"]
        lines.append(f"| {column} | {n} | {safe} ({safe / max(n, 1):.0%}) | {unsafe} ({unsafe / max(n, 1):.0%}) |")
    return "\n".join(lines) + "\n"


def outcome_counts(table) -> str:
    lines = []
    for column, rows in table.items():
        if column.startswith("_"):
            continue
        for mode in MODES:
            counts = Counter(category(r[mode]) for r in rows.values())
            lines.append(f"{column:24} {mode:7} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return "\n".join(lines)


MISSING_NAME = re.compile(r"has no attribute '(\w+)'")


def what_is_left(table) -> str:
    """Per column and mode, the real functions needing a fix that are not equal, grouped by why: the backend name
    left unfixed (``not rewritten: K.clip``) or the first words of the crash or difference."""
    needs = {k for k, v in table["_needs_fix"].items() if v and not k.startswith("synthetic_")}
    lines = []
    for column, rows in table.items():
        if column.startswith("_"):
            continue
        for mode in MODES:
            groups: Dict[str, List[str]] = {}
            for case_id in sorted(needs & set(rows)):
                outcome = rows[case_id][mode]
                if outcome == "equal":
                    continue
                missing = MISSING_NAME.search(outcome)
                if category(outcome) == "not rewritten" and missing:
                    why = f"not rewritten: K.{missing.group(1)}"
                else:
                    why = outcome[:70]
                groups.setdefault(why, []).append(case_id)
            if groups:
                lines.append(f"{column}, {mode} fixes:")
                for why, ids in sorted(groups.items(), key=lambda item: -len(item[1])):
                    lines.append(f"    {len(ids):3} {why}  [{', '.join(ids[:3])}{', ...' if len(ids) > 3 else ''}]")
    return "\n".join(lines)


def write_expected(table, path: Optional[Path] = None) -> None:
    """Write the outcomes; columns of backends not run this time (TensorFlow outside ``tox -e differential``) are
    kept from the file, for the functions that still exist."""
    path = path or data.EXPECTED
    old = json.loads(path.read_text("utf-8")) if path.exists() else {}
    kept = {column: {k: v for k, v in rows.items() if k in table["_needs_fix"]}
            for column, rows in old.items() if not column.startswith("_") and column not in table}
    about = ("_needs_fix: the function has a default-on finding before fixing; then the outcome per backend, function "
             "and fix mode (tests/test_real_functions.py asserts the part before ':'); regenerate with python "
             "benchmarks/real_functions.py --update")
    body = {**kept, "_about": about, **table}
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="numpy,jax", help="comma-separated: numpy, jax, tensorflow")
    parser.add_argument("--update", action="store_true", help="rewrite expected.json with today's outcomes")
    parser.add_argument("--markdown", action="store_true", help="print the totals table of expected.json (no run)")
    parser.add_argument("--totals", action="store_true",
                        help="only the counts and totals, no line per function (the held-out run)")
    parser.add_argument("names", nargs="*", help="only these case ids")
    args = parser.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    missing = [b for b in backends if not backend_available(b)]
    if missing:
        print(f"skipping backends that cannot run here: {', '.join(missing)}", file=sys.stderr)
    if args.markdown:  # the recorded numbers, as docs/evaluation.md shows them
        print(markdown_totals(json.loads(data.EXPECTED.read_text("utf-8"))), end="")
        return 0
    start = time.perf_counter()
    table = differential([b for b in backends if b not in missing], args.names or None)
    columns = [c for c in table if not c.startswith("_")]
    for case_id in [] if args.totals else sorted(table["_needs_fix"]):
        print(case_id)
        for column in columns:
            row = table[column].get(case_id)
            if row:
                print(f"    {column:24} safe: {row['safe'][:90]}\n    {'':24} unsafe: {row['unsafe'][:90]}")
    print()
    print(what_is_left(table))
    print()
    print(outcome_counts(table))
    print()
    print(markdown_totals(table), end="")
    print(f"\n{len(table['_needs_fix'])} functions in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if args.update:
        write_expected(table)
        print(f"wrote {data.EXPECTED.relative_to(data.ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
