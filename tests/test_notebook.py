"""Notebooks: reading (nbformat 3 and 4.0-4.5, list or string sources), IPython masking, positions mapped to cells,
and ``fix`` writing back only the changed cells' ``source`` (every other byte kept; the result validates)."""
import io
import json
import shutil

import pytest
from conftest import FIXTURES

from keras_backend_lint import notebook_commands, rules
from keras_backend_lint.engine import Settings
from keras_backend_lint.fixer import fix_source
from keras_backend_lint.notebook import BOUNDARY, NotebookError, code_sources, mask_cell, read_bytes
from keras_backend_lint.notebook_json import render
from keras_backend_lint.versions import parse_target

nbformat = pytest.importorskip("nbformat")  # in the test extra

NOTEBOOKS = FIXTURES / "notebooks"
ALL = frozenset(r.code for r in rules.RULES)
SETTINGS = Settings(parse_target("3"), codes=ALL)

#: (cell, line, column, code) per fixture: reviewed by hand against the cells in tools/make_notebook_fixtures.py
EXPECTED = {
    "magics.ipynb": [(3, 4, 5, "KBL201"), (4, 2, 5, "KBL201"), (6, 4, 5, "KBL201"), (7, 4, 9, "KBL201"),
                     (8, 5, 5, "KBL201"), (9, 7, 5, "KBL201"), (10, 3, 5, "KBL201")],
    "broken_cell.ipynb": [(2, 1, 7, "E999"), (3, 1, 9, "E999"), (4, 1, 4, "E999"), (5, 1, 5, "KBL201")],
    "empty.ipynb": [],
    "markdown_only.ipynb": [],
    "outputs_widgets.ipynb": [(4, 1, 5, "KBL201"), (5, 2, 10, "KBL201")],
    # columns are flake8's (UTF-8 bytes + 1) like for a .py file
    "non_ascii.ipynb": [(3, 1, 24, "KBL201"), (3, 2, 10, "KBL201"), (3, 3, 25, "KBL201")],
    "non_ascii_escaped.ipynb": [(3, 1, 24, "KBL201"), (3, 2, 10, "KBL201"), (3, 3, 25, "KBL201")],
    "string_source.ipynb": [(2, 1, 5, "KBL201")],
    "v3.ipynb": [(4, 1, 5, "KBL201")],
    **{f"v4_{minor}.ipynb": [(3, 1, 5, "KBL201")] for minor in range(6)},
}


def check(name):
    found, errors = notebook_commands.check_path(str(NOTEBOOKS / name), SETTINGS, ALL)
    return sorted([(f.cell, f.line, f.column, f.code) for f in found] + [(e.cell, e.line, e.column, e.code)
                                                                         for e in errors])


def test_every_fixture_is_listed():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings(name):
    assert check(name) == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixtures_are_valid_notebooks(name):
    text = (NOTEBOOKS / name).read_text("utf-8")
    nbformat.validate(nbformat.reads(text, as_version=4))


def test_broken_cells_are_reported_with_their_message():
    found, errors = notebook_commands.check_path(str(NOTEBOOKS / "broken_cell.ipynb"), SETTINGS, ALL)
    assert [e.message for e in errors][:2] == [
        "SyntaxError: invalid syntax",
        "IndentationError: expected an indented block after 'if' statement on line 1",
    ]
    assert all(e.file_line > 1 for e in errors)


