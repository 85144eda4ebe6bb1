"""The CLI and the flake8 plugin report the same (path, line, col, code, message) on the same files."""
import io
import subprocess
import sys
from collections import defaultdict

import pytest
from conftest import FIXTURES, ROOT
from fixture_format import fixtures, target_of

from keras_backend_lint import cli

CHECK = fixtures(FIXTURES / "check")


def parse(lines):
    out = set()
    for line in lines.splitlines():
        path, row, col, rest = line.split(":", 3)
        code, message = rest.strip().split(" ", 1)
        out.add((path[2:] if path.startswith("./") else path, int(row), int(col), code, message))
    return out


def flake8(files, target, extra=()):
    pytest.importorskip("flake8")
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select=KBL", f"--keras-version={target}", *extra, *files],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode in (0, 1), result.stderr
    return parse(result.stdout)


def ours(files, target, extra=()):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["check", "--isolated", "-q", "--select", "KBL", "--keras-version", target, *extra, *files],
                    stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    return parse(out.getvalue())


def by_target():
    groups = defaultdict(list)
    for path in CHECK:
        groups[target_of(path.read_text("utf-8"))].append(str(path.relative_to(ROOT)))
    return sorted(groups.items())


@pytest.mark.parametrize("target,files", by_target(), ids=[t for t, _ in by_target()])
def test_fixtures_same_findings(target, files):
    expected = flake8(files, target)
    assert ours(files, target) == expected
    assert ours(files, target, ("-j", "2")) == expected


@pytest.mark.parametrize("target", ["3", "2.15", ">=2.12,<3.4", "2.2.4"])
def test_bundled_example_same_findings(target):
    folder = "examples/legacy_keras"
    expected = flake8([folder], target)
    assert expected or target == "2.2.4"
    assert ours([folder], target) == expected


def test_fixture_folder_is_used():
    assert CHECK, "tests/fixtures/check has no fixtures"
