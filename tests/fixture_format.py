"""The annotated-fixture format shared by the fixture runner and the docs/CLI tests.

A fixture is a Python file checked with the target named in its header (``# keras-version: 3``). Each offending
line ends with one or more ``# KBL201:9: <exact message>`` annotations (1-based column, as flake8 prints it).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Tuple

TARGET = re.compile(r"^#\s*keras-version:\s*(.+?)\s*$", re.M)
ANNOTATION = re.compile(r"#\s*(KBL\d{3}):(\d+):\s*(.*?)(?=\s+#\s*KBL\d{3}:\d+:|\s*$)")

Expected = Tuple[int, int, str, str]


def target_of(text: str) -> str:
    match = TARGET.search(text)
    assert match, "fixture needs a '# keras-version: ...' header"
    return match.group(1)


def expected(text: str) -> List[Expected]:
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        marker = line.find("# KBL")
        if marker < 0:
            continue
        for code, col, message in ANNOTATION.findall(line[marker:]):
            out.append((number, int(col), code, message))
    return sorted(out)


def fixtures(folder: Path) -> List[Path]:
    return sorted(folder.glob("*.py"))
