"""``check`` and ``fix`` on ``.ipynb`` files: the narrow entry points that ``cli.py`` and ``fix_command.py`` call.

Checking runs the ordinary ``check_text`` on the notebook's joined module and maps every position back to its
cell. Fixing runs the ordinary ``fix_source`` on the same module, cuts the result back into cells, puts masked
IPython lines back, moves a new import into the cell holding the Keras import it derives from, and splices only
the changed cells' ``source`` into the original JSON text (atomic write, "changed on disk" guard).
"""
from __future__ import annotations

import ast
import dataclasses
import difflib
import os
import re
import warnings
from typing import IO, Dict, List, Optional, Tuple

from .notebook import BOUNDARY, Notebook, NotebookError, code_sources, read_bytes
from .notebook_json import render

_IMPORT_LINE = re.compile(r"(?:import|from)\s+\S")
#: a message that names another line (KBL104, KBL302) names a module line: it is mapped to its cell too
_LINE_REF = re.compile(r"\(line (\d+)\)")
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _read(path: str) -> Tuple[bytes, Tuple[int, int]]:
    from . import notebook

    with open(path, "rb") as handle:
        st = os.fstat(handle.fileno())
        if st.st_size > notebook.MAX_BYTES:  # do not even read it
            raise NotebookError(f"notebook is {st.st_size / 2**20:.1f} MB, over the {notebook.MAX_BYTES // 2**20} MB "
                                "limit; clear its outputs (jupyter nbconvert --clear-output) to check it")
        return handle.read(), (st.st_mtime_ns, st.st_size)


def load(path: str) -> Tuple[Notebook, Tuple[int, int]]:
    """Read and scan a notebook file; raises NotebookError (with a one-line reason) for anything unusable."""
    try:
        raw, stamp = _read(path)
    except IsADirectoryError:
        raise NotebookError("is a directory") from None
    except OSError as exc:
        raise NotebookError(exc.strerror or str(exc)) from None
    return read_bytes(raw), stamp


# --- check -------------------------------------------------------------------------------------------------------


def check_path(path: str, settings: object, enabled) -> tuple:
    """``cli.check_path`` for a notebook: (findings, errors) with cell positions."""
    from .output import E_IO, FileError

    try:
        nb, _ = load(path)
    except NotebookError as exc:
        return [], [FileError(path, 1, 1, E_IO, f"cannot read notebook: {exc}")]
    return check_notebook(path, nb, settings, enabled)


def check_bytes(path: str, raw: bytes, settings: object, enabled) -> tuple:
    """A notebook's content given as bytes (standard input with ``--stdin-filename x.ipynb``)."""
    from .output import E_IO, FileError

    try:
        nb = read_bytes(raw)
    except NotebookError as exc:
        return [], [FileError(path, 1, 1, E_IO, f"cannot read notebook: {exc}")]
    return check_notebook(path, nb, settings, enabled)


def check_notebook(path: str, nb: Notebook, settings: object, enabled) -> tuple:
    from .cli import check_text
    from .output import E_SYNTAX, FileError

    errors = [
        FileError(path, cell.error[0], cell.error[1], E_SYNTAX, cell.error[2], cell=cell.number,
                  file_line=nb.file_line(cell, cell.error[0]))
        for cell in nb.cells if cell.error
    ]
    found, more = check_text(path, nb.module, settings, enabled, tree=nb.tree)
    findings = []
    for f in found:
        cell, line, file_line = nb.where(f.line)
        message = _LINE_REF.sub(lambda m: "(cell {}, line {})".format(*nb.where(int(m.group(1)))[:2]), f.message)
        findings.append(dataclasses.replace(f, line=line, cell=cell, file_line=file_line, message=message))
    for e in more:  # cannot happen (every cell parses), kept for safety
        cell, line, file_line = nb.where(e.line)
        errors.append(dataclasses.replace(e, line=line, cell=cell, file_line=file_line))
    return findings, errors


# --- fix ---------------------------------------------------------------------------------------------------------


