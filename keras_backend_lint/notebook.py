"""Jupyter notebooks as one Python module: read, mask IPython syntax, map lines back to cells.

The engine and the fixer see plain Python: the code cells in notebook order, joined with a boundary comment line
between cells, IPython syntax (``%magic``, ``%%cell magic``, ``!shell``, ``obj?``, ``get_ipython()`` ...) masked by
blank lines or ``pass`` so that line numbers stay put. ``Notebook.where(line)`` maps a module line back to
(cell, line in cell, line of the ``.ipynb`` file). A cell that does not parse on its own is blanked out and reported.

Reading is the stdlib ``json``; where each ``source`` sits in the text (for the writer and for positions in the
``.ipynb`` file) is found by ``notebook_json`` only when needed. nbformat 3 (``worksheets``/``input``) and 4.x
are read; ``source`` may be one string or a list of strings.
"""
from __future__ import annotations

import ast
import bisect
import itertools
import json
import re
import warnings
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

#: larger files get a one-line error instead of being decoded: their size is outputs, and decoding them costs
#: memory a lint run should not spend (issue 14 lists a 50 MB notebook of outputs among the hostile inputs)
MAX_BYTES = 32 * 1024 * 1024
#: the line between two cells in the joined module (no "keras" in it: the engine's fast path stays fast)
BOUNDARY = "# --- kbl: next cell ---\n"
#: cell magics whose body is Python: only their first line is masked
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "memit", "mprun", "snakeviz"})

_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # Python's line ends (as fixer.split_lines)
_HELP = re.compile(r"[\w.*\[\]()]+\?{1,2}\s*$")  # obj?  obj.attr??  np.*load*?
_ASSIGN_MAGIC = re.compile(r"[\w.,\s\[\]()]+=\s*[%!]")  # files = !ls   t = %timeit -o f()
_MAGIC_START = ("%", "!", "?", "/", ",", ";")  # the last three: IPython autocall (/f x, ,f a b, ;f a b)
#: lines that might be IPython syntax (together a superset of ``_looks_ipython``; three simple searches per cell
#: are faster than one alternation)
_CANDIDATES = (
    re.compile(r"^[ \t]*(?:[%!?/,;]|get_ipython\(\))", re.M),
    re.compile(r"\?[ \t\r]*$", re.M),
    re.compile(r"=[ \t]*[%!]"),
)
_STRING_OPEN = re.compile(r"""[rRbBuUfF]{0,2}(\'\'\'|\"\"\"|'|")""")
_TOKEN = re.compile(r"""#|[rRbBuUfF]{0,2}(?:\'\'\'|\"\"\"|'|")|[(\[{]|[)\]}]""")


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
    #: whether ``source`` is stored as a list of strings (else as one string)
    is_list: bool
    masked: List[str] = field(default_factory=list)  # the cell's lines as the engine sees them
    error: Optional[Tuple[int, int, str]] = None  # (line, column, message) when the cell does not parse
    #: where the ``source`` value is in the text, and for a list each item's string and span (``Notebook.locate``)
    span: Optional[Span] = None
    items: Optional[List[Tuple[str, Span]]] = None
    item_lines: Optional[List[int]] = None

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
    #: the parsed ``module`` when every cell parsed (the checker reuses it)
    tree: Optional[ast.Module] = None
    #: every cell's (is code, ``source`` value as stored), in order: how ``locate`` recognises the cells
    all_sources: List[Tuple[bool, object]] = field(default_factory=list)
    _newlines: Optional[List[int]] = None

    def where(self, line: int) -> Tuple[int, int, int]:
        """(cell number, line in the cell, line in the .ipynb file) of a module line."""
        entry = self.line_map[line - 1] if 0 < line <= len(self.line_map) else None
        if entry is None:
            return (self.cells[0].number if self.cells else 1), 1, 1
        index, cell_line = entry
        return self.cells[index].number, cell_line, self.file_line(self.cells[index], cell_line)

    def locate(self) -> None:
        """Find every code cell's ``source`` in the text (once; reading did not need it)."""
        if self.cells and self.cells[0].span is None:
            from .notebook_json import locate_sources, quick_locate

            key = "input" if self.nbformat == 3 else "source"
            found = quick_locate(self.text, key, self.all_sources) or locate_sources(self.text)
            if len(found) != len(self.cells):
                raise NotebookError("the JSON text and its decoded cells disagree")
            for cell, span in zip(self.cells, found):
                cell.span = span

    def items_of(self, cell: Cell) -> Optional[List[Tuple[str, Span]]]:
        """A list ``source``'s items with their spans (None for a string ``source``)."""
        self.locate()
        if cell.is_list and cell.items is None and cell.span is not None:
            from .notebook_json import list_items

            cell.items = list_items(self.text, cell.span.start)
        return cell.items

    def file_line(self, cell: Cell, cell_line: int) -> int:
        """The line of the document text where ``cell_line`` of ``cell`` is written (1-based)."""
        self.locate()
        offset = cell.span.start if cell.span else 0
        items = self.items_of(cell)
        if items:
            if cell.item_lines is None:  # the cell line each list item starts with
                cell.item_lines, first = [], 1
                for value, _ in items:
                    cell.item_lines.append(first)
                    first += len(_LINES.findall(value))
            at = bisect.bisect_right(cell.item_lines, cell_line) - 1
            offset = items[max(at, 0)][1].start
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, offset) + 1


