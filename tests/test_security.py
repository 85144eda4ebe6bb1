"""The tool never imports or executes the code it checks, and never imports Keras or TensorFlow at lint time.

Each run happens in a fresh interpreter (keras is installed in the test environment, so a clean ``sys.modules`` is
the only honest baseline). The linted project imports keras and tensorflow and has modules whose import writes a
marker file; after a CLI check, a flake8 run (through flake8's own API, with the plugin loaded) and a fix run, none
of those modules may be in ``sys.modules`` and no marker may exist.
"""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

FORBIDDEN = ("keras", "tensorflow", "tf_keras", "jax", "torch", "theano", "evil", "evilpkg", "project_mod",
             "conftest", "setup")


def _side_effect(marker: Path, name: str) -> str:
    return (
        f"open({str(marker / name)!r}, 'w').write('imported')\n"
        "import os\n"
        f"os.system('touch {marker / (name + '_shell')}')\n"
    )


@pytest.fixture
def project(tmp_path):
    marker = tmp_path / "markers"
    marker.mkdir()
    src = tmp_path / "proj"
    (src / "evilpkg").mkdir(parents=True)
    (src / "evil.py").write_text(_side_effect(marker, "evil") + "from keras import backend as K\nK.mean(1)\n")
    (src / "evilpkg" / "__init__.py").write_text(_side_effect(marker, "evilpkg"))
    (src / "conftest.py").write_text(_side_effect(marker, "conftest") + "import keras\n")
    (src / "setup.py").write_text(_side_effect(marker, "setup") + "import tensorflow as tf\n")
    (src / "project_mod.py").write_text(
        "import evil\nimport evilpkg\nfrom . import evil as e2\n"
        "import keras\nimport tensorflow as tf\nfrom keras import backend as K\n"
        "import tensorflow.keras.backend as TB\n__import__('evil')\nimportlib = __import__('importlib')\n"
        "importlib.import_module('evilpkg')\nexec(open('evil.py').read())\n"
        "K.mean(1)\nK.tf\nTB.get_session()\nK.set_image_dim_ordering('th')\n"
        "import os\nos.environ['KERAS_BACKEND'] = 'theano'\n"
        f"open({str(marker / 'project_mod')!r}, 'w').write('imported')\n"
    )
    (src / "pyproject.toml").write_text('[tool.keras-backend-lint]\nkeras-version = "3"\n')
    (src / "keras.py").write_text(_side_effect(marker, "local_keras"))  # a module shadowing keras in the project
    return src, marker


SCRIPT = textwrap.dedent(
    """
    import io, json, os, shutil, sys
    src, mode = sys.argv[1], sys.argv[2]
    os.chdir(src)  # a project whose own modules are importable from the working directory
    before = set(sys.modules)
    out, err = io.StringIO(), io.StringIO()
    if mode == "cli":
        from keras_backend_lint.cli import main
        code = main(["check", "--keras-version", "3", src], stdout=out, stderr=err)
    elif mode == "flake8":
        from flake8.main.cli import main
        report = os.path.join(sys.argv[3], "flake8.txt")
        code = main(["--isolated", "--select=KBL", "--keras-version=3", "-j1", "--output-file", report, src])
        out.write(open(report).read())
    elif mode == "fix":
        from keras_backend_lint.cli import main
        code = main(["fix", "--keras-version", "3", src], stdout=out, stderr=err)
    elif mode == "engine":
        from keras_backend_lint.engine import check_source, default_settings
        from keras_backend_lint.fixer import fix_source
        code = 0
        settings = default_settings()  # resolves the installed keras from metadata only
        for name in sorted(os.listdir(src)):
            if name.endswith(".py"):
                text = open(os.path.join(src, name)).read()
                check_source(text, settings)
                fix_source(text, settings, unsafe=True)
    new = sorted(set(sys.modules) - before)
    report = {"code": code, "new": new, "all": sorted(sys.modules), "out": out.getvalue(), "err": err.getvalue()}
    print(json.dumps(report))
    """
)


@pytest.mark.parametrize("mode", ["cli", "flake8", "fix", "engine"])
def test_nothing_of_the_linted_code_or_keras_is_imported(project, mode, tmp_path):
    src, marker = project
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(src), mode, str(tmp_path)],
        capture_output=True, text=True, timeout=180, cwd=str(src),
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KERAS_BACKEND": "numpy"},
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    loaded = [m for m in result["all"] if m.split(".")[0] in FORBIDDEN]
    assert loaded == [], f"{mode} imported {loaded}"
    assert sorted(p.name for p in marker.iterdir()) == [], "code from the linted project was executed"
    assert "keras_backend_lint.engine" in result["new"] or mode == "flake8" and "keras_backend_lint.plugin" in result[
        "new"], "the measurement itself must see our own modules load"
    if mode == "cli":  # the check path stays light: neither libcst nor flake8
        assert not [m for m in result["new"] if m.split(".")[0] in ("libcst", "flake8")]
    if mode in ("cli", "flake8"):
        assert "KBL201" in result["out"] and "project_mod.py" in result["out"], result
    if mode == "fix":
        assert result["code"] == 1 and "fixed" in result["err"]
