"""Turn Python files into Jupyter notebooks for the notebook tests and benchmark.

    python tools/make_notebooks.py SRC OUT      # every .py under SRC becomes OUT/<same path>.ipynb

Each file is split at top-level statements into code cells (a few statements per cell, comments travel with the
statement that follows them), with markdown cells, magic-only cells (``%%bash``, ``!pip``) and IPython lines
(``%matplotlib inline``, ``%%time``, ``!ls``, ``obj?``) mixed in. ``layout`` records where each line of the file
went, so a test can map the ``.py`` findings onto the cells and compare.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

#: first lines put in front of some code cells: (line, whether the cell then starts with a Python cell magic)
PREFIXES = ["%matplotlib inline\n", "%%time\n", "!ls -la\n", "%load_ext autoreload\n", "np.zeros?\n"]
MAGIC_CELLS = [["%%bash\n", "echo K.mean keras\n"], ["!pip install keras==2.15\n"], ["%%writefile x.py\n", "(\n"]]


@dataclass
class Layout:
    """Where the file's lines are: ``cells[n]`` is the source of the n-th cell (1-based, all cells counted)."""

    notebook: dict
    #: file line -> (cell number, line in the cell)
    lines: Dict[int, Tuple[int, int]] = field(default_factory=dict)
    #: cell number -> number of lines put in front of the file's own lines
    prefixed: Dict[int, int] = field(default_factory=dict)


def split_cells(text: str, per_cell: int = 2) -> List[str]:
    """Pieces of ``text`` cut before top-level statements (every ``per_cell``-th); they join back to ``text``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        body = ast.parse(text).body
    lines = text.splitlines(True)
    starts = []
    for i, stmt in enumerate(body):
        if i == 0 or i % per_cell:
            continue
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        while first > 1 and lines[first - 2].lstrip().startswith("#"):  # its comments go with it
            first -= 1
        if not starts or first > starts[-1]:
            starts.append(first)
    bounds = [1, *[s for s in starts if s > 1], len(lines) + 1]
    pieces = ["".join(lines[a - 1:b - 1]) for a, b in zip(bounds, bounds[1:])]
    return [p for p in pieces if p] or [text]


def _source(text: str, as_string: bool):
    if as_string:
        return text
    out = text.splitlines(True)
    return out


def make_notebook(text: str, seed: int = 0, as_string: bool = False, minor: int = 5) -> Layout:
    """A notebook of ``text`` (see the module docstring); ``seed`` varies where markdown and magics go."""
    cells: List[dict] = []
    layout = Layout({})

    def add(kind: str, source: str) -> int:
        cell = {"cell_type": kind, "metadata": {}, "source": _source(source, as_string)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        if minor >= 5:
            cell["id"] = f"cell-{len(cells) + 1}"
        cells.append(cell)
        return len(cells)

    add("markdown", f"# Notebook {seed}\nMade from a Python file — ünïcode.\n")
    magic = MAGIC_CELLS[seed % len(MAGIC_CELLS)]
    add("code", "".join(magic))
    file_line = 1
    for i, piece in enumerate(split_cells(text, per_cell=1 + seed % 3)):
        if (i + seed) % 3 == 2:
            add("markdown", f"Step {i}")
        prefix = PREFIXES[(i + seed) % len(PREFIXES)] if (i + seed) % 2 else ""
        number = add("code", prefix + piece.rstrip("\n") if i % 2 else prefix + piece)
        layout.prefixed[number] = 1 if prefix else 0
        for n in range(piece.count("\n") + (not piece.endswith("\n"))):
            layout.lines[file_line + n] = (number, n + 1 + layout.prefixed[number])
        file_line += piece.count("\n")
    layout.notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": minor,
    }
    return layout


def dumps(notebook: dict) -> str:
    """nbformat's own layout: one-space indent, sorted keys, non-ASCII kept, a final newline."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    made = skipped = 0
    for seed, path in enumerate(sorted(args.src.rglob("*.py"))):
        try:
            text = path.read_text("utf-8")
            layout = make_notebook(text, seed)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            skipped += 1
            continue
        target = args.out / path.relative_to(args.src).with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dumps(layout.notebook), "utf-8")
        made += 1
    print(f"{made} notebooks written to {args.out}, {skipped} files skipped (not parseable)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
