"""Dependency files: every format's fixture project (target line and KBL5xx findings), the target precedence,
the spec converters, and robustness against bad files."""
import io
import os
from pathlib import Path

import pytest
from conftest import FIXTURES

from keras_backend_lint import versions
from keras_backend_lint.cli import main
from keras_backend_lint.deps import discover, is_dependency_file, read, specs
from keras_backend_lint.deps.target import declared_target

CASES = sorted(p for p in (FIXTURES / "deps").iterdir() if p.is_dir())


def expected_of(case: Path):
    lines = (case / "expected.txt").read_text("utf-8").splitlines()
    assert lines[0].startswith("target: ")
    return lines[0][len("target: "):], sorted(line for line in lines[1:] if line)


def run(args, cwd):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(args, stdout=out, stderr=err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_project(case):
    target, expected = expected_of(case)
    code, out, err = run(["check", "."], case)
    found = sorted(line[2:] if line.startswith("./") else line for line in out.splitlines())
    assert found == expected
    if target != "*":
        assert err.splitlines()[0] == f"keras-backend-lint: target Keras {target}"
    assert code == (1 if expected else 0)


def test_every_format_has_a_fixture():
    from keras_backend_lint.deps import FORMATS

    names = {p.name for case in CASES for p in case.iterdir()}
    for pattern, _ in FORMATS:
        if pattern == "environment.yaml":
            continue  # the same reader as environment.yml
        assert any(Path(n).match(pattern) for n in names), pattern


@pytest.mark.parametrize("case", [c for c in CASES if c.name != "malformed"], ids=lambda c: c.name)
def test_fixture_files_named_one_by_one_give_the_same_findings(case):
    """pre-commit passes file names, not directories: the dependency files are still read, not parsed as Python."""
    _, expected = expected_of(case)
    names = sorted(p.name for p in case.iterdir() if p.name != "expected.txt")
    code, out, _ = run(["check", *names], case)
    assert sorted(out.splitlines()) == expected


def test_json_and_sarif_carry_dependency_findings():
    import json

    case = FIXTURES / "deps" / "requirements_mismatch"
    _, out, _ = run(["check", ".", "--format", "json"], case)
    codes = [(f["path"].lstrip("./"), f["line"], f["code"]) for f in json.loads(out)["findings"]]
    assert codes == [("requirements.txt", 2, "KBL501"), ("requirements.txt", 4, "KBL502")]
    _, out, _ = run(["check", ".", "--format", "github"], case)
    assert "file=./requirements.txt,line=2" in out or "file=requirements.txt,line=2" in out


def test_ignore_and_select_apply_to_dependency_findings():
    case = FIXTURES / "deps" / "requirements_mismatch"
    _, out, _ = run(["check", ".", "--ignore", "KBL501"], case)
    assert "KBL501" not in out and "KBL502" in out
    _, out, _ = run(["check", ".", "--select", "KBL2"], case)
    assert out == ""


# --- precedence ------------------------------------------------------------------------------------------------

LAYERS = [
    ("poetry.lock", '[[package]]\nname = "keras"\nversion = "2.6.0"\n', "keras==2.6.0 in poetry.lock:2"),
    ("uv.lock", '[[package]]\nname = "keras"\nversion = "2.7.0"\n', "keras==2.7.0 in uv.lock:2"),
    ("pdm.lock", '[[package]]\nname = "keras"\nversion = "2.8.0"\n', "keras==2.8.0 in pdm.lock:2"),
    ("Pipfile.lock", '{"default": {"keras": {"version": "==2.9.0"}}}', "keras==2.9.0 in Pipfile.lock:1"),
    ("pyproject.toml", '[project]\nname = "x"\ndependencies = ["keras==2.10.0"]\n',
     "keras==2.10.0 in pyproject.toml:3"),
    ("requirements.txt", "keras==2.11.0\n", "keras==2.11.0 in requirements.txt:1"),
    ("setup.cfg", "[options]\ninstall_requires =\n    keras==2.12.0\n", "keras==2.12.0 in setup.cfg:3"),
    ("setup.py", "from setuptools import setup\nsetup(install_requires=['keras==2.13.1'])\n",
     "keras==2.13.1 in setup.py:2"),
    ("environment.yml", "dependencies:\n  - keras=2.14\n", "keras==2.14.* in environment.yml:2"),
    ("Pipfile", '[packages]\nkeras = "==2.15.0"\n', "keras==2.15.0 in Pipfile:2"),
]


@pytest.mark.parametrize("index", range(len(LAYERS)), ids=[name for name, _, _ in LAYERS])
def test_precedence_of_declared_sources(tmp_path, index):
    """With the files from ``index`` on present, the first of them decides; option and config beat them all."""
    for name, text, _ in LAYERS[index:]:
        (tmp_path / name).write_text(text)
    (tmp_path / "x.py").write_text("import keras\n")
    _, _, err = run(["check", "."], tmp_path)
    assert err.splitlines()[0].endswith(f"({LAYERS[index][2]})")
    _, _, err = run(["check", ".", "--keras-version", "3.1"], tmp_path)
    assert err.splitlines()[0] == "keras-backend-lint: target Keras 3.1 (--keras-version)"


def test_config_beats_declared_and_declared_beats_installed(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "requirements.txt").write_text("tensorflow==2.12.1\n")
    _, _, err = run(["check", "."], project)
    assert err.splitlines()[0] == "keras-backend-lint: target Keras 2.12 (tensorflow==2.12.1 in requirements.txt:1)"
    (project / "pyproject.toml").write_text('[tool.keras-backend-lint]\nkeras-version = "3.2"\n')
    _, _, err = run(["check", "."], project)
    assert "target Keras 3.2 (keras-version in" in err.splitlines()[0]
    empty = tmp_path / "nothing"
    empty.mkdir()
    (empty / ".git").mkdir()  # a repository root: the walk stops here
    monkeypatch.setattr(versions, "installed_keras_version", lambda: ("2.15.0", "installed keras"))
    _, _, err = run(["check", "."], empty)
    assert err.splitlines()[0] == "keras-backend-lint: target Keras 2.15 (installed keras 2.15.0)"
    monkeypatch.setattr(versions, "installed_keras_version", lambda: None)
    _, _, err = run(["check", "."], empty)
    assert "(default: newest Keras 3 known)" in err.splitlines()[0]


def test_unpinned_requirement_falls_through(tmp_path):
    (tmp_path / "requirements.txt").write_text("keras\ntensorflow~=2.13.0\n")
    target = declared_target(str(tmp_path))
    assert target is not None and target.label == "2.13" and target.source.endswith("requirements.txt:2)"[:-1])


def test_project_found_from_a_subdirectory(tmp_path):
    (tmp_path / "requirements.txt").write_text("tensorflow>=2.16\n")
    sub = tmp_path / "src" / "pkg"
    sub.mkdir(parents=True)
    (sub / "m.py").write_text("import keras\n")
    target = declared_target(str(sub / "m.py"))
    assert target is not None and target.label == "3.x"


def test_tensorflow_range_spanning_keras_2_and_3(tmp_path):
    (tmp_path / "requirements.txt").write_text("tensorflow>=2.14\n")
    target = declared_target(str(tmp_path))
    assert target.label == "2.14-2.15, 3.x"
    # the text is what worker processes parse again: it must give the same releases
    assert versions.parse_target(target.text).releases == target.releases


# --- the spec converters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("poetry, pep440", [
    ("^2.12", "<3,>=2.12"), ("^0.4.1", "<0.5,>=0.4.1"), ("~2.12", "<2.13,>=2.12"), ("~2", "<3,>=2"),
    ("2.12.1", "==2.12.1"), ("2.12.*", "==2.12.*"), ("*", ""), (">=2.6,<3", "<3,>=2.6"), (">=2.6 <3", "<3,>=2.6"),
    ("^2 || ^3", None), ("^x", None),
])
def test_poetry_constraints(poetry, pep440):
    assert specs.poetry(poetry) == pep440


