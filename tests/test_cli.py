"""`keras-backend-lint` command line: every option, format and exit code."""
import codecs
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from keras_backend_lint import __version__, cli, rules

LEGACY = "from keras import backend as K\n\n\ndef f(x):\n    return K.mean(x)\n"
LAYER = (
    "import keras\nimport tensorflow as tf\n\n\nclass L(keras.layers.Layer):\n"
    "    def call(self, x):\n        return tf.matmul(x, x)\n"
)
#: clean for every target (keras.ops would be KBL108 under a Keras 2 target: it is Keras 3 only)
CLEAN = "import keras\n\n\ndef f(x):\n    return keras.layers.Dense(x)\n"


def run(*argv, stdin=None, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        code = cli.main(list(argv), stdout=out, stderr=err, stdin=io.BytesIO(stdin) if stdin is not None else None)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def codes(out):
    return [line.split(": ", 1)[1].split()[0] for line in out.splitlines() if ": " in line]


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "legacy.py").write_text(LEGACY)
    (tmp_path / "pkg" / "clean.py").write_text(CLEAN)
    (tmp_path / "pkg" / "layer.py").write_text(LAYER)
    return tmp_path


# --- exit codes ---------------------------------------------------------------------------------------------


def test_findings_exit_1_and_flake8_style_lines(tree):
    code, out, err = run("check", "--keras-version", "3", str(tree / "pkg"))
    assert code == 1
    assert out == (
        f"{tree / 'pkg' / 'legacy.py'}:5:12: KBL201 K.mean is not in keras.backend for Keras 3.x (last in 2.15);"
        " use keras.ops.mean\n"
    )
    assert "Traceback" not in err


def test_clean_exit_0(tree):
    assert run("check", "--keras-version", "3", str(tree / "pkg" / "clean.py"))[:2] == (0, "")


def test_exit_zero(tree):
    code, out, _ = run("check", "--keras-version", "3", "--exit-zero", str(tree))
    assert code == 0 and "KBL201" in out


def test_missing_file_is_io_error_exit_2(tree):
    code, out, err = run("check", "-q", str(tree / "nope.py"), str(tree / "pkg" / "legacy.py"))
    assert code == 2
    assert f"{tree / 'nope.py'}:1:1: E902 cannot read file: No such file or directory" in out
    assert "KBL201" in out  # the run went on


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--format", "xml"],
        ["check", "--keras-version", "banana"],
        ["check", "--keras-version", ">=9"],
        ["check", "--select", "E501"],
        ["check", "--ignore", "XYZ"],
        ["check", "--jobs", "0"],
        ["check", "-", "other.py"],
        ["explain", "KBL999"],
        ["--no-such-option"],
    ],
)
def test_usage_errors_exit_2(argv, tree):
    code, out, err = run(*argv, cwd=tree)
    assert code == 2
    assert "Traceback" not in err and err.strip()


def test_syntax_error_is_one_line_and_run_goes_on(tree):
    (tree / "pkg" / "broken.py").write_text("import keras\ndef f(:\n")
    code, out, err = run("check", "-q", "--keras-version", "3", str(tree / "pkg"))
    assert code == 1
    broken = [line for line in out.splitlines() if "broken.py" in line]
    assert len(broken) == 1 and ": E999 SyntaxError: " in broken[0]
    assert broken[0].startswith(f"{tree}/pkg/broken.py:2:")
    assert "KBL201" in out and "Traceback" not in out + err


def test_undecodable_file(tree):
    (tree / "bad.py").write_bytes(b"# -*- coding: utf-8 -*-\nimport keras\nx = '\xff\xfe'\n")
    (tree / "nul.py").write_bytes(b"import keras\x00\n")
    code, out, _ = run("check", "-q", str(tree / "bad.py"), str(tree / "nul.py"))
    assert code == 1  # a finding about the file, like flake8's E902; exit 2 is for usage errors
    lines = out.splitlines()
    assert len(lines) == 2 and all(": E902 cannot read file: " in line for line in lines)


