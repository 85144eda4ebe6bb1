"""KBL106/KBL107 fixes: ``from <old module> import name`` rewritten to the public path of the same object.

The checker decides (the finding's fix kind is ``safe`` only when every name it rewrites is the same object in the
target, see ``checks/keras_imports.py``); this module only spells the new statement. It works on text: each edit
replaces one whole ``ImportFrom`` statement, so no libcst is needed and nothing else in the file moves.

    edits = plan_import_fixes(tree, source, violations, settings)   # [((line, col, end_line, end_col), text)]
    fixed = apply_edits(source, edits)

``fixer.fix_text`` calls :func:`fix_moved` last, with the safe KBL106/KBL107 findings the planner left alone
(reusing its tree and findings when no other fix changed the text), and accounts them as fixed.

Positions are 1-based lines and 0-based *character* columns (ast gives UTF-8 byte columns; converted here).
"""
from __future__ import annotations

import ast
import io
import warnings
from typing import Dict, Iterable, List, Optional, Tuple

from ..checks.keras_imports import ImportJudge, Move, flavour_of, judge_for
from ..report import Violation
from ..rules import SAFE
from ..surface import load

Pos = Tuple[int, int, int, int]
Edit = Tuple[Pos, str]
CODES = frozenset({"KBL106", "KBL107"})


def plan_import_fixes(tree: ast.Module, source: str, violations: Iterable[Violation], settings) -> List[Edit]:
    """One edit per import statement that has a safe KBL106/KBL107 finding."""
    wanted = {(v.line, v.col) for v in violations if v.code in CODES and v.fix == SAFE}
    if not wanted:
        return []
    lines = _lines(source)
    judge = judge_for(load(), settings)
    edits: List[Edit] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or (node.lineno, node.col_offset) not in wanted:
            continue
        groups = _regroup(judge, node)
        if groups is None:
            continue
        pos = _char_pos(lines, node)
        segment = _segment(lines, pos)
        if "#" in segment or "\\" in segment:
            continue  # a comment or continuation inside the statement would be lost
        edits.append((pos, _spell(groups, lines, pos)))
    return edits


def _regroup(judge: ImportJudge, node: ast.ImportFrom) -> Optional[Dict[str, List[str]]]:
    """module -> imported names (``X`` or ``X as y``), the new modules after the kept ones; None: nothing moves."""
    found = flavour_of(node.module or "")
    if found is None:
        return None
    flavour, module = found
    module_gone = judge.missing_module(flavour, module)
    groups: Dict[str, List[str]] = {}
    changed = False
    for alias in node.names:
        if alias.name == "*":
            return None
        path = f"{module}.{alias.name}"
        gone = module_gone or judge.missing_name(flavour, module, alias.name)
        move: Optional[Move] = judge.move(flavour, path, gone) if gone else None
        if gone and move is None and module_gone:
            return None  # the module is gone and this name has nowhere to go: the statement cannot be kept
        if move is None:
            groups.setdefault(module, []).append(_alias_text(alias.name, alias.asname))
            continue
        changed = True
        bound = alias.asname or alias.name
        asname = None if move.name == bound else bound
        groups.setdefault(move.module, []).append(_alias_text(move.name, asname))
    return groups if changed else None


def _lines(source: str) -> List[str]:
    """Lines as Python counts them (\n, \r\n, \r; not the other breaks str.splitlines knows), ends kept."""
    return io.StringIO(source, newline="").readlines()


def _alias_text(name: str, asname: Optional[str]) -> str:
    return name if asname is None or asname == name else f"{name} as {asname}"


def _char_pos(lines: List[str], node: ast.AST) -> Pos:
    def col(line: int, byte_col: int) -> int:
        return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    end_line = node.end_lineno or node.lineno  # type: ignore[attr-defined]
    end_col = node.end_col_offset if node.end_col_offset is not None else 0  # type: ignore[attr-defined]
    return (node.lineno, col(node.lineno, node.col_offset), end_line, col(end_line, end_col))  # type: ignore


def _segment(lines: List[str], pos: Pos) -> str:
    line, col, end_line, end_col = pos
    if line == end_line:
        return lines[line - 1][col:end_col]
    parts = [lines[line - 1][col:]] + lines[line:end_line - 1] + [lines[end_line - 1][:end_col]]
    return "".join(parts)


def _spell(groups: Dict[str, List[str]], lines: List[str], pos: Pos) -> str:
    line, col = pos[0], pos[1]
    first = lines[line - 1]
    prefix = first[:col]
    newline = "\r\n" if first.endswith("\r\n") else "\r" if first.endswith("\r") else "\n"
    separator = newline + prefix if not prefix.strip() else "; "
    return separator.join(f"from {module} import {', '.join(names)}" for module, names in groups.items())


def apply_edits(source: str, edits: List[Edit]) -> str:
    """Apply non-overlapping statement edits, last first so earlier positions stay valid."""
    if not edits:
        return source
    lines = _lines(source)
    for (line, col, end_line, end_col), text in sorted(edits, reverse=True):
        head = lines[line - 1][:col]
        tail = lines[end_line - 1][end_col:]
        lines[line - 1:end_line] = [head + text + tail]
    return "".join(lines)


def fix_moved(
    text: str, original: str, tree: ast.Module, findings: List[Violation], settings
) -> Tuple[str, List[Violation]]:
    """Apply the safe KBL106/KBL107 ``findings`` of ``original`` to ``text`` (``original`` after the other fixes);
    the new text and the findings fixed. When the other fixes changed the text, it is checked again."""
    if text == original:
        edits = plan_import_fixes(tree, original, findings, settings)
        fixed_at = {(pos[0], pos[1]) for pos, _ in edits}
        lines = _lines(original)
        done = [v for v in findings if (v.line, _char_col(lines, v.line, v.col)) in fixed_at]
        return apply_edits(original, edits), done
    new = fix_moved_imports(text, settings, {v.code for v in findings})
    if new == text:
        return text, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ..engine import check_tree

        remaining = {(v.code, v.message) for v in check_tree(ast.parse(new), settings, text=new)}
    return new, [v for v in findings if (v.code, v.message) not in remaining]


def _char_col(lines: List[str], line: int, byte_col: int) -> int:
    return len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def fix_moved_imports(source: str, settings, codes: Optional[Iterable[str]] = None) -> str:
    """Check ``source`` and rewrite its safely movable imports; ``source`` itself when nothing applies."""
    from ..engine import check_tree, mentions_keras

    selected = CODES if codes is None else CODES & frozenset(codes)
    if not selected or not mentions_keras(source):
        return source
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(source)
    found = [v for v in check_tree(tree, settings, text=source) if v.code in selected]
    edits = plan_import_fixes(tree, source, found, settings)
    return apply_edits(source, edits) if edits else source