def fix_outcome(path: str, project, unsafe: bool):
    """``fix`` for one notebook with the command's configuration: the findings ``check`` keeps (``noqa`` per cell
    line, per-file ignores), the fixer's account of each, and what to write.

    Returns ``(outcome, new text or None, stamp, per-cell diff or None, cells that do not parse)``; nothing is
    returned to write when the change cannot be mapped back to the cells exactly. A cell that does not parse is left
    as it is and named (the other cells are still fixed).
    """
    import ast as ast_mod
    import warnings

    from .fix_command import kept_findings
    from .fix_report import FileOutcome
    from .fixer import fix_text

    outcome = FileOutcome(path)
    try:
        nb, stamp = load(path)
    except NotebookError as exc:
        outcome.skipped = f"cannot read notebook: {exc}"
        return outcome, None, None, None, []
    broken = [f"cell {c.number}:{c.error[0]}: cannot parse, cell skipped: {c.error[2]}" for c in nb.cells if c.error]
    tree = nb.tree
    try:
        if tree is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast_mod.parse(nb.module)
        findings = kept_findings(path, nb.module, tree, project)
        if not findings:
            return outcome, None, None, None, broken
        result = fix_text(nb.module, project.settings(), unsafe=unsafe, findings=findings)
        sources = new_sources(nb, result.text)
    except (NotebookError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        msg = " ".join((getattr(exc, "msg", None) or str(exc) or "cannot parse").split())
        outcome.skipped = f"not fixed: {msg}"
        return outcome, None, None, None, broken
    outcome.fixed, outcome.left = (result.fixed, result.left) if sources else ((), result.left)
    if not sources:
        return outcome, None, None, None, broken
    text = render(nb, sources)
    expected = [sources.get(i, cell.source) for i, cell in enumerate(nb.cells)]
    if code_sources(text) != expected:  # never write what does not read back as intended
        outcome.fixed, outcome.skipped = (), "not fixed: the rewritten notebook did not read back as written"
        return outcome, None, None, None, broken
    outcome.rewritten = True
    return outcome, text, stamp, cell_diff(nb, sources, path), broken


def fix_path(path: str, settings, stdout: IO[str], stderr: IO[str], *, unsafe: bool = False, select=None,
             ignore=None, diff: bool = False) -> Tuple[bool, int]:
    """``fix`` for one notebook outside the command (no configuration file): (changed or would change, number of
    problems reported on stderr). The same steps as the command's, through ``fix_outcome``."""
    from .atomic import WriteError, write
    from .fixer import selected_codes
    from .rules import RULES

    class _Options:  # what fix_outcome reads of the command's project: the target and the codes
        enabled = frozenset(r.code for r in RULES if r.code.startswith(tuple(selected_codes(select, ignore))))

        @staticmethod
        def settings():
            return settings

        @staticmethod
        def ignored_codes(_path):
            return ()

    outcome, text, stamp, cell_text, broken = fix_outcome(path, _Options, unsafe)
    for line in broken:
        stderr.write(f"{path}:{line}\n")
    if outcome.skipped:
        stderr.write(f"{path}: {outcome.skipped}\n")
        return False, len(broken) + 1
    if text is None:
        return False, len(broken)
    if diff:
        stdout.write(cell_text or "")
        return True, len(broken)
    try:
        write(path, text.encode("utf-8"), stamp)
    except WriteError as exc:
        stderr.write(f"{path}: {exc}\n")
        return False, len(broken) + 1
    stderr.write(f"fixed {path}\n")
    return True, len(broken)


def new_sources(nb: Notebook, fixed_module: str) -> Dict[int, str]:
    """The new ``source`` of each changed cell (index in ``nb.cells``) from the fixer's output for ``nb.module``.

    Raises NotebookError when the change cannot be mapped back safely (nothing is written then).
    """
    if fixed_module == nb.module:
        return {}
    fixed_module = _move_new_imports(nb, fixed_module)
    pieces = fixed_module.split(BOUNDARY)
    if len(pieces) != len(nb.cells):
        raise NotebookError("the fix could not be mapped back to the cells")
    out: Dict[int, str] = {}
    for index, (cell, piece) in enumerate(zip(nb.cells, pieces)):
        if piece == "".join(cell.masked):
            continue
        if cell.error:
            raise NotebookError(f"the fix touched cell {cell.number}, which does not parse")
        source = _unmask(cell.lines, cell.masked, _LINES.findall(piece))
        while _trailing_blank_lines(source) > _trailing_blank_lines(cell.source):
            source = source[:len(source.rstrip("\r\n"))] + "\n" * _trailing_blank_lines(source)  # one fewer
        if not cell.source.endswith(("\n", "\r")):  # the module gave the last line an ending: take it back
            source = _drop_final_newline(source)
        if source != cell.source:
            out[index] = source
    return out


def _trailing_blank_lines(text: str) -> int:
    """How many empty lines end ``text`` (the fixer may add one after a new import, before the next cell)."""
    ends = text[len(text.rstrip("\r\n")):]
    return max(0, len(_LINES.findall(ends)) - 1)


def _drop_final_newline(text: str) -> str:
    for end in ("\r\n", "\n", "\r"):
        if text.endswith(end):
            return text[:-len(end)]
    return text


def _unmask(original: List[str], masked: List[str], fixed: List[str]) -> str:
    """The fixed cell with its masked IPython lines put back.

    A top-level IPython line is masked as a blank line, and a fix that removes a statement may take a blank line
    next to it (or the diff may pair blank lines differently): such a line is put back where the change starts.
    A masked line inside a block is ``pass``; a fix that changes or removes one (a dead branch, say) is refused.
    """
    lines = [line if line.endswith(("\n", "\r")) else line + "\n" for line in original]
    matcher = difflib.SequenceMatcher(None, masked, fixed, autojunk=False)
    out: List[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(lines[i1:i2])
            continue
        hidden = [i for i in range(i1, i2) if masked[i] != lines[i]]
        if any(masked[i].strip() for i in hidden):
            raise NotebookError("the fix touched an IPython line")
        out.extend(lines[i] for i in hidden)
        out.extend(fixed[j1:j2])
    return "".join(out)


def _keras_import(nb: Notebook) -> Optional[Tuple[int, int]]:
    """(cell index, module line after which to insert) of the first top-level import that mentions keras."""
    tree = nb.tree
    if tree is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(nb.module)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    for stmt in tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names = [stmt.module or ""] if isinstance(stmt, ast.ImportFrom) else []
            names += [alias.name for alias in stmt.names]
            if any("keras" in name for name in names):
                entry = nb.line_map[stmt.lineno - 1]
                if entry is not None:
                    return entry[0], stmt.end_lineno or stmt.lineno
    return None


def _move_new_imports(nb: Notebook, fixed_module: str) -> str:
    """Imports the fixer added after the module's leading imports go to the cell of the Keras import instead."""
    target = _keras_import(nb)
    if target is None or len(nb.cells) < 2:
        return fixed_module
    target_cell, after_line = target
    before = _LINES.findall(nb.module)
    after = _LINES.findall(fixed_module)
    opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    moved: List[str] = []
    dropped = set()
    insert_at = None  # index in ``after`` right after the Keras import
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 < after_line <= i2 and tag != "insert":
            insert_at = j2 if tag != "equal" else j1 + (after_line - i1)
        if tag != "insert":
            continue
        block = after[j1:j2]
        if not any(line.strip() for line in block) or not all(
                _IMPORT_LINE.match(line) or not line.strip() for line in block):
            continue
        at = i1 - 1 if i1 > 0 else 0
        entry = nb.line_map[at] if at < len(nb.line_map) else None
        if entry is None and i1 < len(nb.line_map):
            entry = nb.line_map[i1]
        if entry is None or entry[0] == target_cell:
            continue
        moved.extend(line for line in block if line.strip())
        dropped.update(range(j1, j2))
    if not moved or insert_at is None:
        return fixed_module
    out = []
    for j, line in enumerate(after):
        if j == insert_at:
            out.extend(moved)
        if j not in dropped:
            out.append(line)
    if insert_at >= len(after):
        out.extend(moved)
    return "".join(out)


def cell_diff(nb: Notebook, sources: Dict[int, str], path: str) -> str:
    """A unified diff per changed cell, each headed ``path:cell N``."""
    out: List[str] = []
    for index in sorted(sources):
        cell = nb.cells[index]
        name = f"{path}:cell {cell.number}"
        for line in difflib.unified_diff(cell.source.splitlines(True), sources[index].splitlines(True),
                                         fromfile=name, tofile=name):
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of cell\n")
    return "".join(out)