def test_internal_error_is_contained(tree, monkeypatch):
    import keras_backend_lint.engine as engine

    real = engine.check_tree

    def boom(tree_, settings, text=None, project=None):
        if any(getattr(n, "id", None) == "boom" for n in __import__("ast").walk(tree_)):
            raise RuntimeError("kaboom")
        return real(tree_, settings, text=text, project=project)

    monkeypatch.setattr(engine, "check_tree", boom)
    (tree / "pkg" / "z_boom.py").write_text("import keras\nboom = 1\n")
    code, out, err = run("check", "-q", "-j", "1", "--keras-version", "3", str(tree / "pkg"))
    assert code == 1
    line = [x for x in out.splitlines() if "z_boom.py" in x]
    assert line == [f"{tree}/pkg/z_boom.py:1:1: KBL000 " + rules.KBL000.format(error="RuntimeError: kaboom")]
    assert "KBL201" in out and "Traceback" not in err


# --- selection ----------------------------------------------------------------------------------------------


def test_kbl401_off_by_default_and_enabled_by_extend_select(tree):
    layer = str(tree / "pkg" / "layer.py")
    assert "KBL401" not in run("check", "--keras-version", "3", layer)[1]
    assert codes(run("check", "--keras-version", "3", "--extend-select", "KBL401", layer)[1]) == ["KBL401"]
    assert codes(run("check", "--keras-version", "3", "--select", "KBL", layer)[1]) == ["KBL401"]  # like flake8
    assert codes(run("check", "--keras-version", "3", "--select", "KBL2", layer)[1]) == []


@pytest.mark.parametrize(
    "options,expected",
    [
        ([], {"KBL201", "KBL204"}),
        (["--select", "KBL2"], {"KBL201", "KBL204"}),
        (["--select", "KBL204"], {"KBL204"}),
        (["--ignore", "KBL2"], set()),
        (["--ignore", "KBL204"], {"KBL201"}),
        (["--select", "KBL", "--ignore", "KBL2", "--extend-select", "KBL201"], {"KBL201"}),
        (["--select", "KBL201,KBL204", "--ignore", "KBL2"], {"KBL201", "KBL204"}),  # longer prefix wins
        (["--select", "KBL2", "--ignore", "KBL2"], set()),  # a tie: ignore wins
    ],
)
def test_select_ignore_prefixes(tmp_path, options, expected):
    path = tmp_path / "a.py"
    path.write_text("from keras import backend as K\nK.mean(K.tf.constant(1))\n")
    assert set(codes(run("check", "--keras-version", "3", *options, str(path))[1])) == expected


def test_enabled_codes_matches_flake8_decision_engine():
    pytest.importorskip("flake8")
    from flake8.style_guide import Decision, DecisionEngine
    import argparse

    cases = [(None, None, None), (["KBL"], None, None), (["KBL2"], ["KBL201"], None), (None, ["KBL2"], ["KBL201"]),
             (["KBL4"], None, None), (None, None, ["KBL401"]), (["KBL1", "KBL401"], ["KBL4"], None)]
    for select, ignore, extend in cases:
        ns = argparse.Namespace(select=select, ignore=ignore, extend_select=extend, extend_ignore=None,
                                extended_default_select=["KBL"], extended_default_ignore=list(rules.DEFAULT_DISABLED))
        engine = DecisionEngine(ns)
        ours = cli.enabled_codes(select, ignore or [], extend or [])
        if ignore is None:  # flake8 drops its default ignore list only when --ignore is given explicitly
            theirs = {r.code for r in rules.RULES if engine.decision_for(r.code) is Decision.Selected}
            assert ours == theirs, (select, ignore, extend)


