"""The benchmark scripts import and run on a tiny synthetic corpus (no network, no Keras environments)."""
import ast
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
import evaluate  # noqa: E402
import fix_corpus  # noqa: E402
import peers  # noqa: E402
import plugin_profile  # noqa: E402
import speed  # noqa: E402

KERAS_FILE = '''\
from keras import backend as K
import keras


def loss(y_true, y_pred):
    return K.mean(K.square(y_pred - y_true)) + K.epsilon()


def session(s):
    keras.backend.set_session(s)
    try:
        K.old_thing()
    except AttributeError:
        pass


def shadowed(K):
    return K.mean
'''

PLAIN_FILE = "def add(a, b):\n    return a + b\n"


@pytest.fixture()
def tiny(tmp_path):
    keras_root = tmp_path / "kerasy"
    plain_root = tmp_path / "plain"
    keras_root.mkdir()
    plain_root.mkdir()
    (keras_root / "model.py").write_text(KERAS_FILE)
    (keras_root / "py2.py").write_text("print 'python 2'\n")
    (plain_root / "util.py").write_text(PLAIN_FILE)
    return keras_root, plain_root


def test_corpus_pins_are_unique_and_enough():
    pins = [p.pin for p in corpus.KERAS_CORPUS]
    assert len(pins) == len(set(pins)) >= 12
    assert all("==" in pin for pin in pins)
    lock = corpus.read_lock()
    assert set(lock) == {p.pin for p in corpus.ALL}


def test_unpack_keeps_only_safe_python_files(tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "SRC", tmp_path / "src")
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("demo/a.py", "x = 1\n")
        zf.writestr("demo/data.bin", "no")
        zf.writestr("../evil.py", "bad")
    pkg = corpus.Package("demo", "1.0", "test")
    dest = corpus.unpack(pkg, wheel)
    assert [p.relative_to(dest).as_posix() for p in corpus.python_files(dest)] == ["demo/a.py"]
    assert not (tmp_path / "evil.py").exists()
    assert corpus.unpack(pkg, wheel) == dest  # cached: the marker makes it a no-op


def test_independent_finder():
    refs, guarded = evaluate.find_refs(ast.parse(KERAS_FILE), "m.py")
    names = sorted((r.line, r.name) for r in refs)
    # the parameter K makes the flat finder drop every K (it has no scopes): only keras.backend.x remains
    assert names == [(10, "set_session")]
    assert guarded == []
    source = "import keras.backend as K\ntry:\n    K.x\nexcept AttributeError:\n    pass\nK.mean\n"
    refs, guarded = evaluate.find_refs(ast.parse(source), "m.py")
    assert [(r.line, r.name) for r in refs] == [(6, "mean")]
    assert [(r.line, r.name) for r in guarded] == [(3, "x")]


def test_evaluate_runs_with_a_fixed_truth(tiny, tmp_path, capsys):
    keras_root, _ = tiny
    truth = {
        "3.15": {"keras|mean|attr": False, "keras|square|attr": False, "keras|epsilon|attr": True,
                 "keras|set_session|attr": False},
        "2.15": {"keras|mean|attr": True, "keras|square|attr": True, "keras|epsilon|attr": True,
                 "keras|set_session|attr": False},
    }
    truth_file = tmp_path / "truth.json"
    truth_file.write_text(json.dumps(truth))
    out_json = tmp_path / "out.json"
    code = evaluate.main(
        ["--root", str(keras_root), "--truth-json", str(truth_file), "--markdown", "--json", str(out_json)]
    )
    text = capsys.readouterr().out
    assert "parse failures: 1" in text
    assert "| 3.15 | all |" in text
    assert code == 0, text
    results = json.loads(out_json.read_text())["results"]
    k3 = next(r for r in results if r["target"] == "3.15")
    # K.mean, K.square (line 6) and keras.backend.set_session; the parameter K (line 18) is not the backend
    assert k3["table"]["KBL2xx"]["tp"] == 3
    assert k3["disagreements"] == []