def _splice_back(original: str, fixed: str) -> str:
    """``fixed`` with every code cell's ``source`` text replaced by the original's: must give ``original``."""
    before = read_bytes(original.encode("utf-8"))
    after = read_bytes(fixed.encode("utf-8"))
    before.locate()
    after.locate()
    out, at = [], 0
    for old, new in zip(before.cells, after.cells):
        out.append(after.text[at:new.span.start])
        out.append(before.text[old.span.start:old.span.end])
        at = new.span.end
    out.append(after.text[at:])
    return "".join(out)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fix_changes_only_sources_and_stays_valid(name, tmp_path):
    path = tmp_path / name
    shutil.copy(NOTEBOOKS / name, path)
    original = path.read_bytes()
    changed, problems = notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    fixed = path.read_bytes()
    assert changed == (fixed != original) == any(c[3].startswith("KBL") for c in EXPECTED[name])
    assert problems == (3 if name == "broken_cell.ipynb" else 0)
    assert _splice_back(original.decode("utf-8"), fixed.decode("utf-8")).encode("utf-8") == original
    nbformat.validate(nbformat.reads(fixed.decode("utf-8"), as_version=4))
    if name != "v3.ipynb":
        nbformat.validate(nbformat.reads(fixed.decode("utf-8"), as_version=nbformat.NO_CONVERT))
    assert notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO()) == (False, problems)


def _cells(path):
    return [c for c in json.loads(path.read_text("utf-8"))["cells"] if c["cell_type"] == "code"]


def test_fix_keeps_magics_and_rewrites_around_them(tmp_path):
    path = tmp_path / "magics.ipynb"
    shutil.copy(NOTEBOOKS / "magics.ipynb", path)
    notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    sources = ["".join(c["source"]) for c in _cells(path)]
    assert sources[0] == "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\nimport numpy as np\n" \
                         "from keras import ops"
    assert sources[1] == "!pip install -q keras\nfiles = !ls\nt = %timeit -o np.ones(3)\na = ops.mean(np.ones(3))"
    assert sources[3] == "%%bash\necho K.mean(\n"  # not Python: untouched
    assert sources[5].startswith("for i in range(2):\n    !echo $i\n    %time z = K.sum(np.ones(3))\n")


def test_string_source_stays_a_string_and_crlf_json_stays_crlf(tmp_path):
    path = tmp_path / "s.ipynb"
    shutil.copy(NOTEBOOKS / "string_source.ipynb", path)
    notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")
    cells = _cells(path)
    assert cells[1]["source"] == "x = ops.mean(np.ones(3))\ny = K.floatx()"
    assert cells[0]["source"] == "from keras import backend as K\nfrom keras import ops\nimport numpy as np\n"


def test_ascii_escaped_notebook_stays_ascii(tmp_path):
    path = tmp_path / "e.ipynb"
    shutil.copy(NOTEBOOKS / "non_ascii_escaped.ipynb", path)
    notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    raw = path.read_bytes()
    assert raw.isascii() and b"\\u00e9tiquette = '\\u00e9'; x = ops.mean" in raw


def test_new_import_goes_to_the_cell_of_the_keras_import(tmp_path):
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["import numpy as np\n", "from keras import backend as K"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["import os\n", "import sys"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["x = K.mean(np.ones(3))\n", "y = K.floatx()"]},
    ]
    path = tmp_path / "imports.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}, indent=1))
    notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    sources = ["".join(c["source"]) for c in _cells(path)]
    assert sources == [
        "import numpy as np\nfrom keras import backend as K\nfrom keras import ops",
        "import os\nimport sys",
        "x = ops.mean(np.ones(3))\ny = K.floatx()",
    ]


def test_new_import_moves_down_to_a_later_keras_import_cell(tmp_path):
    cells = [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["import numpy as np\n", "print(np.pi)"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["Now Keras"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["from keras import backend as K\n", "x = K.mean(np.ones(3))\n", "y = K.floatx()\n"]},
    ]
    path = tmp_path / "later.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 2}))
    notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO())
    sources = ["".join(c["source"]) for c in _cells(path)]
    assert sources == [
        "import numpy as np\nprint(np.pi)",
        "from keras import backend as K\nfrom keras import ops\nx = ops.mean(np.ones(3))\ny = K.floatx()\n",
    ]


