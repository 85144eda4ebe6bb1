"""Rewrite the message part of fixture annotations after a deliberate message change.

    python tools/update_fixture_messages.py

Only annotations whose (line, column, code) the checker still reports are touched: a finding that appears or
disappears is never written into a fixture by this tool (the fixture test keeps failing until a person decides).
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixture_format import ANNOTATION, target_of  # noqa: E402

from keras_backend_lint.engine import Settings, check_tree  # noqa: E402
from keras_backend_lint.versions import parse_target  # noqa: E402


def update(path: Path) -> bool:
    text = path.read_text("utf-8")
    found = {}
    for v in check_tree(ast.parse(text), Settings(parse_target(target_of(text))), text=text):
        found.setdefault((v.line, v.col + 1, v.code), []).append(v.message)
    lines = text.splitlines(True)
    changed = False
    for number, line in enumerate(lines, start=1):
        marker = line.find("# KBL")
        if marker < 0:
            continue

        def swap(match):
            nonlocal changed
            messages = found.get((number, int(match.group(2)), match.group(1)))
            if not messages or match.group(3) in messages or len(messages) != 1:
                return match.group(0)
            changed = True
            return f"# {match.group(1)}:{match.group(2)}: {messages[0]}"

        lines[number - 1] = line[:marker] + ANNOTATION.sub(swap, line[marker:])
    if changed:
        path.write_text("".join(lines), "utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    for path in sorted((ROOT / "tests" / "fixtures" / "check").glob("*.py")):
        if update(path):
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