def test_evaluate_reports_a_false_positive(tiny, tmp_path, capsys):
    keras_root, _ = tiny
    truth = {"3.15": {"keras|mean|attr": True, "keras|square|attr": False, "keras|epsilon|attr": True,
                      "keras|set_session|attr": False}}
    truth_file = tmp_path / "truth.json"
    truth_file.write_text(json.dumps(truth))
    code = evaluate.main(["--root", str(keras_root), "--truth-json", str(truth_file), "--target", "3.15"])
    text = capsys.readouterr().out
    assert code == 1
    assert "FP kerasy/model.py:6 keras.backend.mean" in text


def test_speed_in_process_parts_run(tiny, capsys):
    keras_root, plain_root = tiny
    speed.main(["--keras-root", str(keras_root), "--plain-root", str(plain_root), "--skip-flake8"])
    text = capsys.readouterr().out
    assert "JSON data load" in text
    assert "plugin own time / ast.parse" in text
    assert "fixer on files" in text


def test_flake8_runner_really_removes_the_plugin(tiny):
    keras_root, _ = tiny
    outputs = {}
    for mode in ("with", "without"):
        proc = subprocess.run(speed.flake8_cmd(mode, [keras_root]), capture_output=True, text=True)
        outputs[mode] = proc.stdout
        assert "MAXRSS" in proc.stderr and "CPU" in proc.stderr
    assert "KBL201" in outputs["with"]
    assert "KBL" not in outputs["without"]
    assert "E999" in outputs["without"]  # the rest of flake8 still ran


def test_fix_corpus_invariants_hold_and_catch_a_broken_fixer(tmp_path, monkeypatch):
    from keras_backend_lint.engine import Settings
    from keras_backend_lint.versions import parse_target

    settings = Settings(parse_target("3"))
    path = tmp_path / "legacy.py"
    path.write_text(KERAS_FILE)
    assert fix_corpus.check_file(path, settings, unsafe=False) == (True, [])
    (tmp_path / "plain.py").write_text(PLAIN_FILE)
    assert fix_corpus.check_file(tmp_path / "plain.py", settings, unsafe=False) == (False, [])
    # a fixer that also touches an unrelated line, and is not idempotent, is caught
    monkeypatch.setattr(fix_corpus, "fix_source", lambda text, *a, **k: text.replace("pass", "pass  # x"))
    changed, problems = fix_corpus.check_file(path, settings, unsafe=False)
    assert changed and any("fixing twice" in p for p in problems) and any("without a finding" in p for p in problems)


def test_independent_finder_new_reference_kinds():
    """Uses through removed submodules, tf.compat.v1.keras.backend and project re-exports are in the truth."""
    trees = {
        "pkg/mypkg/__init__.py": ast.parse(""),
        "pkg/mypkg/backend.py": ast.parse("from keras import backend as K\n"),
        "pkg/mypkg/model.py": ast.parse("from mypkg.backend import K\nfrom .backend import K as K2\nK.mean\nK2.sum\n"),
        "pkg/mypkg/old.py": ast.parse(
            "import keras.backend.tensorflow_backend as KTF\n"
            "from tensorflow.compat.v1.keras import backend as K1\n"
            "KTF.mean\nK1.get_session\n"
            "try:\n    KTF.sum\nexcept Exception:\n    pass\n"
        ),
    }
    exports = evaluate.project_exports(trees)
    found = {}
    for path, tree in trees.items():
        refs, _ = evaluate.find_refs(tree, path, exports)
        found[path] = sorted((r.line, r.surface, r.name) for r in refs if r.kind == evaluate.ATTR)
    assert found["pkg/mypkg/model.py"] == [(3, "keras", "mean"), (4, "keras", "sum")]
    # a broad handler is no shim: KTF.sum stays in the truth
    assert found["pkg/mypkg/old.py"] == [(3, "keras", "mean"), (4, "tf1", "get_session"), (6, "keras", "sum")]


def test_keras_dense_subset_is_the_files_importing_the_backend(tmp_path):
    (tmp_path / "a.py").write_text("from keras import backend as K\n")
    (tmp_path / "b.py").write_text("import tensorflow.keras.backend as K\n")
    (tmp_path / "c.py").write_text("from tensorflow.keras import layers, backend\n")
    (tmp_path / "d.py").write_text("import keras\nfrom keras import layers\n")
    (tmp_path / "e.py").write_text("# from keras import backend\n")
    assert [p.name for p in speed.keras_dense([tmp_path])] == ["a.py", "b.py", "c.py"]


