"""check and fix share one configuration, one discovery and one finding filter (project.py); config errors."""
import io
import json
import os

import pytest

from keras_backend_lint.cli import main

LEGACY = "from keras import backend as K\n"


def run(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        code = main(list(argv), out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def tree(tmp_path):
    """A project with pyproject settings, noqa lines, per-file ignores and excludes."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.keras-backend-lint]\nkeras-version = "3"\nignore = ["KBL204"]\nextend-exclude = ["vendored"]\n'
        '[tool.keras-backend-lint.per-file-ignores]\n"tests/*" = ["KBL2"]\n'
    )
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(
        LEGACY
        + "a = K.mean(x)\n"
        + "b = K.sum(x)  # noqa\n"
        + "c = K.max(x)  # noqa: KBL201\n"
        + "d = K.min(x)  # noqa:KBL2\n"
        + "e = K.std(x)  # noqa: KBL101\n"
        + "f = K.learning_phase()\n"
    )
    (tmp_path / "pkg" / "silent.py").write_text("# flake8: noqa\n" + LEGACY + "a = K.mean(x)\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "t.py").write_text(LEGACY + "a = K.mean(x)\n")
    (tmp_path / "vendored").mkdir()
    (tmp_path / "vendored" / "v.py").write_text(LEGACY + "a = K.mean(x)\n")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "n.py").write_text(LEGACY + "a = K.mean(x)\n")
    return tmp_path


def _snapshot(root):
    return {p: p.read_text() for p in sorted(root.rglob("*.py"))}


def test_fix_touches_exactly_what_check_reports(tree):
    code, out, _ = run("check", "--format", "json", str(tree))
    reported = {(os.path.relpath(f["path"], tree), f["line"], f["code"]) for f in json.loads(out)["findings"]}
    assert reported == {("pkg/a.py", 2, "KBL201"), ("pkg/a.py", 6, "KBL201"), ("pkg/a.py", 7, "KBL201")}
    before = _snapshot(tree)
    code, out, err = run("fix", "--format", "json", str(tree))
    assert code == 1, err
    report = json.loads(out)
    after = _snapshot(tree)
    changed = {os.path.relpath(p, tree) for p in before if before[p] != after[p]}
    assert changed == {"pkg/a.py"}
    accounted = {(os.path.relpath(f["path"], tree), item["line"], item["code"])
                 for f in report["files"] for item in f["fixed"] + f["left"]}
    assert accounted == reported
    text = after[tree / "pkg" / "a.py"]
    assert "a = ops.mean(x)" in text and "e = ops.std(x)  # noqa: KBL101" in text
    for kept in ("K.sum(x)  # noqa", "K.max(x)  # noqa: KBL201", "K.min(x)  # noqa:KBL2", "K.learning_phase"):
        assert kept in text
    assert report["totals"]["left"]["manual"] == 1 and report["totals"]["fixed"] == 2


def test_fix_reads_keras_version_from_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.keras-backend-lint]\nkeras-version = "2.15"\n')
    path = tmp_path / "m.py"
    path.write_text(LEGACY + "a = K.mean(x)\n")
    code, _, err = run("fix", str(path))
    assert code == 0 and path.read_text() == LEGACY + "a = K.mean(x)\n"
    assert f"target Keras 2.15 (keras-version in {tmp_path / 'pyproject.toml'})" in err


def test_fix_options_like_check(tree):
    path = tree / "pkg" / "a.py"
    before = path.read_text()
    assert run("fix", "--select", "KBL210", str(tree))[0] == 2
    assert run("fix", "--isolated", "--keras-version", "2.15", str(tree))[0] == 0
    assert run("fix", "--diff", "--per-file-ignores", "pkg/*:KBL2", str(tree))[0] == 0
    assert run("fix", "--diff", "--exclude", "pkg,.ipynb_checkpoints,vendored", str(tree))[0] == 0
    assert run("fix", "--diff", "--extend-exclude", "a.py", str(tree))[0] == 0
    assert path.read_text() == before
    config = tree / "other.toml"
    config.write_text('[tool.keras-backend-lint]\nkeras-version = "2.15"\n')
    assert run("fix", "--config", str(config), str(tree))[0] == 0


def test_fix_summary_accounts_for_what_is_left(tmp_path):
    (tmp_path / "bad.py").write_text(LEGACY + "def (:\n")
    (tmp_path / "a.py").write_text(LEGACY + "a = K.mean(x)\nb = K.std(x)\nf = K.learning_phase()\n")
    code, out, err = run("fix", "--keras-version", "3", "--diff", str(tmp_path))
    assert code == 1
    assert "would rewrite 1 file(s), would fix 2 finding(s), 1 left, 1 file(s) skipped" in err
    assert "no automatic fix (1):" in err and "KBL201 K.learning_phase" in err
    assert "file skipped (1 file(s)" in err and "bad.py: cannot parse" in err
    assert "+a = ops.mean(x)" in out


def test_unsafe_left_is_named(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY + "w = K.zeros((2, 3))\n")
    code, out, err = run("fix", "--keras-version", "3", "--diff", str(path))
    assert code == 0 and out == "" and "needs --unsafe-fixes (1):" in err and "KBL201 K.zeros" in err
    code, out, err = run("fix", "--keras-version", "3", "--diff", "--unsafe-fixes", str(path))
    assert code == 1 and "would fix 1 finding(s), 0 left" in err


def test_config_does_not_depend_on_path_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pyproject.toml").write_text('[tool.keras-backend-lint]\nexclude = ["*"]\n')
    (tmp_path / "sub" / "a.py").write_text(LEGACY + "a = K.mean(x)\n")
    (tmp_path / "b.py").write_text(LEGACY + "a = K.mean(x)\n")
    a, b = str(tmp_path / "sub" / "a.py"), str(tmp_path / "b.py")
    first = run("check", "--keras-version", "3", a, b)
    second = run("check", "--keras-version", "3", b, a)
    assert first[:2] == second[:2] and first[0] == 1
    assert "b.py" in first[1] and "a.py" in first[1]
    # alone, the sub-folder's own configuration applies (its paths are all inside it)
    assert run("check", "--keras-version", "3", a)[0] == 0
    assert run("fix", "--keras-version", "3", "--diff", b, a)[0] == 1


@pytest.mark.parametrize("body, fragment", [
    ('keras-version = 2.10', "quote it"),
    ('keras-version = 3.10', "quote it"),
    ('keras-version = ""', "keras-version is empty"),
    ('select = ["KBL999"]', "select: 'KBL999' is not"),
    ('extend-select = ["X1"]', "extend-select: 'X1' is not"),
])
def test_config_value_errors_name_the_file(tmp_path, body, fragment):
    (tmp_path / "pyproject.toml").write_text(f"[tool.keras-backend-lint]\n{body}\n")
    (tmp_path / "a.py").write_text(LEGACY)
    for command in ("check", "fix"):
        code, _, err = run(command, str(tmp_path))
        assert code == 2 and fragment in err and str(tmp_path / "pyproject.toml") in err, err
        assert "--select" not in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_integer_version_is_accepted(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.keras-backend-lint]\nkeras-version = 3\n")
    (tmp_path / "a.py").write_text(LEGACY + "a = K.mean(x)\n")
    assert run("check", str(tmp_path))[0] == 1


@pytest.mark.parametrize("text", [
    'tool = "keras-backend-lint"\n',
    "# keras-backend-lint\n[tool]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
    '[tool]\nkeras-backend-lint = "3"\n',
])
def test_malformed_pyproject_is_one_line(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    (tmp_path / "a.py").write_text(LEGACY)
    code, _, err = run("check", str(tmp_path))
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert str(tmp_path / "pyproject.toml") in err


def test_empty_keras_version_option(tmp_path):
    (tmp_path / "a.py").write_text(LEGACY)
    code, _, err = run("check", "--keras-version", "", str(tmp_path))
    assert code == 2 and "empty Keras version" in err
    assert run("fix", "--keras-version", "", str(tmp_path))[0] == 2


def test_committed_dist_info_is_not_the_installed_keras(tmp_path):
    import subprocess
    import sys

    info = tmp_path / "keras-2.15.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: keras\nVersion: 2.15.0\n")
    (tmp_path / "a.py").write_text(LEGACY + "a = K.mean(x)\n")
    env = dict(os.environ, KERAS_BACKEND="numpy", PYTHONPATH=".")
    done = subprocess.run([sys.executable, "-m", "keras_backend_lint", "check", "--isolated", "a.py"],
                          cwd=tmp_path, capture_output=True, text=True, env=env)
    assert "installed keras 2.15.0" not in done.stderr


def test_fix_excludes_checkpoints_by_default(tree):
    run("fix", str(tree))
    assert "K.mean" in (tree / ".ipynb_checkpoints" / "n.py").read_text()
    assert "K.mean" in (tree / "vendored" / "v.py").read_text()
    assert "K.mean" in (tree / "tests" / "t.py").read_text()


def test_fix_leaves_dependency_files_to_check(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras==2.15\n")
    (tmp_path / "a.py").write_text(LEGACY + "a = K.mean(x)\n")
    code, _, err = run("fix", "--keras-version", "3", str(tmp_path / "requirements.txt"), str(tmp_path / "a.py"))
    assert code == 1 and "0 file(s) skipped" in err and "requirements.txt" not in err
    assert (tmp_path / "requirements.txt").read_text() == "keras==2.15\n"
