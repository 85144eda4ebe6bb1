"""``check`` and ``fix`` on notebooks through the CLI: discovery, output formats, configuration, hostile files."""
import io
import json
import os
import shutil

import pytest
from conftest import FIXTURES, ROOT

from keras_backend_lint import cli, notebook, notebook_commands

NOTEBOOKS = FIXTURES / "notebooks"
LEGACY_CELLS = [["from keras import backend as K\n", "import numpy as np"], ["x = K.mean(np.ones(3))"]]


def make(path, cells=LEGACY_CELLS, outputs=None, metadata=None):
    doc = {"cells": [{"cell_type": "code", "execution_count": None, "metadata": {},
                      "outputs": (outputs or []) if i == len(cells) - 1 else [], "source": s}
                     for i, s in enumerate(cells)],
           "metadata": metadata or {}, "nbformat": 4, "nbformat_minor": 4}
    path.write_text(json.dumps(doc, indent=1) + "\n", "utf-8")
    return path


def run(*argv, cwd=None):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main([*argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_check_finds_notebooks_and_skips_checkpoints(tmp_path):
    make(tmp_path / "nb.ipynb")
    make(tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb") if (tmp_path / ".ipynb_checkpoints").mkdir() \
        is None else None
    (tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.py").write_text("from keras import backend as K\nK.mean(1)\n")
    code, out, _ = run("check", "-q", "--keras-version", "3", str(tmp_path))
    assert code == 1
    assert out == (f"{tmp_path / 'nb.ipynb'}:cell 2:1:5: KBL201 K.mean is not in keras.backend for Keras 3.x "
                   "(last in 2.15); use keras.ops.mean\n")


def test_stdin_with_a_notebook_name_reads_json(tmp_path):
    path = make(tmp_path / "nb.ipynb")
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["check", "-q", "--keras-version", "3", "--stdin-filename", "x/nb.ipynb", "-"], stdout=out,
                    stderr=err, stdin=io.BytesIO(path.read_bytes()))
    assert (code, out.getvalue()) == (1, "x/nb.ipynb:cell 2:1:5: KBL201 K.mean is not in keras.backend for Keras "
                                         "3.x (last in 2.15); use keras.ops.mean\n")
    out = io.StringIO()
    cli.main(["check", "-q", "--stdin-filename", "nb.ipynb", "-"], stdout=out, stderr=err, stdin=io.BytesIO(b"{"))
    assert out.getvalue().startswith("nb.ipynb:1:1: E902 cannot read notebook: invalid JSON")


def test_extend_exclude_and_per_file_ignores_apply(tmp_path):
    make(tmp_path / "nb.ipynb")
    assert run("check", "-q", "--keras-version", "3", "--extend-exclude", "*.ipynb", str(tmp_path))[:2] == (0, "")
    code, out, _ = run("check", "-q", "--keras-version", "3", "--per-file-ignores", "*.ipynb:KBL201", str(tmp_path))
    assert (code, out) == (0, "")
    (tmp_path / "pyproject.toml").write_text('[tool.keras-backend-lint]\nkeras-version = "3"\n'
                                             '[tool.keras-backend-lint.per-file-ignores]\n"nb.ipynb" = ["KBL2"]\n')
    assert run("check", "-q", str(tmp_path / "nb.ipynb"))[:2] == (0, "")


def test_json_has_a_cell_field(tmp_path):
    make(tmp_path / "nb.ipynb")
    code, out, _ = run("check", "--format", "json", "--keras-version", "3", str(tmp_path / "nb.ipynb"))
    finding = json.loads(out)["findings"][0]
    assert list(finding)[:4] == ["path", "cell", "line", "column"]
    assert (finding["cell"], finding["line"], finding["column"]) == (2, 1, 5)


def test_sarif_points_at_the_notebook_line_and_validates(tmp_path):
    from test_output import validate

    make(tmp_path / "nb.ipynb")
    code, out, _ = run("check", "--format", "sarif", "--keras-version", "3", str(tmp_path / "nb.ipynb"))
    doc = json.loads(out)
    validate(doc)
    result = doc["runs"][0]["results"][0]
    line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
    assert '"x = K.mean(np.ones(3))"' in (tmp_path / "nb.ipynb").read_text().splitlines()[line - 1]
    assert result["properties"] == {"fix": "safe", "cell": 2, "cellLine": 1, "cellColumn": 5}


def test_github_annotation_names_the_cell(tmp_path):
    make(tmp_path / "nb.ipynb")
    _, out, _ = run("check", "--format", "github", "--keras-version", "3", str(tmp_path / "nb.ipynb"))
    line = (tmp_path / "nb.ipynb").read_text().splitlines().index('    "x = K.mean(np.ones(3))"') + 1
    assert f",line={line}::cell 2:1:5: KBL201 K.mean is not in keras.backend" in out


def test_fix_command_rewrites_notebooks_and_skips_checkpoints(tmp_path):
    path = make(tmp_path / "nb.ipynb")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    checkpoint = make(tmp_path / ".ipynb_checkpoints" / "nb-checkpoint.ipynb")
    before = checkpoint.read_bytes()
    code, _, err = run("fix", "--keras-version", "3", str(tmp_path))
    assert code == 1 and f"fixed {path}" in err.splitlines()
    assert "rewrote 1 file(s), fixed 1 finding(s), 0 left, 0 file(s) skipped" in err
    assert json.loads(path.read_text())["cells"][1]["source"] == ["x = ops.mean(np.ones(3))"]
    assert checkpoint.read_bytes() == before
    assert run("fix", "--keras-version", "3", str(tmp_path))[0] == 0


def test_fix_refuses_a_notebook_changed_on_disk(tmp_path, monkeypatch):
    path = make(tmp_path / "nb.ipynb")
    real_load = notebook_commands.load

    def load_then_edit(p):
        loaded = real_load(p)
        with open(p, "a") as handle:
            handle.write(" ")
        return loaded

    monkeypatch.setattr(notebook_commands, "load", load_then_edit)
    err = io.StringIO()
    assert notebook_commands.fix_path(str(path), _settings(), io.StringIO(), err) == (False, 1)
    assert "changed on disk" in err.getvalue()
    assert "K.mean" in path.read_text()


def _settings():
    from keras_backend_lint.engine import default_settings
    from keras_backend_lint.versions import parse_target

    return default_settings(parse_target("3"))


def _hostile(folder):
    folder.mkdir()
    (folder / "invalid.ipynb").write_text('{"cells": [')
    (folder / "list.ipynb").write_text("[1, 2, 3]\n")
    (folder / "nocells.ipynb").write_text('{"metadata": {}, "nbformat": 4}')
    (folder / "deep.ipynb").write_text('{"cells": [], "metadata": ' + "[" * 50_000 + "]" * 50_000 + "}")
    (folder / "latin1.ipynb").write_bytes(b'{"cells": [], "metadata": {"a": "\xe9"}}')
    return sorted(p.name for p in folder.iterdir())


def test_hostile_notebooks_give_one_line_each_and_the_run_goes_on(tmp_path):
    names = _hostile(tmp_path / "bad")
    good = make(tmp_path / "good.ipynb")
    before = {p: p.read_bytes() for p in (tmp_path / "bad").iterdir()}
    code, out, _ = run("check", "-q", "--keras-version", "3", str(tmp_path))
    lines = out.splitlines()
    assert code == 1 and len(lines) == len(names) + 1
    for name, line in zip(names, lines):
        assert line.startswith(f"{tmp_path / 'bad' / name}:1:1: E902 cannot read notebook: "), line
    assert lines[-1].startswith(f"{good}:cell 2:1:5: KBL201")
    code, _, err = run("fix", "-q", "--keras-version", "3", str(tmp_path))
    assert code == 1
    skipped = [line for line in err.splitlines() if "cannot read notebook" in line]
    assert len(skipped) == len(names), err  # -q: only what went wrong, one line per notebook
    assert "E902" not in good.read_text() and "ops.mean" in good.read_text()
    assert all(p.read_bytes() == data for p, data in before.items())


def test_a_50_mb_notebook_of_outputs_is_one_line_and_the_run_goes_on(tmp_path):
    blob = "A" * (1 << 20)
    outputs = [{"data": {"image/png": blob, "text/plain": ["<Figure>"]}, "metadata": {},
                "output_type": "display_data"} for _ in range(50)]
    path = make(tmp_path / "big.ipynb", outputs=outputs)
    small = make(tmp_path / "small.ipynb")
    before = path.read_bytes()
    assert len(before) > 50 << 20
    code, out, _ = run("check", "-q", "--keras-version", "3", str(tmp_path))
    lines = out.splitlines()
    assert code == 1 and len([line for line in lines if "big.ipynb" in line]) == 1
    assert "E902 cannot read notebook: notebook is 5" in out and "clear its outputs" in out
    assert any(line.startswith(f"{small}:cell 2:1:5: KBL201") for line in lines)
    assert run("fix", "--keras-version", "3", str(tmp_path))[0] == 1
    assert path.read_bytes() == before and "ops.mean" in small.read_text()


def test_a_notebook_over_the_size_limit_is_one_error_and_never_written(tmp_path, monkeypatch):
    monkeypatch.setattr(notebook, "MAX_BYTES", 1 << 20)
    output = {"name": "stdout", "output_type": "stream", "text": ["x" * (2 << 20)]}
    path = make(tmp_path / "big.ipynb", outputs=[output])
    before = path.read_bytes()
    code, out, _ = run("check", "-q", "--keras-version", "3", str(path))
    assert code == 1 and out == f"{path}:1:1: E902 cannot read notebook: notebook is 2.0 MB, over the 1 MB limit; " \
                                "clear its outputs (jupyter nbconvert --clear-output) to check it\n"
    code, _, err = run("fix", "--keras-version", "3", str(path))
    assert code == 1 and "over the 1 MB limit" in err and path.read_bytes() == before


def test_fixtures_check_without_traceback_through_the_cli(tmp_path):
    shutil.copytree(NOTEBOOKS, tmp_path / "nbs")
    code, out, err = run("check", "-q", "--keras-version", "3", "--format", "json", str(tmp_path / "nbs"))
    doc = json.loads(out)
    assert doc["files_checked"] == len(list(NOTEBOOKS.glob("*.ipynb")))
    assert {e["code"] for e in doc["errors"]} == {"E999"} and "Traceback" not in err


def test_integrations_page_documents_the_nbqa_route():
    page = (ROOT / "docs" / "integrations.md").read_text("utf-8")
    assert "nbqa flake8" in page and "--extend-select=KBL" in page
    assert os.path.exists(ROOT / "docs" / "notebooks.md")


@pytest.mark.network
def test_nbqa_flake8_reports_our_codes_with_cells(tmp_path):
    """nbqa (PyPI, pulls in IPython) is not in the test extra: this runs where it is installed (tox -e nbqa)."""
    pytest.importorskip("nbqa")
    import subprocess
    import sys

    path = make(tmp_path / "nb.ipynb")
    proc = subprocess.run([sys.executable, "-m", "nbqa", "flake8", str(path), "--extend-select=KBL",
                           "--keras-version=3"], capture_output=True, text=True, cwd=tmp_path)
    assert "nb.ipynb:cell_2:1:5: KBL201" in proc.stdout, proc.stdout + proc.stderr
