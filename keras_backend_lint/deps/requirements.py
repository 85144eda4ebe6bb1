"""``requirements*.txt`` (pip's format): one requirement a line, ``-r``/``-c`` includes, comments, continuations."""
from __future__ import annotations

import os
import re
from typing import List, Set

from packaging.requirements import InvalidRequirement, Requirement

from .model import MANIFEST, Declared, DependencyFile, Problem, normalise

INCLUDE = re.compile(r"^(?:-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=\S))(?P<path>\S+)")
#: pip options and editable/URL lines that declare nothing we can read
SKIPPED = re.compile(r"^(-e|--editable|-f|--find-links|-i|--index-url|--extra-index-url|--pre|--hash|--only-binary"
                     r"|--no-binary|--prefer-binary|--trusted-host|--use-feature|--require-hashes|-\S)")
COMMENT = re.compile(r"(^|\s)#.*$")
#: the deepest -r chain followed (a cycle or a runaway chain is reported, not followed forever)
MAX_DEPTH = 10


def read(path: str) -> DependencyFile:
    out = DependencyFile(path, MANIFEST, "requirements file")
    _read_into(path, out, seen=set(), depth=0)
    return out


def _logical_lines(text: str):
    """(1-based line of the start, text) with backslash continuations joined and comments removed."""
    start, pending = 0, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            start = number
        line = raw
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, COMMENT.sub("", pending + line)
        pending = ""
    if pending:
        yield start, COMMENT.sub("", pending)


def _read_into(path: str, out: DependencyFile, seen: Set[str], depth: int) -> None:
    key = os.path.realpath(path)
    if key in seen:
        return
    seen.add(key)
    try:
        with open(path, encoding="utf-8-sig", errors="strict") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        out.problem(f"cannot read {path}: {exc}")
        return
    lines: List[str] = text.splitlines()
    for number, logical in _logical_lines(text):
        line = logical.strip()
        if not line:
            continue
        col = len(lines[number - 1]) - len(lines[number - 1].lstrip()) + 1 if number <= len(lines) else 1
        include = INCLUDE.match(line)
        if include:
            target = os.path.join(os.path.dirname(path), include.group("path"))
            if depth >= MAX_DEPTH:
                out.problems.append(Problem(path, number, col, f"-r/-c nested deeper than {MAX_DEPTH} files"))
            elif not os.path.isfile(target):
                out.problems.append(Problem(path, number, col, f"included file {include.group('path')} not found"))
            else:
                out.included += (target,)
                _read_into(target, out, seen, depth + 1)
            continue
        if SKIPPED.match(line) or "://" in line.split("@")[0] or line.startswith((".", "/")):
            continue
        requirement = line.split(" --", 1)[0].split(";", 1)[0].strip() if "@" not in line else line.split(" --")[0]
        try:
            req = Requirement(requirement)
        except InvalidRequirement as exc:
            detail = str(exc).splitlines()[0]
            out.problems.append(Problem(path, number, col, f"{line!r} is not a requirement ({detail})"))
            continue
        out.declared.append(Declared(normalise(req.name), str(req.specifier), path, number, col))