def test_noqa(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(
        "from keras import backend as K\n"
        "K.mean(1)  # noqa\n"
        "K.sum(1)  # noqa: KBL201\n"
        "K.max(1)  # noqa: E501\n"
        "K.min(1)  # NOQA:KBL2\n"
    )
    out = run("check", "--keras-version", "3", str(path))[1]
    assert [line.split(":")[1] for line in out.splitlines()] == ["4"]


# --- formats, statistics ------------------------------------------------------------------------------------


def test_statistics(tree):
    (tree / "pkg" / "more.py").write_text("from keras import backend as K\nK.sum(1)\nK.tf\n")
    code, out, _ = run("check", "-q", "--keras-version", "3", "--statistics", str(tree / "pkg"))
    stats = [line for line in out.splitlines() if not line.startswith(str(tree))]
    assert [s.split()[:2] for s in stats] == [["2", "KBL201"], ["1", "KBL204"]]


def test_json_target_and_shape(tree):
    code, out, err = run("check", "--format", "json", "--keras-version", "2.15", str(tree / "pkg"))
    data = json.loads(out)
    assert code == 0 and err == ""  # nothing on stderr in machine formats
    assert data["target"] == {"keras": "2.15", "spec": "2.15", "source": "--keras-version"}
    assert data["files_checked"] == 3 and data["findings"] == [] and data["errors"] == []


def test_github_format(tree):
    code, out, _ = run("check", "--format", "github", "--keras-version", "3", str(tree / "pkg" / "legacy.py"))
    assert out.startswith(f"::error title=keras-backend-lint KBL201,file={tree}/pkg/legacy.py,line=5,col=12::KBL201 ")


def test_target_line_on_stderr(tree):
    err = run("check", "--keras-version", "3", str(tree / "pkg" / "clean.py"))[2]
    assert err == "keras-backend-lint: target Keras 3.x (--keras-version)\n"
    assert run("check", "-q", "--keras-version", "3", str(tree / "pkg" / "clean.py"))[2] == ""


def test_target_from_installed_keras_by_default(tree):
    from keras_backend_lint.versions import installed_keras_version

    installed = installed_keras_version()
    err = run("check", "--isolated", str(tree / "pkg" / "clean.py"))[2]
    if installed:
        assert f"({installed[1]} {installed[0]})" in err
    else:  # pragma: no cover
        assert "default" in err


# --- stdin, encodings ---------------------------------------------------------------------------------------


def test_stdin_with_filename(tmp_path):
    code, out, _ = run("check", "-q", "--keras-version", "3", "-", "--stdin-filename", "src/m.py",
                       stdin=LEGACY.encode(), cwd=tmp_path)
    assert code == 1 and out.startswith("src/m.py:5:12: KBL201 ")
    code, out, _ = run("check", "-q", "--keras-version", "3", "-", stdin=LEGACY.encode(), cwd=tmp_path)
    assert out.startswith("stdin:5:12: KBL201 ")
    assert run("check", "-q", "-", stdin=CLEAN.encode(), cwd=tmp_path)[:2] == (0, "")


def test_stdin_per_file_ignores_use_stdin_filename(tmp_path):
    code, out, _ = run("check", "-q", "--keras-version", "3", "--per-file-ignores", "legacy/*:KBL2", "-",
                       "--stdin-filename", "legacy/m.py", stdin=LEGACY.encode(), cwd=tmp_path)
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    "raw",
    [
        LEGACY.replace("\n", "\r\n").encode(),
        codecs.BOM_UTF8 + LEGACY.encode(),
        ("# -*- coding: latin-1 -*-\n# caf\xe9\n" + LEGACY).encode("latin-1"),
    ],
    ids=["crlf", "bom", "latin1-cookie"],
)
def test_encodings_and_newlines(tmp_path, raw):
    path = tmp_path / "a.py"
    path.write_bytes(raw)
    out = run("check", "-q", "--keras-version", "3", str(path))[1]
    assert codes(out) == ["KBL201"] and ":12: " in out


