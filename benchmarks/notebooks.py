"""Notebooks made from the corpus: same findings as the file, same fix, valid JSON, and what a notebook costs.

    python benchmarks/notebooks.py              # the Keras corpus (benchmarks/corpus.py), held-out part excluded
    python benchmarks/notebooks.py --holdout    # only the held-out packages (numbers reported apart)
    python benchmarks/notebooks.py --root DIR   # any folder of .py files (the smoke test uses a tiny one)

Every ``.py`` file that parses and mentions keras becomes a notebook (tools/make_notebooks.py: split at top-level
statements, markdown and magics mixed in). Checked: the notebook's findings equal the file's mapped to cells; the
notebook fix gives the file fix's code (imports may sit elsewhere, blank lines aside) and validates with nbformat.
Timed (CPU time, one process, data loaded first, best of ``--repeat``): ``check_text`` on the file vs reading the
notebook JSON, masking and ``check_notebook``; the same for the fixer. Exit 1 when an invariant breaks.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import warnings
from pathlib import Path
from typing import List, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tools"))

import corpus  # noqa: E402
import make_notebooks  # noqa: E402

from keras_backend_lint import notebook_commands, rules  # noqa: E402
from keras_backend_lint.cli import check_text  # noqa: E402
from keras_backend_lint.engine import Settings  # noqa: E402
from keras_backend_lint.fixer import UnsupportedSyntax, fix_source  # noqa: E402
from keras_backend_lint.notebook import NotebookError, read_bytes  # noqa: E402
from keras_backend_lint.notebook_json import render  # noqa: E402
from keras_backend_lint.versions import parse_target  # noqa: E402

ALL = frozenset(r.code for r in rules.RULES)
LINE_REF = re.compile(r"\(line (\d+)\)")


def _code(text: str):
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    imports = sorted(line for line in lines if line.startswith(("import ", "from ")))
    return [line for line in lines if not line.startswith(("import ", "from "))], imports


def _notebook_code(document: str, layout) -> str:
    import json

    out = []
    for number, cell in enumerate(json.loads(document)["cells"], 1):
        if cell["cell_type"] != "code" or number == 2:  # cell 2: magics only
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if layout.prefixed.get(number):
            source = source.split("\n", 1)[1] if "\n" in source else ""
        out.append(source if source.endswith("\n") else source + "\n")
    return "".join(out)


def compare(path: Path, seed: int, settings: Settings, validate) -> Optional[List[str]]:
    """Problems for one file (None when it is not a candidate)."""
    try:
        text = path.read_text("utf-8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, str(path), "exec", dont_inherit=True, flags=1024)  # ast only
    except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if "keras" not in text:
        return None
    layout = make_notebooks.make_notebook(text, seed, as_string=bool(seed % 4 == 3))
    document = make_notebooks.dumps(layout.notebook)
    problems = []
    found, _ = check_text(str(path), text, settings, ALL)

    def mapped(message):
        return LINE_REF.sub(lambda m: "(cell {}, line {})".format(*layout.lines[int(m.group(1))]), message)

    expected = sorted((*layout.lines[f.line], f.column, f.code, mapped(f.message)) for f in found)
    nb = read_bytes(document.encode("utf-8"))
    got, errors = notebook_commands.check_notebook("nb.ipynb", nb, settings, ALL)
    if errors or sorted((f.cell, f.line, f.column, f.code, f.message) for f in got) != expected:
        problems.append(f"findings differ: file {len(expected)}, notebook {len(got)}, errors {len(errors)}")
    try:
        fixed_file = fix_source(text, settings)
    except UnsupportedSyntax:
        return problems
    try:
        sources = notebook_commands.new_sources(nb, fix_source(nb.module, settings))
    except NotebookError as exc:
        return problems + [f"notebook fix not mapped back: {exc}"]
    fixed_doc = render(nb, sources) if sources else document
    if _code(_notebook_code(fixed_doc, layout)) != _code(fixed_file):
        problems.append("the notebook fix differs from the file fix")
    if validate is not None and sources:
        try:
            validate(fixed_doc)
        except Exception as exc:  # nbformat.ValidationError and friends
            problems.append(f"fixed notebook does not validate: {str(exc).splitlines()[0]}")
    return problems


def _timed(fn, repeat: int) -> float:
    """Best CPU time of ``repeat`` runs (CPU, not wall: the machine running the benchmark is often shared)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def timing(files: List[Path], settings: Settings, repeat: int) -> dict:
    texts = [p.read_text("utf-8") for p in files]
    docs = [make_notebooks.dumps(make_notebooks.make_notebook(t, i).notebook).encode("utf-8")
            for i, t in enumerate(texts)]
    check_text("warm.py", "from keras import backend as K\nK.mean(1)\n", settings, ALL)

    def check_py():
        for t in texts:
            check_text("f.py", t, settings, ALL)

    def check_nb():
        for d in docs:
            notebook_commands.check_notebook("f.ipynb", read_bytes(d), settings, ALL)

    def fix_py():
        for t in texts:
            fix_source(t, settings)

    def fix_nb():
        for d in docs:
            nb = read_bytes(d)
            sources = notebook_commands.new_sources(nb, fix_source(nb.module, settings))
            if sources:
                render(nb, sources)

    return {name: _timed(fn, repeat) for name, fn in
            [("check .py", check_py), ("check .ipynb", check_nb), ("fix .py", fix_py), ("fix .ipynb", fix_nb)]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="a folder of .py files instead of the corpus")
    parser.add_argument("--holdout", action="store_true", help="the held-out packages only")
    parser.add_argument("--target", default="3")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    settings = Settings(parse_target(args.target), codes=ALL)
    if args.root:
        roots = [args.root]
    else:
        roots = list(corpus.ensure(corpus.HOLDOUT if args.holdout else corpus.KERAS_CORPUS).values())
    try:
        import nbformat

        def validate(doc):
            nbformat.validate(nbformat.reads(doc, as_version=nbformat.NO_CONVERT))
    except ImportError:
        validate = None
    files, failures = [], 0
    for seed, path in enumerate(p for root in roots for p in sorted(root.rglob("*.py")) if p.is_file()):
        problems = compare(path, seed, settings, validate)
        if problems is None:
            continue
        files.append(path)
        for problem in problems:
            print(f"FAIL {path}: {problem}")
        failures += bool(problems)
    times = timing(files, settings, args.repeat)
    verdict = "PASS" if not failures else "FAIL"
    print(f"{verdict}  {len(files)} files mentioning keras made into notebooks, {failures} with a difference"
          f"{'' if validate else ' (nbformat not installed: validity not checked)'}")
    for kind in ("check", "fix"):
        py, nb = times[f"{kind} .py"], times[f"{kind} .ipynb"]
        print(f"{kind:5}  .py {py:.3f}s  .ipynb {nb:.3f}s  ratio {nb / max(py, 1e-9):.2f}x")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
