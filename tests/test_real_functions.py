"""The real-function differential, Keras 3 half, in every CI run (no TensorFlow needed).

``tests/data/real_functions/`` holds 100+ functions cut from the public Keras 2 code of the corpus (and a few
synthetic ones for shapes of code the corpus lacks), their seeded inputs and their Keras 2.15 results
(``goldens.npz``, written by ``tools/real_functions_keras2.py --goldens`` in ``tox -e differential``). Here each is
rewritten by the fixer (safe only, then with unsafe fixes), run under Keras 3 on numpy and jax (eager and
``jax.jit``; also TensorFlow, eager and ``tf.function``, where TensorFlow >= 2.16 is installed), and its outcome
must be the one recorded in ``expected.json``: a regression fails, and so does an improvement, until it is
recorded with ``KBL_UPDATE_EXPECTED=1`` (or ``python benchmarks/real_functions.py --update``) so that every change
in what the fixer gets right is visible in review.
"""
import importlib.util
import json
import os
import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402
import real_functions as rf  # noqa: E402
import real_functions_data as data  # noqa: E402

pytestmark = pytest.mark.keras3

CASES = data.load_cases()
EXPECTED = json.loads(data.EXPECTED.read_text("utf-8"))
UPDATE = os.environ.get("KBL_UPDATE_EXPECTED") == "1"
#: TensorFlow >= 2.16 only where installed (tox -e differential); CI has numpy and jax
BACKENDS = ["numpy"] + (["jax"] if importlib.util.find_spec("jax") else []) + (
    ["tensorflow"] if importlib.util.find_spec("tensorflow") and rf.backend_available("tensorflow") else [])


@pytest.fixture(scope="module")
def table():
    result = rf.differential(BACKENDS)
    if UPDATE:
        rf.write_expected(result)
    return result


def _columns(table):
    return [c for c in table if not c.startswith("_")]


def _differences(table, expected, case_id):
    """What changed for one function against the record, one line per backend column and fix mode."""
    problems = []
    for column in _columns(table):
        for mode in rf.MODES:
            want = expected.get(column, {}).get(case_id, {}).get(mode)
            got = table[column].get(case_id, {}).get(mode)
            if want is None and got is None:
                continue
            if want is None or got is None or rf.category(want) != rf.category(got):
                hint = "update expected.json: now equal" if got == "equal" else "regression or new outcome"
                problems.append(f"{column}, {mode} fixes: recorded {want!r}, now {got!r} ({hint})")
    return problems


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_outcome_is_the_recorded_one(table, case_id):
    if UPDATE:
        pytest.skip("KBL_UPDATE_EXPECTED=1: expected.json rewritten")
    problems = _differences(table, EXPECTED, case_id)
    assert not problems, "\n".join(problems)


def test_an_improvement_and_a_regression_both_fail_with_what_to_do():
    recorded = {"numpy": {"f": {"safe": "not rewritten: KBL201 left (crash: AttributeError: x)", "unsafe": "equal"}}}
    now = {"numpy": {"f": {"safe": "equal", "unsafe": "differs: dtype int64 vs int32"}}}
    problems = _differences(now, recorded, "f")
    assert len(problems) == 2
    assert "update expected.json: now equal" in problems[0] and "regression" in problems[1]
    assert _differences(recorded, recorded, "f") == []


def test_the_needs_fix_flags_are_recorded(table):
    assert table["_needs_fix"] == EXPECTED["_needs_fix"]


def test_at_least_100_real_functions_from_the_open_corpus():
    real = {k: v for k, v in CASES.items() if not v["synthetic"]}
    assert len(real) >= 100
    open_packages = {(p.name, p.version) for p in corpus.KERAS_CORPUS}
    for case_id, case in real.items():
        package, version = case["origin"].split()[:2]
        assert (package, version.rstrip(":")) in open_packages, (case_id, case["origin"])


def test_goldens_cover_every_case_and_stay_small():
    meta = json.loads(data.GOLDEN_META.read_text("utf-8"))
    assert sorted(meta["cases"]) == sorted(CASES)
    assert meta["versions"]["keras"].startswith("2.15")
    assert data.GOLDENS.stat().st_size < 2_000_000


def test_a_failing_fixer_shows_up_as_a_crash_not_an_error():
    fixed = {"source": "", "left": [], "error": "ValueError: boom"}
    assert rf.classify("equal", fixed) == "crash: fixer: ValueError: boom"
    assert rf.classify("crash: AttributeError: x", dict(fixed, error=None, left=["KBL201"])).startswith(
        "not rewritten: KBL201")


def test_documented_numbers_are_the_recorded_ones():
    """docs/evaluation.md shows the totals of expected.json (regenerate: real_functions.py --markdown)."""
    docs = (ROOT / "docs" / "evaluation.md").read_text("utf-8")
    assert rf.markdown_totals(EXPECTED) in docs


def test_goal_ratios(table):
    """Issue 17: >= 90% of the real functions needing a fix equal after safe fixes, >= 95% after unsafe ones, on
    every backend, eager and traced (under jax.jit without the functions no fix can make traceable: see
    ``untraceable_by_jax``, whose count is checked below)."""
    for column, modes in rf.goal_totals(table).items():
        for mode, goal in rf.GOALS.items():
            equal, needing = modes[mode]
            assert equal / needing >= goal, (column, mode, equal, needing)


def test_only_unseeded_random_ops_are_left_out_under_jax_jit(table):
    left_out = rf.untraceable_by_jax(table)
    assert len(left_out) <= 5, sorted(left_out)  # 4 random initializers and kapre's AdditiveNoise today
    for name in left_out:
        # each is equal on eager jax after unsafe fixes: the fix is right, only tracing refuses the unseeded draw
        assert table["jax"][name]["unsafe"] == "equal", name
    assert rf.goal_totals({"_needs_fix": {"a": True}, "jax+jit": {"a": {"safe": "crash: x", "unsafe": (
        "crash: ValueError: [JAX RNG] When tracing")}}})["jax+jit"]["safe"] == (0, 0)


def test_what_is_left_groups_real_functions_by_the_name_left_unfixed():
    table = {"_needs_fix": {"a": True, "b": True, "c": False, "synthetic_d": True},
             "numpy": {k: {"safe": "not rewritten: KBL201 left (crash: AttributeError: module 'keras.backend' has no "
                                   "attribute 'clip')", "unsafe": "equal"} for k in ("a", "b", "c", "synthetic_d")}}
    left = rf.what_is_left(table)
    assert "numpy, safe fixes:" in left and "unsafe" not in left
    assert "  2 not rewritten: K.clip  [a, b]" in left
