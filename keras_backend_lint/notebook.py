"""Jupyter notebooks as one Python module: read, mask IPython syntax, map lines back to cells, write back.

The engine and the fixer see plain Python: the code cells in notebook order, joined with a boundary comment line
between cells, IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``obj?``, ``get_ipython()`` ...) masked by
blank lines or ``pass`` so that line numbers stay put. ``Notebook.where(line)`` maps a module line back to
(cell, line in cell, line of the ``.ipynb`` file). A cell that does not parse on its own is blanked out and reported.

The JSON is read with a small position-aware scanner over the document's own text (the stdlib decoder does every
value; only the path to each cell's ``source`` is walked by hand), so that ``render`` can splice new ``source``
values into the original text: every other byte (key order, indentation, outputs, ids, metadata, trailing
newline) stays as it was. nbformat 3 (``worksheets``/``input``) and 4.x are read; ``source`` may be one string
or a list of strings.
"""
from __future__ import annotations

import ast
import bisect
import json
import re
import warnings
from dataclasses import dataclass, field
from json.decoder import scanstring
from typing import Dict, List, Optional, Sequence, Tuple

#: larger files get a one-line error instead of being decoded (a notebook's size is mostly outputs)
MAX_BYTES = 100 * 1024 * 1024
#: the line between two cells in the joined module (no "keras" in it: the engine's fast path stays fast)
BOUNDARY = "# --- kbl: next cell ---\n"
#: cell magics whose body is Python: only their first line is masked
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "snakeviz"})

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # Python's line ends (as fixer.split_lines)
_HELP = re.compile(r"[\w.*\[\]()]+\?{1,2}\s*$")  # obj?  obj.attr??  np.*load*?
_ASSIGN_MAGIC = re.compile(r"[\w.,\s\[\]()]+=\s*[%!]")  # files = !ls   t = %timeit -o f()
_MAGIC_START = ("%", "!", "?", "/", ",", ";")  # the last three: IPython autocall (/f x, ,f a b, ;f a b)
_STRING_OPEN = re.compile(r"""[rRbBuUfF]{0,2}('''|\"\"\"|'|")""")
_TOKEN = re.compile(r"""#|[rRbBuUfF]{0,2}(?:'''|\"\"\"|'|")|[(\[{]|[)\]}]""")


class NotebookError(Exception):
    """The file is not a notebook we can read; the message is one line for the user."""


@dataclass
class Span:
    """A JSON value's place in the document text: ``text[start:end]``."""

    start: int
    end: int


@dataclass
class Cell:
    """A code cell: its position among all cells (1-based, markdown cells counted) and its source."""

    number: int
    source: str
    span: Span
    #: for a list ``source``: each item's string and span; None when ``source`` is one string
    items: Optional[List[Tuple[str, Span]]]
    masked: List[str] = field(default_factory=list)  # the cell's lines as the engine sees them
    error: Optional[Tuple[int, int, str]] = None  # (line, column, message) when the cell does not parse

    @property
    def lines(self) -> List[str]:
        return _LINES.findall(self.source)


@dataclass
class Notebook:
    text: str
    bom: bool
    nbformat: int
    cells: List[Cell]
    module: str = ""
    #: per module line (index line - 1): (cell index in ``cells``, line in that cell), None on boundary lines
    line_map: List[Optional[Tuple[int, int]]] = field(default_factory=list)
    _newlines: List[int] = field(default_factory=list)

    def where(self, line: int) -> Tuple[int, int, int]:
        """(cell number, line in the cell, line in the .ipynb file) of a module line."""
        entry = self.line_map[line - 1] if 0 < line <= len(self.line_map) else None
        if entry is None:
            return (self.cells[0].number if self.cells else 1), 1, 1
        index, cell_line = entry
        return self.cells[index].number, cell_line, self.file_line(self.cells[index], cell_line)

    def file_line(self, cell: Cell, cell_line: int) -> int:
        """The line of the document text where ``cell_line`` of ``cell`` is written (1-based)."""
        offset = cell.span.start
        if cell.items:
            seen = 0
            for value, span in cell.items:
                seen += len(_LINES.findall(value))
                offset = span.start
                if seen >= cell_line:
                    break
        if not self._newlines:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1