def test_dense_ab_wall_runs(tiny, capsys):
    keras_root, _ = tiny
    check = speed.Check()
    speed.flake8_ab_wall(check, "tiny", speed.python_files([keras_root]), 10.0, pairs=1)
    assert "A/B wall, median of 1 pairs" in capsys.readouterr().out


def test_median_interval_holds_the_median_and_widens_with_noise():
    steady = [0.03 + 0.001 * (i % 3) for i in range(15)]
    noisy = [0.03 + 0.05 * ((-1) ** i) * (i % 5) for i in range(15)]
    low, high = speed.median_interval(steady)
    assert low <= speed._median(steady) <= high and high - low < 0.0025
    low2, high2 = speed.median_interval(noisy)
    assert low2 <= speed._median(noisy) <= high2 and high2 - low2 > high - low
    assert speed.median_interval(noisy) == (low2, high2)  # a fixed seed: the same report twice


def test_independent_finder_sees_tf_compat_v1_chains():
    refs, _ = evaluate.find_refs(ast.parse("import tensorflow as tf\ntf.compat.v1.keras.backend.get_session()\n"),
                                 "m.py")
    assert [(r.surface, r.name, r.via) for r in refs] == [("tf1", "get_session", "tf1")]


def test_fix_size_series_runs(capsys):
    import fix_size

    assert fix_size.main(["--lines", "40", "80"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3 and rows[1].split()[0] == "32" and rows[2].endswith("yes")


def test_diff_apply_checks_one_file(tmp_path):
    import shutil

    import diff_apply

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    path = tmp_path / "m.py"
    path.write_bytes("# -*- coding: latin-1 -*-\r\ns = 'caf\xe9'\r\nfrom keras import backend as K\r\ny = K.mean(x)"
                     .encode("latin-1"))
    work = tmp_path / "work"
    work.mkdir()
    project = diff_apply._project("3")
    assert diff_apply.check_file(path, project, False, str(work)) == ""
    (tmp_path / "clean.py").write_text("import keras\n")
    assert diff_apply.check_file(tmp_path / "clean.py", project, False, str(work)) is None


def test_plugin_profile_phases_and_snapshot_run(tiny, tmp_path, capsys):
    keras_root, _ = tiny
    assert plugin_profile.main(["phases", "--keras-root", str(keras_root)]) == 0
    printed = capsys.readouterr().out
    assert "1 keras-dense files" in printed and "walk.analyse" in printed and "checks.check_attributes" in printed
    out = tmp_path / "snapshot.txt"
    assert plugin_profile.main(["snapshot", str(out), "--keras-root", str(keras_root)]) == 0
    lines = out.read_text().splitlines()
    # K.mean (model.py line 6) is gone from Keras 3
    assert any(line.startswith("3|default|") and "model.py:6:" in line and "KBL201" in line for line in lines)
    assert "holdout 0 " in capsys.readouterr().out


def test_dense_ab_instructions_splits_analysis_from_reporting(tiny, capsys):
    """The wiring, with a fake counter: each configuration counted once, the split adds up to the total."""
    keras_root, _ = tiny
    counts = {"with": 1_060, "replay": 1_010, "without": 1_000}
    seen = []

    def fake(cmd):
        mode = cmd[3]
        seen.append(mode)
        return counts[mode]

    check = speed.Check()
    speed.flake8_ab_instructions(check, "tiny", speed.python_files([keras_root]), 0.03, count=fake)
    out = capsys.readouterr().out
    assert sorted(seen) == ["replay", "with", "without"]
    assert "A/B instructions" in out and "+6.00%" in out
    assert "plugin's analysis" in out and "+5.00%" in out
    assert "handling its" in out and "+1.00%" in out


@pytest.mark.skipif(speed.shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_count_instructions_repeats_exactly_enough():
    """A real count under valgrind: positive, and the same within a tenth of a percent on a second run."""
    cmd = [sys.executable, "-c", "print(sum(range(1000)))"]
    first, second = speed.count_instructions(cmd), speed.count_instructions(cmd)
    assert first > 1_000_000
    assert abs(first - second) / first < 0.001


def test_spin_stand_in_reports_the_plugins_findings_without_its_code(tiny, tmp_path, capsys):
    """The spin runner reports exactly the recorded findings (so its runs pay the same reporting), and the triple
    A/B prints both figures."""
    keras_root, _ = tiny
    files = speed.python_files([keras_root])
    recorded = tmp_path / "spin.json"
    count = speed.record_findings(files, recorded)
    entries = json.loads(recorded.read_text())
    assert count > 0 and all(len(entry) == 2 and entry[0] >= 0 for entry in entries.values())
    outputs = {}
    for mode in ("with", f"spin {recorded}"):
        proc = subprocess.run(speed.flake8_cmd(mode, files), capture_output=True, text=True)
        outputs[mode.split()[0]] = sorted(line for line in proc.stdout.splitlines() if " KBL" in line)
    assert outputs["spin"] == outputs["with"] and outputs["with"]
    check = speed.Check()
    speed.flake8_ab_spin(check, "tiny", files, pairs=1)
    out = capsys.readouterr().out
    assert "A/B wall, the plugin, median of 1 triples" in out and "a stand-in spinning" in out


@pytest.mark.skipif(speed.shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_plugin_profile_counts_the_plugins_own_instructions(tiny, capsys):
    keras_root, _ = tiny
    assert plugin_profile.main(["count", "--keras-root", str(keras_root)]) == 0
    out = capsys.readouterr().out
    cold = int(out.split("as one flake8 run pays")[1].split()[0].replace(",", ""))
    warm = int(out.split("caches warm")[1].split()[0].replace(",", ""))
    # real work on the files with K.mean and friends; the first pass also fills every per-run cache
    assert cold > warm > 100_000


def test_plugin_profile_startup_runs_every_stage(capsys):
    """The start-up stages are real runs (here without valgrind: counted as 1 + the stage, so a stage runner that
    fails shows as an error, and the stages print in order)."""
    ran = []

    def count(cmd, cwd=None):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=speed._env(), cwd=cwd)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
        ran.append(cmd)
        return 1000 * len(ran)

    plugin_profile.startup(count)
    out = capsys.readouterr().out
    assert "a file with backend code" in out and "a file without keras" in out
    assert [line.split()[0] for line in out.splitlines()[-4:]] == ["import", "target", "first", "second"]
    assert "target from the project" in out
    assert len(ran) == 8 + len(plugin_profile._STAGES)


def test_peers_runner_keeps_only_the_plugin_asked_for(tiny):
    """The peers' runner, on this environment (our plugin installed): kept, it reports; removed, flake8 runs bare."""
    keras_root, _ = tiny
    out = {}
    for keep in (peers.OURS, "none"):
        cmd = peers.flake8_cmd(Path(sys.executable), keep, [peers.OURS], [keras_root])
        out[keep] = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "KBL201" in out[peers.OURS]
    assert "KBL" not in out["none"] and "E999" in out["none"]


def test_peers_rounds_rotate_and_compare_with_their_own_baseline():
    costs = {"none": 10.0, "a": 11.0, "b": 15.0}
    seen = []

    def timer(cmd):
        keep = cmd[3]
        seen.append(keep)
        return costs[keep] * (2 if len(seen) > 6 else 1)  # the last round ran on a slower machine: ratios hold

    ratios, fastest = peers.wall_rounds(Path("python"), ["a", "b"], [Path("x.py")], rounds=2, timer=timer)
    assert seen[3:] == ["none", "a", "b", "a", "b", "none"]
    assert [round(r, 6) for r in ratios["a"]] == [0.1, 0.1] and [round(r, 6) for r in ratios["b"]] == [0.5, 0.5]
    assert {name: round(r, 6) for name, r in fastest.items()} == {"a": 0.1, "b": 0.5}
    assert peers.requirements({"p": "1.0"})[-1] == "p==1.0"
