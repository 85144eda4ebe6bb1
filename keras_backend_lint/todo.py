"""``fix --add-todo``: a ``# TODO(keras3): <advice> <rule URL>`` line above each finding no fix can handle.

Like bump-pydantic's TODO comments, so the manual work left after a migration is visible in the code. The comment
goes above the first line of the innermost statement holding the finding, with that line's indentation, and only
when the statement begins its line (never inside a string that spans lines, never after a backslash
continuation). A comment that is already there is not added again, so running ``fix --add-todo`` twice changes
nothing the second time.
"""
from __future__ import annotations

import ast
from typing import Dict, Iterable, List, Optional

PREFIX = "# TODO(keras3): "


def todo_text(violation) -> str:
    from .output import one_line, rule_url

    return f"{PREFIX}{one_line(violation.message)} {rule_url(violation.code)}"


def _statement_lines(tree: ast.AST) -> Dict[int, ast.stmt]:
    """Each line -> the innermost statement that spans it (later, deeper statements overwrite outer ones)."""
    spans: Dict[int, ast.stmt] = {}
    stack: List[ast.AST] = [tree]
    order: List[ast.stmt] = []
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            order.append(node)
        stack.extend(ast.iter_child_nodes(node))
    for stmt in sorted(order, key=lambda s: (s.lineno, -(s.end_lineno or s.lineno))):
        header_end = stmt.body[0].lineno - 1 if getattr(stmt, "body", None) else (stmt.end_lineno or stmt.lineno)
        for line in range(stmt.lineno, max(stmt.lineno, header_end) + 1):
            spans[line] = stmt
    return spans


def add_todos(text: str, tree: ast.AST, findings: Iterable, newline: str = "\n") -> str:
    """``text`` (with ``\\n`` line ends) with a TODO line above each finding's statement; ``text`` itself when none
    can be placed or all are there already."""
    spans = _statement_lines(tree)
    lines = text.split("\n")
    inserts: Dict[int, List[str]] = {}
    for violation in findings:
        stmt: Optional[ast.stmt] = spans.get(violation.line)
        if stmt is None or not 0 < stmt.lineno <= len(lines):
            continue
        first = lines[stmt.lineno - 1]
        indent = first[:len(first) - len(first.lstrip(" \t"))]
        if len(indent) != stmt.col_offset:  # another statement precedes it on the line (`a = 1; b = K.x()`)
            continue
        comment = indent + todo_text(violation)
        above = lines[stmt.lineno - 2].rstrip("\r") if stmt.lineno >= 2 else None
        wanted = inserts.setdefault(stmt.lineno, [])
        if comment not in wanted and above != comment and not _already_above(lines, stmt.lineno, comment):
            wanted.append(comment)
    if not any(inserts.values()):
        return text
    out: List[str] = []
    for number, line in enumerate(lines, start=1):
        for comment in inserts.get(number, ()):
            out.append(comment + ("\r" if newline == "\r\n" else ""))
        out.append(line)
    return "\n".join(out)


def _already_above(lines: List[str], lineno: int, comment: str) -> bool:
    """Whether ``comment`` is among the comment lines right above line ``lineno``."""
    index = lineno - 2
    while index >= 0 and lines[index].strip().startswith(PREFIX):
        if lines[index].rstrip("\r") == comment:
            return True
        index -= 1
    return False