# --- reading ----------------------------------------------------------------------------------------------------


def read_bytes(raw: bytes) -> Notebook:
    """Decode and mask a notebook; raises NotebookError with a one-line reason."""
    if len(raw) > MAX_BYTES:
        raise NotebookError(f"notebook is {len(raw) / 2**20:.1f} MB, over the {MAX_BYTES // 2**20} MB limit; "
                            "clear its outputs (jupyter nbconvert --clear-output) to check it")
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        text = raw[3 if bom else 0:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not UTF-8 ({exc.reason} at byte {exc.start}); not a notebook") from None
    if not text.strip():
        raise NotebookError("empty file; not a notebook")
    try:
        data = json.loads(text)
    except RecursionError:
        raise NotebookError("JSON too deeply nested to read; not a notebook") from None
    except json.JSONDecodeError as exc:
        raise NotebookError(f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno})") from None
    everything: list = []
    nbformat, cells = _code_cells(data, everything)
    nb = Notebook(text, bom, nbformat, cells, all_sources=everything)
    _build_module(nb)
    return nb


def code_sources(text: str) -> List[str]:
    """The code cells' sources of a document text (to check what the writer produced)."""
    return [cell.source for cell in _code_cells(json.loads(text))[1]]


def _code_cells(data: object, everything: Optional[list] = None) -> Tuple[int, List[Cell]]:
    """The code cells of a decoded document, checked to be shaped like a notebook; ``everything`` collects each
    cell's (is code, ``source`` value)."""
    everything = [] if everything is None else everything
    if not isinstance(data, dict):
        raise NotebookError("not a notebook: the top level is not a JSON object")
    version = data.get("nbformat", 4)
    if not isinstance(version, int) or isinstance(version, bool) or version not in (3, 4):
        raise NotebookError(f"unsupported nbformat {version!r} (3 and 4 are read)")
    if "cells" in data:
        raw_cells = data["cells"]
    elif "worksheets" in data and isinstance(data["worksheets"], list):
        sheets = [sheet.get("cells") for sheet in data["worksheets"] if isinstance(sheet, dict)]
        raw_cells = [cell for cells in sheets if isinstance(cells, list) for cell in cells]
    else:
        raise NotebookError("not a notebook: no 'cells' list")
    if not isinstance(raw_cells, list):
        raise NotebookError("not a notebook: 'cells' is not a list")
    source_key = "source" if version >= 4 else "input"
    cells = []
    for number, cell in enumerate(raw_cells, 1):
        if not isinstance(cell, dict):
            raise NotebookError(f"cell {number}: not a JSON object")
        if cell.get("cell_type") != "code":
            if source_key in cell:
                everything.append((False, cell[source_key]))
            continue
        if source_key not in cell:
            raise NotebookError(f"cell {number}: a code cell without {source_key!r}")
        value = cell[source_key]
        everything.append((True, value))
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            cells.append(Cell(number, "".join(value), True))
        elif isinstance(value, str):
            cells.append(Cell(number, value, False))
        else:
            raise NotebookError(f"cell {number}: {source_key!r} is not a string or a list of strings")
    return version, cells


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
    text = "".join(lines)
    candidates = [m.start() for pattern in _CANDIDATES for m in pattern.finditer(text)]
    if not candidates:
        return list(lines)  # the common case: no line that could be IPython syntax, no scan
    starts = list(itertools.accumulate(len(line) for line in lines[:-1]))
    last = bisect.bisect_right(starts, max(candidates))  # no scan is needed past the last candidate line
    out: List[str] = []
    fresh, quote, depth, continued = True, "", 0, False
    for number, line in enumerate(lines):
        if number > last and not continued:
            out.extend(lines[number:])
            break
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


def _parse(text: str) -> Tuple[Optional[ast.Module], Optional[SyntaxError]]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text), None
    except SyntaxError as exc:
        return None, exc
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, SyntaxError(str(exc) or "too deeply nested for Python's parser")


def _build_module(nb: Notebook) -> None:
    if "keras" not in nb.text and "KERAS_BACKEND" not in nb.text:
        return  # the engine's fast path, before any masking: an empty module has nothing to check or fix
    for cell in nb.cells:
        lines = cell.lines
        cell.masked = mask_cell(lines)
        if cell.masked and not cell.masked[-1].endswith(("\n", "\r")):
            cell.masked[-1] += "\n"
    _join(nb)
    if not nb.cells or not ("keras" in nb.module or "KERAS_BACKEND" in nb.module):
        return  # like a .py file: nothing to check, so no parse (and no syntax error reported)
    tree, error = _parse(nb.module)
    if tree is not None and not _crosses_cells(nb, tree):
        nb.tree = tree  # the checker reuses it: a notebook is parsed once, like a file
        return
    for cell in nb.cells:  # find the cells that do not parse on their own, blank them out, join again
        _, error = _parse("".join(cell.masked))
        if error is not None:
            original = "".join(cell.lines)
            if original != "".join(cell.masked) and _parse(original)[1] is None:
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


def _crosses_cells(nb: Notebook, tree: ast.Module) -> bool:
    """Whether a top-level statement starts in one cell and ends in another (``if x:`` alone in a cell, say)."""
    for stmt in tree.body:
        first = nb.line_map[stmt.lineno - 1]
        last = nb.line_map[(stmt.end_lineno or stmt.lineno) - 1]
        if first is None or last is None or first[0] != last[0]:
            return True
    return False