# --- reading ----------------------------------------------------------------------------------------------------


def read_bytes(raw: bytes) -> Notebook:
    """Decode, scan and mask a notebook; raises NotebookError with a one-line reason."""
    if len(raw) > MAX_BYTES:
        raise NotebookError(f"notebook is {len(raw) / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit; skipped")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not UTF-8 ({exc.reason} at byte {exc.start}); not a notebook") from None
    try:
        nbformat, cells = _scan_document(text)
    except RecursionError:
        raise NotebookError("JSON too deeply nested to read; not a notebook") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})") from None
    nb = Notebook(text, bom, nbformat, cells)
    _build_module(nb)
    return nb


def _skip(text: str, i: int) -> int:
    return _WS.match(text, i).end()  # type: ignore[union-attr]


def _fail(text: str, i: int, what: str) -> json.JSONDecodeError:
    return json.JSONDecodeError(what, text, i)


def _members(text: str, i: int, wanted: Dict[str, object]) -> Tuple[Dict[str, Tuple[object, Span]], int]:
    """Scan the object at ``text[i]``: wanted keys by their scanner, every other value by the stdlib decoder."""
    if text[i:i + 1] != "{":
        raise NotebookError("not a notebook: expected a JSON object")
    out: Dict[str, Tuple[object, Span]] = {}
    i = _skip(text, i + 1)
    if text[i:i + 1] == "}":
        return out, i + 1
    while True:
        if text[i:i + 1] != '"':
            raise _fail(text, i, "Expecting property name enclosed in double quotes")
        key, i = scanstring(text, i + 1)
        i = _skip(text, i)
        if text[i:i + 1] != ":":
            raise _fail(text, i, "Expecting ':' delimiter")
        start = i = _skip(text, i + 1)
        scanner = wanted.get(key)
        value, i = scanner(text, i) if scanner else _DECODER.raw_decode(text, i)  # type: ignore[operator]
        out[key] = (value, Span(start, i))
        i = _skip(text, i)
        if text[i:i + 1] == ",":
            i = _skip(text, i + 1)
        elif text[i:i + 1] == "}":
            return out, i + 1
        else:
            raise _fail(text, i, "Expecting ',' delimiter")


def _items(text: str, i: int, scan_item=None) -> Tuple[List[Tuple[object, Span]], int]:
    if text[i:i + 1] != "[":
        raise NotebookError("not a notebook: expected a JSON array")
    out: List[Tuple[object, Span]] = []
    i = _skip(text, i + 1)
    if text[i:i + 1] == "]":
        return out, i + 1
    while True:
        start = i
        value, i = scan_item(text, i) if scan_item else _DECODER.raw_decode(text, i)
        out.append((value, Span(start, i)))
        i = _skip(text, i)
        if text[i:i + 1] == ",":
            i = _skip(text, i + 1)
        elif text[i:i + 1] == "]":
            return out, i + 1
        else:
            raise _fail(text, i, "Expecting ',' delimiter")


def _source_value(text: str, i: int):
    if text[i:i + 1] == "[":
        return _items(text, i)
    return _DECODER.raw_decode(text, i)


def _cell(text: str, i: int):
    return _members(text, i, {"source": _source_value, "input": _source_value})


def _cell_list(text: str, i: int):
    return _items(text, i, _cell)


def _worksheet_list(text: str, i: int):
    return _items(text, i, lambda t, j: _members(t, j, {"cells": _cell_list}))


def _scan_document(text: str) -> Tuple[int, List[Cell]]:
    start = _skip(text, 0)
    if text[start:start + 1] != "{":
        if not text.strip():
            raise NotebookError("empty file; not a notebook")
        _DECODER.raw_decode(text, start)  # invalid JSON says so; valid JSON falls through
        raise NotebookError("not a notebook: the top level is not a JSON object")
    top, end = _members(text, start, {"cells": _cell_list, "worksheets": _worksheet_list})
    if text[_skip(text, end):]:
        raise _fail(text, _skip(text, end), "Extra data")
    version = top.get("nbformat", (4, None))[0]
    if not isinstance(version, int) or isinstance(version, bool) or version not in (3, 4):
        raise NotebookError(f"unsupported nbformat {version!r} (3 and 4 are read)")
    if "cells" in top:
        raw_cells = top["cells"][0]
    elif "worksheets" in top:
        raw_cells = [c for sheet, _ in top["worksheets"][0] for c in sheet.get("cells", ([], None))[0]]
    else:
        raise NotebookError("not a notebook: no 'cells' list")
    source_key = "source" if version >= 4 else "input"
    cells = []
    for number, (members, _span) in enumerate(raw_cells, 1):  # type: ignore[misc]
        kind = members.get("cell_type", (None, None))[0]
        if kind != "code":
            continue
        value, span = members.get(source_key, ("", None))
        if span is None:
            raise NotebookError(f"cell {number}: a code cell without {source_key!r}")
        cells.append(_make_cell(number, value, span))
    return version, cells