@pytest.mark.parametrize("conda, pep440", [
    ("=2.12", "==2.12.*"), ("2.12.*", "==2.12.*"), ("==2.12.1", "==2.12.1"), (">=2.6,<3", "<3,>=2.6"),
    ("2.12.1", "==2.12.1"), ("=2.12.1=cpu_py310h1", "==2.12.1.*"), ("", ""), ("=>nonsense", None),
])
def test_conda_specs(conda, pep440):
    assert specs.conda(conda) == pep440


# --- robustness ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock",
                                  "setup.cfg", "setup.py", "environment.yml", "uv.lock", "pdm.lock"])
@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary\x00", b"", b"[[[[\n" * 50, "é ✓\n".encode()],
                         ids=["binary", "empty", "brackets", "unicode"])
def test_bad_bytes_never_raise(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    dep_file = read(str(path))
    assert isinstance(dep_file.problems, list) and isinstance(dep_file.declared, list)
    code, _, err = run(["check", name], tmp_path)
    assert code in (0, 1) and "Traceback" not in err


def test_include_cycle_and_directory_are_contained(tmp_path):
    (tmp_path / "requirements.txt").write_text("-r requirements-dev.txt\nkeras==3.1.0\n")
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\n-r sub\n")
    (tmp_path / "sub").mkdir()
    dep_file = read(str(tmp_path / "requirements.txt"))
    assert [d.text for d in dep_file.declared] == ["keras==3.1.0"]
    assert [p.message for p in dep_file.problems] == ["included file sub not found"]


def test_a_reader_crash_is_reported_not_raised(tmp_path, monkeypatch):
    from keras_backend_lint.deps import requirements

    def boom(path, out, seen, depth):
        raise RuntimeError("reader bug")

    monkeypatch.setattr(requirements, "_read_into", boom)
    (tmp_path / "requirements.txt").write_text("keras\n")
    code, out, err = run(["check", "requirements.txt"], tmp_path)
    assert code == 1 and "KBL500" in out and "RuntimeError: reader bug" in out and "Traceback" not in err


def test_which_files_are_dependency_files(tmp_path):
    for name in ("requirements-dev.txt", "requirements.in", "environment.yaml", "uv.lock", "setup.py", "Pipfile"):
        assert is_dependency_file(name)
    for name in ("notes.txt", "setup.pyc", "lock", "pipfile"):
        assert not is_dependency_file(name)
    for name in ("setup.py", "requirements.txt", "uv.lock"):
        (tmp_path / name).write_text("")
    assert [os.path.basename(p) for p in discover(str(tmp_path))] == ["uv.lock", "requirements.txt", "setup.py"]


def test_precommit_pattern_matches_every_format():
    import re

    import yaml
    from conftest import ROOT

    from keras_backend_lint.deps import PRE_COMMIT_PATTERN

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    check = next(h for h in hooks if h["id"] == "keras-backend-lint")
    assert check["files"] == PRE_COMMIT_PATTERN
    for name in ("a/requirements-dev.txt", "pyproject.toml", "setup.cfg", "setup.py", "environment.yml",
                 "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock", "pkg/mod.py", "stubs/x.pyi"):
        assert re.search(PRE_COMMIT_PATTERN, name), name
    for name in ("notes.txt", "README.md", "data.json"):
        assert not re.search(PRE_COMMIT_PATTERN, name), name


def test_a_missing_dependency_file_is_a_missing_path(tmp_path):
    code, out, err = run(["check", "requirements.txt"], tmp_path)
    assert code == 2 and "E902" in out and "KBL500" not in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_like_a_dependency_file_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "requirements.txt")
    assert [p.message for p in read(str(tmp_path / "requirements.txt")).problems] == ["not a regular file"]
    assert discover(str(tmp_path)) == []


def test_constraints_other_tools_allow_are_only_reported_for_keras_and_tensorflow(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry.dependencies]\nnumpy = "^1.2 || ^2.0"\ntensorflow = "^2.12 || ^2.16"\n')
    (tmp_path / "environment.yml").write_text("dependencies:\n  - numpy 1.26|2.0\n  - keras 2.12|3.1\n")
    problems = [(p.line, p.message) for name in ("pyproject.toml", "environment.yml")
                for p in read(str(tmp_path / name)).problems]
    assert problems == [(3, "tensorflow '^2.12 || ^2.16' is not a version constraint that can be read"),
                        (3, "'keras 2.12|3.1' is not a conda version spec that can be read")]


@pytest.mark.parametrize("name, text, declared", [
    ("requirements.txt",
     "--index-url https://example.org/simple\nkeras==3.1.0 \\\n    --hash=sha256:abc\n"
     "demo @ https://example.org/demo.whl\ntensorflow>=2.16 ; sys_platform != 'win32'  # gpu later\n",
     [("keras", "==3.1.0", 2, 1), ("demo", "", 4, 1), ("tensorflow", ">=2.16", 5, 1)]),
    ("pyproject.toml",
     '[project]\nname = "x"\ndependencies = ["Keras>=3"]\n[dependency-groups]\ndev = ["tf_keras~=2.16.0", '
     '{include-group = "x"}]\n',
     [("keras", ">=3", 3, 18), ("tf-keras", "~=2.16.0", 5, 9)]),
    ("setup.py",
     "import setuptools\nsetuptools.setup(install_requires=('keras<3', f()), extras_require=EXTRAS)\n",
     [("keras", "<3", 2, 37)]),
    ("Pipfile", '[dev-packages]\ntensorflow = {version = ">=2.12,<2.13", index = "pypi"}\n',
     [("tensorflow", "<2.13,>=2.12", 2, 1)]),
    ("environment.yml",
     "name: x\ndependencies:\n  - python=3.11\n  - 'tensorflow>=2.15,<2.16'\n  - pip:\n    - -r requirements.txt\n"
     "    - tf-keras==2.15.1\nprefix: /opt\n",
     [("python", "==3.11.*", 3, 5), ("tensorflow", "<2.16,>=2.15", 4, 6), ("tf-keras", "==2.15.1", 7, 7)]),
])
def test_reader_results(tmp_path, name, text, declared):
    (tmp_path / name).write_text(text)
    dep_file = read(str(tmp_path / name))
    assert dep_file.problems == []
    assert [(d.name, d.spec, d.line, d.col) for d in dep_file.declared] == declared
