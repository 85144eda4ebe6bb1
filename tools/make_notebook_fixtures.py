"""Write the committed notebook fixtures in tests/fixtures/notebooks/ (run once; the files are reviewed as they are).

    python tools/make_notebook_fixtures.py

Several JSON layouts on purpose (nbformat's one-space sorted keys, two spaces in document order without a final
newline, CRLF, ASCII escapes) so that the byte-for-byte tests see more than one writer's habits.
"""
from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "notebooks"
KERNEL = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
          "language_info": {"name": "python", "version": "3.11.4"}}


def lines(text: str) -> list:
    return text.splitlines(True)


def code(text: str, n=None, outputs=None, cell_id=None, as_string=False, metadata=None) -> dict:
    cell = {"cell_type": "code", "execution_count": n, "metadata": metadata or {}, "outputs": outputs or [],
            "source": text if as_string else lines(text)}
    if cell_id:
        cell["id"] = cell_id
    return cell


def markdown(text: str, cell_id=None) -> dict:
    cell = {"cell_type": "markdown", "metadata": {}, "source": lines(text)}
    if cell_id:
        cell["id"] = cell_id
    return cell


def nb(cells, minor=5, metadata=None) -> dict:
    return {"cells": cells, "metadata": metadata or KERNEL, "nbformat": 4, "nbformat_minor": minor}


def nbformat_style(doc: dict) -> str:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


MAGICS = [
    markdown("# Every kind of IPython syntax\n", "m0"),
    code("%matplotlib inline\n%load_ext autoreload\n%autoreload 2\nimport numpy as np\n"
         "from keras import backend as K", 1, cell_id="c1"),
    code("!pip install -q keras\nfiles = !ls\nt = %timeit -o np.ones(3)\na = K.mean(np.ones(3))", 2, cell_id="c2"),
    code("%%time\nb = K.sum(np.ones(3))", 3, cell_id="c3"),
    code("%%bash\necho K.mean(\n", 4, cell_id="c4"),
    code("np.zeros?\n??np.ones\nK.mean??\nc = K.max(np.ones(3))", 5, cell_id="c5"),
    code("for i in range(2):\n    !echo $i\n    %time z = K.sum(np.ones(3))\n    w = K.min(np.ones(3))", 6,
         cell_id="c6"),
    code("get_ipython().run_line_magic('matplotlib', 'inline')\n/print 1\n,print a b\n;print a b\n"
         "v = K.std(np.ones(3))", 7, cell_id="c7"),
    code('s = """\n%not a magic\n!nor this\n"""\nmsg = ("%d"\n       % 3)\nu = K.var(np.ones(3))', 8,
         cell_id="c8"),
    code("!ls \\\n  -la\nq = K.prod(np.ones(3))", 9, cell_id="c9"),
]

BROKEN = [
    code("from keras import backend as K\nimport numpy as np", 1, cell_id="b1"),
    code("def f(:\n    return K.mean(x)", 2, cell_id="b2"),
    code("if True:", 3, cell_id="b3"),
    code("    y = K.mean(np.ones(3))", 4, cell_id="b4"),
    code("z = K.sum(np.ones(3))  # the run goes on after the broken cells", 5, cell_id="b5"),
]

