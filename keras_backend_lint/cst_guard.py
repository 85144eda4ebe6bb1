"""A bounded look at a parsed file before libcst sees it: shapes that crash or stall libcst's native parser.

libcst's parser recurses natively: a statement with ~8,000 ``or`` operands kills the process (SIGSEGV, so no
``except`` can catch it and every later file of the run is lost), and one 0.9 MB statement took 78 s. ``ast`` has
already parsed the file, so these shapes are cheap to measure here; a risky file is reported as skipped with the
reason and the run goes on. The limits are far above anything written by hand.
"""
from __future__ import annotations

import ast
import re
from typing import Optional

#: operands of one ``and``/``or``, one comparison chain, or one left-deep chain of ``+``, ``*``, ...
MAX_OPERANDS = 1000
#: nesting of expressions inside one statement (brackets, calls, subscripts, operators)
MAX_DEPTH = 200
#: characters of one simple (non-compound) statement
MAX_STATEMENT_CHARS = 200_000


def _operands(node: ast.AST) -> int:
    if isinstance(node, ast.BoolOp):
        return len(node.values)
    if isinstance(node, ast.Compare):
        return len(node.comparators) + 1
    if isinstance(node, ast.BinOp):
        count, left = 2, node.left
        while isinstance(left, ast.BinOp) and count <= MAX_OPERANDS:
            count, left = count + 1, left.left
        return count
    return 0


def _line_offsets(source: str):
    """Character offset of the start of each ast line (lines end where the tokenizer ends them)."""
    offsets = [0]
    for match in re.finditer(r"\r\n|\r|\n", source):
        offsets.append(match.end())
    offsets.append(len(source))
    return offsets


def cst_risk(tree: ast.AST, source: str) -> Optional[str]:
    """Why handing ``source`` to libcst is unsafe (one line for the user), or None when it is fine."""
    # only a file longer than the limit can hold a statement longer than the limit
    offsets = _line_offsets(source) if len(source) > MAX_STATEMENT_CHARS else None
    stack = [(tree, 0)]
    while stack:  # iterative: the file may be nested deeper than Python's own recursion limit
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            line = getattr(node, "lineno", "?")
            return f"expressions nested more than {MAX_DEPTH} deep (line {line}) could crash libcst's parser"
        operands = _operands(node)
        if operands > MAX_OPERANDS:
            return (f"an expression with more than {MAX_OPERANDS} operands (line {node.lineno}) "  # type: ignore
                    "could crash libcst's parser")
        if offsets is not None and isinstance(node, ast.stmt) and not hasattr(node, "body"):
            last = min(getattr(node, "end_lineno", None) or node.lineno, len(offsets) - 1)
            size = offsets[last] - offsets[node.lineno - 1]
            if size > MAX_STATEMENT_CHARS:
                return (f"a statement of {size:,} characters (line {node.lineno}) would take libcst too long "
                        f"(limit {MAX_STATEMENT_CHARS:,})")
        nested = depth + 1 if isinstance(node, ast.expr) else 0
        for child in ast.iter_child_nodes(node):
            stack.append((child, nested))
    return None
