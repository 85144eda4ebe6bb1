"""The fixer on code we did not write: every file of the Keras corpus, safe and unsafe fixes, seven invariants.

For each file the fixer changes: the output parses, fixing it again changes nothing, checking it reports none of
the codes that were fixed where a fix was allowed, every line the fix did not touch is byte for byte the same
(difflib's unchanged blocks cover all lines but the edited statements and the added/removed imports), no
Keras/TensorFlow import moves above a statement that preceded it, no KBL302 appears that the input lacked, and
pyflakes finds no undefined name that the input did not have.
Exit 1 on any violation, with file and reason.
Usage: ``python benchmarks/fix_corpus.py [--unsafe]`` (after ``corpus.py``).
"""
from __future__ import annotations

import argparse
import ast
import difflib
import re
import sys
import time
import warnings
from pathlib import Path
from typing import List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from keras_backend_lint.engine import Settings, check_tree  # noqa: E402
from keras_backend_lint.fixer import FIXABLE_CODES, UnsupportedSyntax, fix_source  # noqa: E402
from keras_backend_lint.versions import parse_target  # noqa: E402


def _parse(text: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(text)


def _fixable(text: str, settings: Settings, unsafe: bool):
    kinds = ("safe", "unsafe") if unsafe else ("safe",)
    return [v for v in check_tree(_parse(text), settings, text=text) if v.fix in kinds]


def check_file(path: Path, settings: Settings, unsafe: bool) -> Tuple[bool, List[str]]:
    """(changed, problems) for one file."""
    try:
        text = path.read_text("utf-8")
        _parse(text)
    except (UnicodeDecodeError, SyntaxError, ValueError):
        return False, []  # not Python 3 source: the fixer reports and skips it, nothing to verify
    try:
        fixed = fix_source(text, settings, unsafe=unsafe)
    except UnsupportedSyntax:
        return False, []  # reported to the user as "cannot parse, skipped"
    if fixed == text:
        return False, []
    problems = []
    try:
        _parse(fixed)
    except SyntaxError as exc:
        return True, [f"output does not parse: {exc}"]
    if fix_source(fixed, settings, unsafe=unsafe) != fixed:
        problems.append("fixing twice changes the output")
    # findings the fixer declined (a call it cannot map safely, e.g. K.pool2d(pool_mode="avg")) may stay, but the
    # output must not hold a fixable finding the input did not have
    found_before = _fixable(text, settings, unsafe)
    known = {v.message for v in found_before}
    new = [v for v in _fixable(fixed, settings, unsafe) if v.message not in known]
    if new:
        problems.append(f"{len(new)} new fixable finding(s), first: {new[0].line}:{new[0].col} {new[0].text}")
    before, after = text.splitlines(keepends=True), fixed.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    edited = {i for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for i in range(i1, i2)}
    # lines the fix may touch: every finding of a code the fixer handles (safety is decided per call site, so the
    # checker's name-level fix kind is not the whole story)
    finding_lines = {v.line for v in _all(text, settings) if v.code in FIXABLE_CODES}
    tree = _parse(text)
    # `from keras.backend import variable` is reported on the import, but its uses are what gets rewritten
    imported = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.lineno in finding_lines
        for alias in node.names
    }
    uses = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, sorted(imported)))) if imported else None
    lines = text.splitlines()
    finding_lines |= {n for n, line in enumerate(lines, 1) if uses is not None and uses.search(line)}
    allowed = set()
    dead = {v.line for v in found_before if v.code == "KBL301"}
    for node in ast.walk(tree):  # the statements holding a finding (their header, for compound ones)
        if isinstance(node, ast.If) and node.test.lineno in dead:  # a dead branch goes whole, with its comments
            top = node.lineno - 1
            while top > 0 and (not lines[top - 1].strip() or lines[top - 1].strip().startswith("#")):
                top -= 1
            allowed.update(range(top, node.end_lineno))
        if not isinstance(node, ast.stmt):
            continue
        body = getattr(node, "body", None)
        last = body[0].lineno - 1 if isinstance(body, list) and body and body[0].lineno > node.lineno else None
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        own = range(first, (last or node.end_lineno) + 1)
        if isinstance(node, (ast.Import, ast.ImportFrom)) or finding_lines.intersection(own):
            allowed.update(line - 1 for line in own)
    stray = sorted(i for i in edited if i not in allowed)
    if stray:
        problems.append(f"a line without a finding changed: {stray[0] + 1}")
    if _undefined(fixed) - _undefined(text):
        problems.append(f"a name is used but no longer defined: {sorted(_undefined(fixed) - _undefined(text))[0]}")
    if _set_up_before_keras(fixed) < _set_up_before_keras(text):
        problems.append("a Keras/TensorFlow import moved above a statement that preceded it")
    kbl302 = [_count(found, "KBL302") for found in (_all(text, settings), _all(fixed, settings))]
    if kbl302[1] > kbl302[0]:
        problems.append("the fixed file reports KBL302 (KERAS_BACKEND set after import) that the input did not")
    return True, problems


def _undefined(text: str) -> set:
    """pyflakes' undefined names (a fix must never drop an import that something still uses)."""
    import io

    from pyflakes import api, reporter

    out = io.StringIO()
    api.check(text, "<file>", reporter.Reporter(out, out))
    return {line.split(": ", 1)[1] for line in out.getvalue().splitlines() if "undefined name" in line}


def _all(text: str, settings: Settings):
    return check_tree(_parse(text), settings, text=text)


def _count(found, code: str) -> int:
    return sum(v.code == code for v in found)


def _set_up_before_keras(text: str) -> int:
    """How many module-level non-import statements run before the first Keras/TensorFlow import."""
    count = 0
    for stmt in _parse(text).body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in stmt.names] if isinstance(stmt, ast.Import) else [stmt.module or ""]
            if any(m.split(".")[0] in ("keras", "tensorflow") for m in modules):
                return count
        else:
            count += 1
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unsafe", action="store_true", help="also apply the unsafe fixes")
    parser.add_argument("--target", default="3")
    args = parser.parse_args(argv)
    settings = Settings(parse_target(args.target))
    folders = corpus.ensure(corpus.KERAS_CORPUS)
    files = [p for folder in folders.values() for p in corpus.python_files(folder)]
    failures = 0
    changed = 0
    start = time.perf_counter()
    for path in files:
        was_changed, problems = check_file(path, settings, args.unsafe)
        for problem in problems:
            print(f"FAIL {path}: {problem}")
        failures += bool(problems)
        changed += was_changed
    elapsed = time.perf_counter() - start
    verdict = "PASS" if not failures else "FAIL"
    print(f"{verdict}  {len(files)} files, {changed} rewritten, {failures} with a broken invariant ({elapsed:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