def _make_cell(number: int, value: object, span: Span) -> Cell:
    if isinstance(value, str):
        return Cell(number, value, span, None)
    if isinstance(value, list) and all(isinstance(item, str) for item, _ in value):
        return Cell(number, "".join(item for item, _ in value), span, list(value))  # type: ignore[arg-type]
    raise NotebookError(f"cell {number}: 'source' is not a string or a list of strings")


# --- masking and the joined module ---------------------------------------------------------------------------


def mask_cell(lines: Sequence[str]) -> List[str]:
    """The cell's lines with IPython syntax replaced (same count, each line keeps its ending)."""
    first = next((line for line in lines if line.strip()), "")
    magic = re.match(r"\s*%%(\w*)", first)
    if magic:
        if magic.group(1) not in PYTHON_CELL_MAGICS:
            return [_ending(line) for line in lines]
        at = lines.index(first)
        return [*lines[:at], _ending(first), *mask_cell(lines[at + 1:])]
    if not any(_looks_ipython(line.strip()) for line in lines):
        return list(lines)  # the common case: no candidate line, no scan
    out: List[str] = []
    fresh, quote, depth, continued = True, "", 0, False
    for line in lines:
        if continued:  # a masked line ended in a backslash: its continuation is masked too
            out.append(_ending(line))
            continued = line.rstrip("\r\n").endswith("\\")
            continue
        if fresh and not quote and depth == 0 and _looks_ipython(line.strip()):
            indent = line[:len(line) - len(line.lstrip())]
            out.append(_ending(line, indent + "pass" if indent else ""))  # a block keeps a statement
            continued = line.rstrip("\r\n").endswith("\\")
            continue
        out.append(line)
        quote, depth = _scan_line(line, quote, depth)
        fresh = not quote and depth == 0 and not line.rstrip("\r\n").endswith("\\")
    return out


def _looks_ipython(stripped: str) -> bool:
    if not stripped or stripped[0] == "#":
        return False
    return (
        stripped.startswith(_MAGIC_START)
        or stripped.startswith("get_ipython()")
        or (stripped.endswith("?") and _HELP.match(stripped) is not None)
        or _ASSIGN_MAGIC.match(stripped) is not None
    )


def _ending(line: str, body: str = "") -> str:
    return body + line[len(line.rstrip("\r\n")):]


def _scan_line(line: str, quote: str, depth: int) -> Tuple[str, int]:
    """Carry (open triple quote, bracket depth) across one line: enough to know where a logical line starts."""
    i, n = 0, len(line)
    while i < n:
        if quote:
            close = line.find(quote, i)
            while close > 0 and _escaped(line, close):
                close = line.find(quote, close + 1)
            if close < 0:
                return quote, depth
            i, quote = close + len(quote), ""
            continue
        match = _TOKEN.search(line, i)
        if match is None:
            break
        token = match.group()
        i = match.end()
        if token == "#":
            break
        if token in "([{":
            depth += 1
        elif token in ")]}":
            depth = max(0, depth - 1)
        else:
            opener = _STRING_OPEN.match(token).group(1)  # type: ignore[union-attr]
            if len(opener) == 3:
                quote = opener
            else:
                close = line.find(opener, i)
                while close > 0 and _escaped(line, close):
                    close = line.find(opener, close + 1)
                i = n if close < 0 else close + 1
    return quote, depth


def _escaped(line: str, at: int) -> bool:
    backslashes = len(line[:at]) - len(line[:at].rstrip("\\"))
    return backslashes % 2 == 1


