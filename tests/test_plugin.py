"""End-to-end flake8 runs: entry point, --version, noqa, option parsing and config files."""
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT

from keras_backend_lint import __version__

LEGACY = textwrap.dedent(
    """\
    from keras import backend as K


    def loss(y):
        return K.mean(y)
    """
)


def flake8(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path):
    (tmp_path / "legacy.py").write_text(LEGACY)
    return tmp_path


def test_entry_point_is_listed_in_version():
    result = flake8("--version")
    assert result.returncode == 0
    assert f"keras-backend-lint: {__version__}" in result.stdout


def test_reports_with_explicit_target(project):
    result = flake8("--select=KBL", "--keras-version=3", "legacy.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout == (
        "legacy.py:5:12: KBL201 K.mean is not in keras.backend for Keras 3.x (last in 2.15); use keras.ops.mean\n"
    )


def test_no_findings_for_keras_2_15(project):
    result = flake8("--select=KBL", "--keras-version=2.15", "legacy.py", cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_noqa_suppresses(project):
    (project / "legacy.py").write_text(LEGACY.replace("K.mean(y)", "K.mean(y)  # noqa: KBL201"))
    result = flake8("--select=KBL", "--keras-version=3", "legacy.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize(
    "config_name, section", [("setup.cfg", "flake8"), ("tox.ini", "flake8"), (".flake8", "flake8")]
)
def test_target_from_config_file(project, config_name, section):
    (project / config_name).write_text(f"[{section}]\nkeras-version = 2.15\nselect = KBL\n")
    assert flake8("legacy.py", cwd=project).stdout == ""
    (project / config_name).write_text(f"[{section}]\nkeras-version = >=2.12,<3.4\nselect = KBL\n")
    out = flake8("legacy.py", cwd=project).stdout
    assert "for Keras 3.0-3.3 (last in 2.15)" in out


def test_target_from_declared_dependencies(project):
    """Like `keras-backend-lint check`: without --keras-version the project's pins decide (K.mean is in 2.12)."""
    (project / ".git").mkdir()  # the project lookup stops here
    (project / "requirements.txt").write_text("tensorflow==2.12.1\n")
    assert flake8("--select=KBL", "legacy.py", cwd=project).stdout == ""
    (project / "requirements.txt").write_text("tensorflow>=2.16\n")
    out = flake8("--select=KBL", "legacy.py", cwd=project).stdout
    assert "KBL201 K.mean is not in keras.backend for Keras 3.x" in out
    (project / "requirements.txt").write_bytes(b"\xff\xfe garbage ===\n")
    result = flake8("--select=KBL", "legacy.py", cwd=project)
    assert result.returncode in (0, 1) and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["bogus", "3.x", ">=banana", "0.1"])
def test_bad_option_is_a_clear_error(project, value):
    result = flake8("--select=KBL", f"--keras-version={value}", "legacy.py", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "--keras-version" in result.stderr


def test_bad_config_value_is_a_clear_error(project):
    (project / "setup.cfg").write_text("[flake8]\nkeras-version = not-a-version\n")
    result = flake8("--select=KBL", "legacy.py", cwd=project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "not-a-version" in result.stderr


def test_layer_rule_is_off_by_default_and_can_be_enabled(tmp_path):
    (tmp_path / "layer.py").write_text(
        textwrap.dedent(
            """\
            import tensorflow as tf
            import keras


            class Scale(keras.layers.Layer):
                def call(self, x):
                    return tf.reduce_sum(x)
            """
        )
    )
    assert flake8("--keras-version=3", "layer.py", cwd=tmp_path).stdout == ""
    enabled = flake8("--keras-version=3", "--extend-select=KBL401", "layer.py", cwd=tmp_path).stdout
    assert "KBL401 tf.reduce_sum in Scale.call is TensorFlow-specific" in enabled


def test_file_without_keras_is_silent_and_syntax_errors_are_flake8s(tmp_path):
    (tmp_path / "plain.py").write_text("import os\nprint(os.sep)\n")
    (tmp_path / "broken.py").write_text("from keras import backend as K\ndef f(:\n")
    result = flake8("--select=KBL,E999", "--keras-version=3", ".", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert "KBL" not in result.stdout
    assert "E999" in result.stdout


# what a flake8 run imports of ours, in order: the plugin at start-up, the checks with the first file that needs them
_IMPORTS_SEEN = """
import sys
from flake8.main.cli import main
from keras_backend_lint import plugin
found = lambda: sorted(m for m in sys.modules if m.startswith("keras_backend_lint.") or m == "packaging.specifiers")
print("start", *found())
try:
    main(["--isolated", "-j1", *sys.argv[1:]])
except SystemExit:
    pass
print("after", *found())
"""


@pytest.mark.parametrize("keras", [False, True])
@pytest.mark.parametrize("option", [True, False])
def test_the_checks_are_imported_by_the_first_file_that_needs_them(tmp_path, keras, option):
    """flake8 imports the plugin in every run (an editor: one run per save). Until a file mentions keras, the run
    pays only for the options, the fast path and an explicit target: not for the checks, the walk and their tables,
    nor, without --keras-version, for reading the project's dependency files."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["keras==2.15.0"]\n')
    path = tmp_path / "tool.py"
    path.write_text(LEGACY if keras else "import os\n\n\nprint(os.sep)\n")
    args = ["--keras-version=3"] if option else []
    result = subprocess.run([sys.executable, "-c", _IMPORTS_SEEN, *args, str(path)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert "Traceback" not in result.stderr
    lines = {line.split()[0]: set(line.split()[1:]) for line in result.stdout.splitlines()
             if line.startswith(("start", "after"))}
    heavy = {"keras_backend_lint.engine", "keras_backend_lint.walk", "keras_backend_lint.checks",
             "keras_backend_lint.replacements", "keras_backend_lint.bindings", "packaging.specifiers",
             "keras_backend_lint.deps"}
    assert "keras_backend_lint.plugin" in lines["start"] and not heavy & lines["start"]
    if keras:
        # K.mean: in Keras 2.15 (the pin, read only now), gone in 3
        assert ("KBL201" in result.stdout) == option
        assert {"keras_backend_lint.engine", "keras_backend_lint.checks"} <= lines["after"]
        assert ("keras_backend_lint.deps" in lines["after"]) != option
    else:
        assert not heavy & lines["after"]


def test_bundled_example_has_real_findings():
    result = flake8("--select=KBL", "--keras-version=3", "examples/legacy_keras", cwd=ROOT)
    assert result.returncode == 1
    codes = {line.split()[1] for line in result.stdout.splitlines()}
    assert {"KBL101", "KBL201", "KBL301", "KBL302"} <= codes