# --- discovery ----------------------------------------------------------------------------------------------


def test_default_excludes_and_globs(tmp_path):
    for folder in (".git", ".tox", ".venv", "venv", "site-packages", "build", "dist", "node_modules", "__pycache__",
                   "myenv", "src", "src/gen", "third_party"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "m.py").write_text(LEGACY)
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    out = run("check", "-q", "--keras-version", "3", ".", cwd=tmp_path)[1]
    found = sorted({line.split(":")[0] for line in out.splitlines()})
    assert found == ["./src/gen/m.py", "./src/m.py", "./third_party/m.py"]
    out = run("check", "-q", "--keras-version", "3", "--extend-exclude", "third_party,src/gen", ".", cwd=tmp_path)[1]
    assert sorted({line.split(":")[0] for line in out.splitlines()}) == ["./src/m.py"]
    out = run("check", "-q", "--keras-version", "3", "--exclude", "src", ".", cwd=tmp_path)[1]
    paths = {line.split(":")[0] for line in out.splitlines()}
    assert "./build/m.py" in paths and "./src/m.py" not in paths  # --exclude replaces the defaults


def test_explicit_file_in_default_excluded_dir_is_checked(tmp_path):
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "m.py").write_text(LEGACY)
    assert run("check", "-q", "--keras-version", "3", "build/m.py", cwd=tmp_path)[0] == 1


def test_bare_path_means_check(tree):
    assert run("--keras-version", "3", str(tree / "pkg"))[0] == 1
    assert run(str(tree / "pkg" / "clean.py"))[0] == 0


def test_default_path_is_cwd(tree):
    code, out, _ = run("check", "-q", "--keras-version", "3", cwd=tree / "pkg")
    assert code == 1 and out.startswith("./legacy.py:5:12: KBL201")  # like flake8


# --- jobs, progress -----------------------------------------------------------------------------------------


def test_jobs_same_result(tmp_path):
    for i in range(80):
        (tmp_path / f"m{i:03}.py").write_text(LEGACY if i % 3 else CLEAN)
    (tmp_path / "zz_broken.py").write_text("import keras\n(\n")
    serial = run("check", "-q", "--keras-version", "3", "-j", "1", str(tmp_path))
    parallel = run("check", "-q", "--keras-version", "3", "-j", "2", str(tmp_path))
    auto = run("check", "-q", "--keras-version", "3", str(tmp_path))
    assert serial == parallel == auto
    assert serial[1].count("KBL201") == 53 and serial[1].count("E999") == 1


class TTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_only_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "PROGRESS_THRESHOLD", 3)
    for i in range(5):
        (tmp_path / f"m{i}.py").write_text(CLEAN)
    err = TTY()
    cli.main(["check", "--keras-version", "3", str(tmp_path)], stdout=io.StringIO(), stderr=err)
    assert "5/5 files" in err.getvalue()
    assert "files" not in run("check", "--keras-version", "3", str(tmp_path))[2]


# --- config -------------------------------------------------------------------------------------------------


def write_pyproject(folder: Path, body: str) -> None:
    (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.keras-backend-lint]\n" + body)


def test_config_target_select_per_file_ignores(tree):
    write_pyproject(
        tree,
        'keras-version = "2.15"\nextend-select = ["KBL401"]\n'
        '[tool.keras-backend-lint.per-file-ignores]\n"pkg/layer.py" = ["KBL4"]\n',
    )
    code, out, err = run("check", "pkg", cwd=tree)
    assert "target Keras 2.15 (keras-version in " in err and str(tree / "pyproject.toml") in err
    assert code == 0 and out == ""
    code, out, err = run("check", "pkg", "--keras-version", "3", cwd=tree)  # the command line wins
    assert codes(out) == ["KBL201"] and "(--keras-version)" in err


