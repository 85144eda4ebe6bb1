"""A notebook made from a Python file (tools/make_notebooks.py: cells split at top-level statements, markdown and
magics mixed in) gives the file's findings mapped to cells, and ``fix`` gives the file's fixed code.

The inputs are every committed check and fix fixture; benchmarks/notebooks.py runs the same comparison over the
downloaded corpus.
"""
import re
import sys

import pytest
from conftest import FIXTURES, ROOT

from keras_backend_lint import notebook_commands, rules
from keras_backend_lint.cli import check_text
from keras_backend_lint.engine import Settings
from keras_backend_lint.fixer import fix_source
from keras_backend_lint.notebook import read_bytes
from keras_backend_lint.sourcefile import read
from keras_backend_lint.versions import parse_target

sys.path.insert(0, str(ROOT / "tools"))
import make_notebooks  # noqa: E402

nbformat = pytest.importorskip("nbformat")  # in the test extra

SOURCES = sorted(FIXTURES.glob("check/*.py")) + sorted(
    p for p in FIXTURES.glob("fix/*.py") if not p.name.endswith(".fixed.py"))
ALL = frozenset(r.code for r in rules.RULES)
VARIANTS = [(0, False), (1, False), (2, True)]  # (seed, source as one string)


def _settings(text):
    match = re.search(r"^#\s*keras-version:\s*(.+?)\s*$", text, re.M)
    return Settings(parse_target(match.group(1) if match else "3"), codes=ALL)


def _notebook(path, seed, as_string):
    text = read(str(path)).text
    layout = make_notebooks.make_notebook(text, seed, as_string=as_string)
    document = make_notebooks.dumps(layout.notebook)
    return text, layout, document


@pytest.mark.parametrize("seed,as_string", VARIANTS)
@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_findings_equal_the_file_findings_mapped_to_cells(path, seed, as_string):
    text, layout, document = _notebook(path, seed, as_string)
    settings = _settings(text)
    found, errors = check_text(str(path), text, settings, ALL)
    assert not errors

    def cell_message(message):  # "(line 3)" in a file is "(cell 4, line 1)" in the notebook
        return re.sub(r"\(line (\d+)\)", lambda m: "(cell {}, line {})".format(*layout.lines[int(m.group(1))]),
                      message)

    expected = sorted((*layout.lines[f.line], f.column, f.code, cell_message(f.message)) for f in found)
    nb = read_bytes(document.encode("utf-8"))
    got, nb_errors = notebook_commands.check_notebook("nb.ipynb", nb, settings, ALL)
    assert not nb_errors
    assert sorted((f.cell, f.line, f.column, f.code, f.message) for f in got) == expected


def _code_lines(text):
    """Code lines without blank lines and with imports apart: a new import may sit in another place."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    imports = sorted(line for line in lines if line.startswith(("import ", "from ")))
    return [line for line in lines if not line.startswith(("import ", "from "))], imports


@pytest.mark.parametrize("seed,as_string", VARIANTS)
@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_fix_gives_the_file_fix_and_a_valid_notebook(path, seed, as_string, tmp_path):
    text, layout, document = _notebook(path, seed, as_string)
    settings = _settings(text)
    fixed_file = fix_source(text, settings)
    target = tmp_path / "nb.ipynb"
    target.write_text(document, "utf-8")
    import io

    changed, problems = notebook_commands.fix_path(str(target), settings, io.StringIO(), io.StringIO())
    assert problems == 0
    assert changed == (fixed_file != text)
    result = target.read_text("utf-8")
    nbformat.validate(nbformat.reads(result, as_version=nbformat.NO_CONVERT))
    notebook = nbformat.reads(result, as_version=nbformat.NO_CONVERT)
    code = []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code" or number == 2:  # cell 2 holds only magics
            continue
        source = cell.source
        if layout.prefixed.get(number):
            source = source.split("\n", 1)[1] if "\n" in source else ""
        code.append(source if source.endswith("\n") else source + "\n")
    assert _code_lines("".join(code)) == _code_lines(fixed_file)
    again, _ = notebook_commands.fix_path(str(target), settings, io.StringIO(), io.StringIO())
    assert not again, "fixing a fixed notebook changes nothing"


def test_the_notebook_benchmark_runs_on_a_tiny_folder(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import notebooks as bench

    for path in SOURCES[:3]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    assert bench.main(["--root", str(tmp_path), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PASS  3 files") and "check  .py" in out and "fix    .py" in out