def _parse(text: str) -> Optional[SyntaxError]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError) as exc:
        return SyntaxError(str(exc) or "too deeply nested for Python's parser")
    return None


def _build_module(nb: Notebook) -> None:
    for cell in nb.cells:
        lines = cell.lines
        cell.masked = mask_cell(lines)
        if cell.masked and not cell.masked[-1].endswith(("\n", "\r")):
            cell.masked[-1] += "\n"
    _join(nb)
    if not nb.cells:
        return
    error = _parse(nb.module)
    if error is None and not _crosses_cells(nb):
        return
    for cell in nb.cells:  # find the cells that do not parse on their own, blank them out, join again
        error = _parse("".join(cell.masked))
        if error is not None:
            original = "".join(cell.lines)
            if original != "".join(cell.masked) and _parse(original) is None:
                cell.masked = [line if line.endswith(("\n", "\r")) else line + "\n" for line in cell.lines]
                continue
            message = f"{type(error).__name__}: {error.msg}"
            cell.error = (error.lineno or 1, error.offset or 1, message)
            cell.masked = [_ending(line) or "\n" for line in cell.masked]
    _join(nb)


def _join(nb: Notebook) -> None:
    parts: List[str] = []
    line_map: List[Optional[Tuple[int, int]]] = []
    for index, cell in enumerate(nb.cells):
        if index:
            parts.append(BOUNDARY)
            line_map.append(None)
        parts.extend(cell.masked)
        line_map.extend((index, n) for n in range(1, len(cell.masked) + 1))
    nb.module = "".join(parts)
    nb.line_map = line_map


def _crosses_cells(nb: Notebook) -> bool:
    """Whether a top-level statement starts in one cell and ends in another (``if x:`` alone in a cell, say)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(nb.module)
    for stmt in tree.body:
        first = nb.line_map[stmt.lineno - 1]
        last = nb.line_map[(stmt.end_lineno or stmt.lineno) - 1]
        if first is None or last is None or first[0] != last[0]:
            return True
    return False


# --- writing -----------------------------------------------------------------------------------------------------


def split_module(nb: Notebook, module: str) -> Optional[List[str]]:
    """A rewritten module cut back into per-cell texts; None when the boundaries did not survive."""
    pieces = module.split(BOUNDARY)
    if len(pieces) != len(nb.cells):
        return None
    return pieces


def render(nb: Notebook, new_sources: Dict[int, str]) -> str:
    """The document text with the ``source`` of the cells in ``new_sources`` (index in ``nb.cells``) replaced."""
    ascii_only = nb.text.isascii()
    out: List[str] = []
    at = 0
    for index in sorted(new_sources, key=lambda i: nb.cells[i].span.start):
        cell = nb.cells[index]
        out.append(nb.text[at:cell.span.start])
        out.append(_source_json(nb.text, cell, new_sources[index], ascii_only))
        at = cell.span.end
    out.append(nb.text[at:])
    return ("\ufeff" if nb.bom else "") + "".join(out)


def _source_json(text: str, cell: Cell, source: str, ascii_only: bool) -> str:
    if cell.items is None:
        return json.dumps(source, ensure_ascii=ascii_only)
    known = {value: text[span.start:span.end] for value, span in cell.items}  # unchanged lines keep their bytes
    lines = re.findall(r"[^\n]*\n|[^\n]+$", source)
    tokens = [known.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in lines]
    if not tokens:
        return "[]"
    items = cell.items
    if items:
        open_ws = text[cell.span.start + 1:items[0][1].start]
        close_ws = text[items[-1][1].end:cell.span.end - 1]
        sep = text[items[0][1].end:items[1][1].start] if len(items) > 1 else "," + open_ws
    else:
        before = text[text.rfind("\n", 0, cell.span.start) + 1:cell.span.start]  # the '"source": ' line
        indent = before[:len(before) - len(before.lstrip())]
        open_ws, close_ws = "\n" + indent + " ", "\n" + indent
        sep = "," + open_ws
    return "[" + open_ws + sep.join(tokens) + close_ws + "]"


def document_sources(text: str) -> List[str]:
    """The code cells' sources of a document (to verify what ``render`` wrote)."""
    return [cell.source for cell in _scan_document(text.lstrip("\ufeff"))[1]]