def test_diff_is_per_cell_and_writes_nothing(tmp_path):
    path = tmp_path / "v.ipynb"
    shutil.copy(NOTEBOOKS / "v4_5.ipynb", path)
    before = path.read_bytes()
    out = io.StringIO()
    assert notebook_commands.fix_path(str(path), SETTINGS, out, io.StringIO(), diff=True) == (True, 0)
    assert path.read_bytes() == before
    assert out.getvalue() == (
        f"--- {path}:cell 1\n+++ {path}:cell 1\n@@ -1,2 +1,3 @@\n from keras import backend as K\n"
        "+from keras import ops\n import numpy as np\n"
        f"--- {path}:cell 3\n+++ {path}:cell 3\n@@ -1,2 +1,2 @@\n-x = K.mean(np.ones(3))\n+x = ops.mean(np.ones(3))\n"
        " y = K.floatx()\n\\ No newline at end of cell\n"
    )


def test_noqa_works_per_cell_line():
    cells = [["from keras import backend as K\n", "import numpy as np"],
             ["a = K.mean(np.ones(3))  # noqa: KBL201\n", "b = K.sum(np.ones(3))"],
             ["c = K.max(np.ones(3))  # noqa"]]
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
                     for s in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    nb = read_bytes(json.dumps(doc).encode())
    found, _ = notebook_commands.check_notebook("n.ipynb", nb, SETTINGS, ALL)
    assert [(f.cell, f.line, f.code) for f in found] == [(2, 2, "KBL201")]


@pytest.mark.parametrize("lines,masked", [
    (["%matplotlib inline\n", "x = 1\n"], ["\n", "x = 1\n"]),
    (["!pip install keras\n"], ["\n"]),
    (["files = !ls\n", "t = %timeit -o f()\n"], ["\n", "\n"]),
    (["np.zeros?\n", "??np.ones\n", "f??\n"], ["\n", "\n", "\n"]),
    (["get_ipython().system('ls')\n"], ["\n"]),
    (["/print 1\n", ",f a b\n", ";f a b\n"], ["\n", "\n", "\n"]),
    (["%%bash\n", "echo hi\n", "ls"], ["\n", "\n", ""]),
    (["%%time\n", "x = 1\n"], ["\n", "x = 1\n"]),
    (["\n", "%%capture out\n", "!ls\n", "y = 2\n"], ["\n", "\n", "\n", "y = 2\n"]),
    (["for i in x:\n", "    !echo $i\n"], ["for i in x:\n", "    pass\n"]),
    (["!ls \\\n", "  -la\n", "x = 1\n"], ["\n", "\n", "x = 1\n"]),
    # not IPython: continuation lines and strings that look like it
    (['s = ("%d"\n', "     % 3)\n"], ['s = ("%d"\n', "     % 3)\n"]),
    (['s = """\n', "%not\n", "!nor\n", '"""\n'], ['s = """\n', "%not\n", "!nor\n", '"""\n']),
    (["x = (1\n", "     / 2)\n", "# why?\n"], ["x = (1\n", "     / 2)\n", "# why?\n"]),
    (["x = 1 if a != b else 2\n"], ["x = 1 if a != b else 2\n"]),
    (["y = 'it''s' \\\n", "    % 3\n"], ["y = 'it''s' \\\n", "    % 3\n"]),
])
def test_masking(lines, masked):
    assert mask_cell(lines) == masked


