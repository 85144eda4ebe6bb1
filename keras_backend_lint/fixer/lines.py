"""Line splitting and column conversion shared by the planner and the executor."""
from __future__ import annotations

import ast
import re
from typing import List, Tuple

Pos = Tuple[int, int, int, int]  # (line, col, end_line, end_col); columns in characters, like libcst

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(source: str) -> List[str]:
    """Lines with their endings, split where Python's tokenizer splits (``\\r\\n``, ``\\r``, ``\\n``) so that
    index ``n - 1`` is ast line ``n``; ``str.splitlines`` also splits at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``
    and U+2028/9."""
    return _LINE.findall(source)


def newline_of(lines: List[str]) -> str:
    """The file's own line ending (of its first line), for lines the fixer adds."""
    for line in lines:
        if line.endswith("\r\n"):
            return "\r\n"
        if line.endswith("\r"):
            return "\r"
        if line.endswith("\n"):
            return "\n"
    return "\n"


class Lines:
    """ast columns are UTF-8 byte offsets; libcst's are characters."""

    def __init__(self, source: str) -> None:
        self.lines = split_lines(source)

    def col(self, line: int, byte_col: int) -> int:
        if line - 1 >= len(self.lines):
            return byte_col
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def pos(self, node: ast.AST) -> Pos:
        return (
            node.lineno,
            self.col(node.lineno, node.col_offset),
            node.end_lineno,
            self.col(node.end_lineno, node.end_col_offset),
        )