def test_config_found_walking_up_from_first_path(tree):
    write_pyproject(tree, 'keras-version = "3"\nignore = ["KBL2"]\n')
    assert run("check", str(tree / "pkg"))[:2] == (0, "")
    assert run("check", "--isolated", "--keras-version", "3", str(tree / "pkg"))[0] == 1


def test_config_exclude(tree):
    write_pyproject(tree, 'keras-version = "3"\nextend-exclude = ["legacy.py"]\n')
    assert run("check", ".", cwd=tree)[:2] == (0, "")


@pytest.mark.parametrize(
    "body,fragment",
    [
        ('colour = "red"\n', "unknown key"),
        ("select = 3\n", "select must be a list"),
        ('keras-version = "nine"\n', "invalid Keras version"),
        ('select = ["W"]\n', "not a keras-backend-lint code"),
        ("keras-version = [\n", "invalid TOML"),
    ],
)
def test_config_errors_exit_2(tree, body, fragment):
    write_pyproject(tree, body)
    code, out, err = run("check", ".", cwd=tree)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_explicit_config_file(tree, tmp_path_factory):
    other = tmp_path_factory.mktemp("cfg")
    write_pyproject(other, 'keras-version = "2.15"\n')
    assert run("check", "--config", str(other / "pyproject.toml"), str(tree))[0] == 0
    assert run("check", "--config", str(other / "missing.toml"), str(tree))[0] == 2


# --- rules, explain, version, fix ---------------------------------------------------------------------------


def test_rules_table_and_json():
    code, out, _ = run("rules")
    assert code == 0 and len(out.splitlines()) == len(rules.RULES) + 1
    assert "KBL401" in out and " off " in out
    data = json.loads(run("rules", "--format", "json")[1])
    assert [r["code"] for r in data] == [r.code for r in rules.RULES]
    assert set(data[0]) == {"code", "name", "summary", "message", "fix", "default_enabled", "family", "url"}


def test_explain_markdown():
    code, out, _ = run("explain", "--markdown", "KBL201")
    assert code == 0 and out.startswith("# KBL201: backend-attribute-missing")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety"):
        assert section in out
    assert run("explain", "--markdown", "module-through-backend")[1].startswith("# KBL204")
    assert run("explain", "--markdown", "kbl204")[1].startswith("# KBL204")


def test_explain_renders_for_a_terminal():
    code, out, _ = run("explain", "KBL201")
    assert code == 0 and out.startswith("KBL201: backend-attribute-missing\n=====")
    for section in ("What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"):
        assert f"\n{section}\n" + "-" * len(section) + "\n" in out
    assert "<!--" not in out and "](" not in out and "```" not in out and "`" not in out
    # relative links become addresses a pip user can open
    assert "(https://github.com/keras-backend-lint/keras-backend-lint/blob/main/docs/configuration.md)" in out
    assert "\n    from keras import backend as K\n" in out  # code blocks are indented
    assert run("explain", "kbl204")[1].startswith("KBL204: module-through-backend\n")


def test_version():
    code, out, _ = run("--version")
    assert code == 0 and out == f"keras-backend-lint {__version__}\n"


def test_fix_is_registered():
    pytest.importorskip("keras_backend_lint.fix_command")
    code, out, _ = run("fix", "--help")
    assert code == 0 and "usage: keras-backend-lint fix" in out
    assert "fix" in run("--help")[1]


def test_console_script_and_module_and_no_heavy_imports(tree):
    probe = (
        "import sys; from keras_backend_lint.cli import main; code = main(['check', '-q', '--keras-version', '3', "
        f"{str(tree / 'pkg')!r}]); "
        "heavy = [m for m in ('libcst', 'flake8', 'keras', 'tensorflow', 'keras_backend_lint.fixer') "
        "if m in sys.modules]; "
        "print(code, heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "1 []", result.stderr
    result = subprocess.run([sys.executable, "-m", "keras_backend_lint", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("keras-backend-lint ")