@pytest.mark.parametrize("text,message", [
    (b"", "empty file"),
    (b"{not json", "invalid JSON: Expecting property name enclosed in double quotes (line 1 column 2)"),
    (b"[1, 2]", "not a notebook: the top level is not a JSON object"),
    (b'{"metadata": {}}', "not a notebook: no 'cells' list"),
    (b'{"cells": [], "nbformat": 5}', "unsupported nbformat 5 (3 and 4 are read)"),
    (b'{"cells": {}, "nbformat": 4}', "not a notebook: 'cells' is not a list"),
    (b'{"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4}',
     "cell 1: 'source' is not a string or a list of strings"),
    (b'{"cells": [], "nbformat": 4} trailing', "invalid JSON: Extra data (line 1 column 30)"),
    (b'{"cells": [], "metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON too deeply nested"),
    (b'{"cells": []}\xff', "not UTF-8"),
    (b'{"cells": [1], "nbformat": 4}', "cell 1: not a JSON object"),
])
def test_unreadable_notebooks_raise_one_line(text, message):
    with pytest.raises(NotebookError) as info:
        read_bytes(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_the_boundary_line_does_not_spell_keras():
    assert "keras" not in BOUNDARY.lower() and BOUNDARY.startswith("#")


def test_a_fix_that_cannot_be_mapped_back_writes_nothing(tmp_path):
    cells = [["from keras import backend as K\n", BOUNDARY, "x = K.mean(1)"]]  # a user line equal to our boundary
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
                     for s in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    err = io.StringIO()
    assert notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), err) == (False, 1)
    assert err.getvalue() == f"{path}: not fixed: the fix could not be mapped back to the cells\n"
    assert path.read_bytes() == before


def test_a_masked_line_next_to_a_removed_import_comes_back(tmp_path):
    cells = [["import numpy as np"],
             ["%matplotlib inline\n", "from keras import backend as K\n", "\n", "\n",
              "y = 1 if K.backend() == 'cntk' else 2"]]
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": s}
                     for s in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "m.ipynb"
    path.write_text(json.dumps(doc))
    assert notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), io.StringIO()) == (True, 0)
    source = "".join(_cells(path)[1]["source"])
    assert source.startswith("%matplotlib inline\n") and "K." not in source and "from keras" not in source


def test_odd_worksheets_read_as_a_notebook_without_cells():
    assert read_bytes(b'{"worksheets": [{"cells": 3}, 7], "nbformat": 3}').cells == []


def _json_values():
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(["cells", "source", "cell_type", "nbformat", "input",
                                                           "worksheets", "x"]), inner, max_size=4), max_leaves=12)


def test_any_json_reads_as_a_notebook_or_one_line_error():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    cell_types = st.sampled_from(["code", "markdown", 3])
    pieces = st.sampled_from(["from keras import backend as K\n", "x = K.mean(1)\n", "%time x\n", "if x:\n",
                              "    !ls\n", "np.zeros?\n", "%%bash\n", 's = """\n', "K.tf\n", ""]) | st.text(max_size=8)
    lines = st.lists(pieces, max_size=5)
    sources = st.one_of(lines, lines.map("".join), _json_values())
    cells = st.lists(st.fixed_dictionaries({"cell_type": cell_types, "source": sources}), max_size=4)
    documents = st.one_of(_json_values(), st.fixed_dictionaries({"cells": cells, "nbformat": st.sampled_from([4, 3])}))

    @settings(max_examples=300, deadline=None)
    @given(documents)
    def run(document):
        raw = json.dumps(document).encode()
        try:
            nb = read_bytes(raw)
        except NotebookError as exc:
            assert "\n" not in str(exc)
            return
        notebook_commands.check_notebook("h.ipynb", nb, SETTINGS, ALL)
        nb.locate()
        try:
            sources = notebook_commands.new_sources(nb, fix_source(nb.module, SETTINGS))
        except NotebookError:
            return  # reported and not written
        text = render(nb, sources)
        assert code_sources(text) == [sources.get(i, cell.source) for i, cell in enumerate(nb.cells)]
        json.loads(text)

    run()


def test_a_fix_that_would_drop_an_indented_ipython_line_is_refused(tmp_path):
    source = ["from keras import backend as K\n", "if K.backend() == 'theano':\n", "    !pip install theano\n",
              "    x = 1\n", "y = K.mean(1)"]
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}],
           "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "dead.ipynb"
    path.write_text(json.dumps(doc))
    before = path.read_bytes()
    err = io.StringIO()
    assert notebook_commands.fix_path(str(path), SETTINGS, io.StringIO(), err) == (False, 1)
    assert err.getvalue() == f"{path}: not fixed: the fix touched an IPython line\n"
    assert path.read_bytes() == before
