"""The shipped pre-commit hooks, run for real with `pre-commit try-repo` against a temporary git repository.

try-repo installs this project from a git repository into pre-commit's own virtualenv (pip; needs PyPI for the
dependencies unless they are cached). The working tree is committed into a temporary repository first, so the
hooks are tested as they are now, not as of the last commit.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

LEGACY = "from keras import backend as K\n\n\ndef f(x):\n    return K.tf.constant(x)\n"


def test_hooks_file_shape():
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"keras-backend-lint", "keras-backend-lint-fix"}
    assert hooks["keras-backend-lint"]["entry"] == "keras-backend-lint check"
    assert hooks["keras-backend-lint-fix"]["entry"] == "keras-backend-lint fix"
    for hook in hooks.values():
        assert hook["language"] == "python" and "python" in hook["types_or"]


def git(cwd, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def snapshot(dest: Path) -> Path:
    """The working tree (tracked and untracked, minus ignored files) committed into a fresh repository."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not name.startswith(("benchmarks/.corpus", ".cache/")):
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    return snapshot(tmp_path_factory.mktemp("hooks-repo"))


def try_repo(repo: Path, hook: str, project: Path, *files: str):
    env = {**os.environ, "PRE_COMMIT_HOME": str(project.parent / "pre-commit-home"), "NO_COLOR": "1"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(repo), hook, "--files", *files, "--color", "never"],
        cwd=project, capture_output=True, text=True, env=env, timeout=900,
    )


@pytest.fixture
def project(tmp_path):
    work = tmp_path / "project"
    work.mkdir()
    (work / "legacy.py").write_text(LEGACY)
    (work / "clean.py").write_text("import keras\n\nx = keras.ops.ones(3)\n")
    (work / "pyproject.toml").write_text("[tool.keras-backend-lint]\nkeras-version = \"3\"\n")
    (work / "requirements.txt").write_text("keras==2.3.1\ntensorflow>=2.16\n")
    (work / "notes.txt").write_text("not python, not a dependency file: the hook's files pattern leaves it out\n")
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "init")
    return work


def test_check_hook(hook_repo, project):
    result = try_repo(hook_repo, "keras-backend-lint", project, "legacy.py", "clean.py", "requirements.txt",
                      "notes.txt")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "legacy.py:5:12: KBL204 K.tf is the tensorflow module reached through keras.backend" in output
    # dependency files reach the hook (files: pattern) and are read as such, not parsed as Python
    assert "requirements.txt:1:1: KBL501 keras==2.3.1 and tensorflow>=2.16 (line 2)" in output
    assert "notes.txt" not in output and "E999" not in output
    assert "Traceback" not in output
    clean = try_repo(hook_repo, "keras-backend-lint", project, "clean.py")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_fix_hook(hook_repo, project):
    result = try_repo(hook_repo, "keras-backend-lint-fix", project, "legacy.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # pre-commit fails a hook that changed files
    fixed = (project / "legacy.py").read_text()
    assert "K.tf" not in fixed and "tf.constant(x)" in fixed, fixed
    again = try_repo(hook_repo, "keras-backend-lint-fix", project, "legacy.py")
    assert again.returncode == 0, again.stdout + again.stderr


def test_fix_hook_reads_pyproject(hook_repo, project):
    """The fix hook follows the project's configuration like the check hook: per-file ignores and the target."""
    (project / "ignored.py").write_text(LEGACY)
    (project / "pyproject.toml").write_text(
        '[tool.keras-backend-lint]\nkeras-version = "3"\n[tool.keras-backend-lint.per-file-ignores]\n'
        '"ignored.py" = ["KBL2"]\n'
    )
    result = try_repo(hook_repo, "keras-backend-lint-fix", project, "ignored.py", "legacy.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (project / "ignored.py").read_text() == LEGACY, output
    assert "K.tf" not in (project / "legacy.py").read_text()
    (project / "pyproject.toml").write_text('[tool.keras-backend-lint]\nkeras-version = "2.15"\n')
    (project / "old.py").write_text("from keras import backend as K\n\n\ndef f(x):\n    return K.mean(x)\n")
    kept = try_repo(hook_repo, "keras-backend-lint-fix", project, "old.py")
    assert kept.returncode == 0 and "K.mean" in (project / "old.py").read_text(), kept.stdout + kept.stderr