VERSIONED = "from keras import backend as K\nimport numpy as np\n"
VERSIONED_2 = "x = K.mean(np.ones(3))\ny = K.floatx()"

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\n"
WIDGET_STATE = {"application/vnd.jupyter.widget-state+json": {
    "state": {"0f3a": {"model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                       "model_name": "IntSliderModel", "state": {"value": 3, "max": 10, "description": "k"}}},
    "version_major": 2, "version_minor": 0}}
OUTPUTS = [
    markdown("Outputs, widgets, ids and metadata must survive a fix byte for byte\n", "o0"),
    code("import numpy as np\nfrom keras import backend as K\nimport ipywidgets as w", 1, cell_id="o1",
         metadata={"collapsed": False, "tags": ["setup"], "jupyter": {"source_hidden": False}}),
    code("w.IntSlider(value=3, max=10, description='k')", 2, cell_id="o2", outputs=[
        {"data": {"application/vnd.jupyter.widget-view+json": {"model_id": "0f3a", "version_major": 2,
                                                               "version_minor": 0},
                  "text/plain": ["IntSlider(value=3, description='k', max=10)"]},
         "metadata": {}, "output_type": "display_data"}]),
    code("x = K.mean(np.ones((2, 2)), axis=1)\nprint(x)", 3, cell_id="o3", outputs=[
        {"name": "stdout", "output_type": "stream", "text": ["[1. 1.]\n"]}]),
    code("import matplotlib.pyplot as plt\nplt.plot(K.eval(x))", 4, cell_id="o4", outputs=[
        {"data": {"image/png": PNG, "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
         "metadata": {"needs_background": "light"}, "output_type": "display_data"},
        {"ename": "NameError", "evalue": "name 'K' is not defined", "output_type": "error",
         "traceback": ["\u001b[0;31mNameError\u001b[0m: name 'K' is not defined"]}]),
]

NON_ASCII = [
    markdown("## Données — 数据 — 🚀\n", "u0"),
    code("from keras import backend as K\nimport numpy as np", 1, cell_id="u1"),
    code("étiquette = 'é'; x = K.mean(np.ones(3))  # moyenne\n数据 = K.sum(np.ones(3))\n"
         "emoji = '🚀🚀'; y = K.max(np.ones(3))", 2, cell_id="u2"),
]

STRING_SOURCE = [
    code("from keras import backend as K\nimport numpy as np\n", 1, as_string=True, cell_id="s1"),
    code("x = K.mean(np.ones(3))\ny = K.floatx()", 2, as_string=True, cell_id="s2"),
    markdown("plain markdown", "s3"),
    code("", None, as_string=True, cell_id="s4"),
]

V3 = {
    "metadata": {"name": "", "signature": "sha256:0"},
    "nbformat": 3,
    "nbformat_minor": 0,
    "worksheets": [{"cells": [
        {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["An nbformat 3 notebook"]},
        {"cell_type": "code", "collapsed": False, "input": lines(VERSIONED), "language": "python", "metadata": {},
         "outputs": [], "prompt_number": 1},
        {"cell_type": "markdown", "metadata": {}, "source": ["text"]},
        {"cell_type": "code", "collapsed": False, "input": lines(VERSIONED_2), "language": "python",
         "metadata": {}, "outputs": [{"output_type": "pyout", "prompt_number": 2, "text": ["'float32'"],
                                      "metadata": {}}], "prompt_number": 2},
    ], "metadata": {}}],
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "magics.ipynb": nbformat_style(nb(MAGICS)),
        "broken_cell.ipynb": nbformat_style(nb(BROKEN)),
        "empty.ipynb": nbformat_style(nb([])),
        "markdown_only.ipynb": nbformat_style(nb([
            markdown("Uses `from keras import backend as K` and `K.mean` in prose only\n", "d1"),
            {"cell_type": "raw", "id": "d2", "metadata": {}, "source": ["K.mean(x)\n"]},
        ])),
        # two spaces, document order, no final newline (what some editors write)
        "outputs_widgets.ipynb": json.dumps(nb(OUTPUTS, metadata={**KERNEL, "widgets": WIDGET_STATE}), indent=2),
        "non_ascii.ipynb": nbformat_style(nb(NON_ASCII)),
        "non_ascii_escaped.ipynb": json.dumps(nb(NON_ASCII), indent=1, sort_keys=True) + "\n",
        "string_source.ipynb": json.dumps(nb(STRING_SOURCE), indent=1).replace("\n", "\r\n") + "\r\n",
        "v3.ipynb": json.dumps(V3, indent=1, sort_keys=True) + "\n",
    }
    for minor in range(6):
        cells = [code(VERSIONED, 1), markdown("between"), code(VERSIONED_2, 2)]
        if minor >= 5:
            for i, cell in enumerate(cells):
                cell["id"] = f"v{i}"
        files[f"v4_{minor}.ipynb"] = nbformat_style(nb(cells, minor=minor))
    for name, text in files.items():
        (OUT / name).write_bytes(text.encode("utf-8"))
    print(f"{len(files)} fixtures written to {OUT}")


if __name__ == "__main__":
    main()
