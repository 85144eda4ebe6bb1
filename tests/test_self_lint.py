"""Our own code passes flake8 with the project's configuration (tox.ini [flake8]), as tox -e lint checks."""
import subprocess
import sys

from conftest import ROOT


def test_flake8_clean():
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "keras_backend_lint", "tests", "tools", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
