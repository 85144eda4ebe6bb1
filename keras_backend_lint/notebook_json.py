"""Where each code cell's ``source`` is in a notebook's JSON text, and splicing new ``source`` values into it.

A small position-aware scanner: the stdlib decoder reads every value, only the path to the cells' ``source`` is
walked by hand. ``render`` replaces the changed cells' ``source`` values in the original text, so every other byte
(key order, indentation, outputs, ids, metadata, escapes, line endings, final newline) stays as it was; an
unchanged line inside a changed list keeps its original JSON token.
"""
from __future__ import annotations

import json
import re
from json.decoder import scanstring
from typing import Dict, List, Optional, Tuple

from .notebook import Cell, Notebook, NotebookError, Span

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

_SOURCE_KEY = re.compile(r'"(source|input)"[ \t\n\r]*:[ \t\n\r]*')


def quick_locate(text: str, key: str, every_source: List[Tuple[bool, object]]) -> Optional[List[Span]]:
    """The span of each code cell's ``source``, found by its key and recognised by its value (C-speed decoding).

    ``every_source`` is each cell's (is code, value) in document order. A ``"source"`` key elsewhere (in
    metadata, say) is skipped unless its value equals the next cell's; None when the cells cannot all be found in
    order (``locate_sources`` then walks the document). The writer reads its result back before writing.
    """
    out: List[Span] = []
    want = iter(every_source)
    current = next(want, None)
    for match in _SOURCE_KEY.finditer(text):
        if current is None:
            break
        if match.group(1) != key:
            continue
        try:
            value, end = _DECODER.raw_decode(text, match.end())
        except ValueError:
            continue
        is_code, expected = current
        if value != expected:
            continue
        if is_code:
            out.append(Span(match.end(), end))
        current = next(want, None)
    return out if current is None else None


def locate_sources(text: str) -> List[Span]:
    """The span of every code cell's ``source``, in order, by walking the document's structure."""
    start = _skip(text, 0)
    top, _ = _members(text, start, {"cells": _cell_list, "worksheets": _worksheet_list})
    version = top.get("nbformat", (4, None))[0]
    key = "input" if version == 3 else "source"
    if "cells" in top:
        cells = top["cells"][0]
    else:
        cells = [c for sheet, _ in top["worksheets"][0] for c in sheet.get("cells", ([], None))[0]]
    out: List[Span] = []
    for members, _span in cells:  # type: ignore[misc]
        if members.get("cell_type", (None, None))[0] != "code":
            continue
        value, span = members.get(key, (None, None))
        if span is None:
            raise NotebookError("a code cell without source")
        out.append(span)
    return out


def list_items(text: str, start: int) -> List[Tuple[str, Span]]:
    """The items of the JSON list of strings at ``text[start]`` with their spans."""
    return [(value, span) for value, span in _items(text, start)[0]]  # type: ignore[misc]


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


def _cell(text: str, i: int):
    return _members(text, i, {})


def _cell_list(text: str, i: int):
    return _items(text, i, _cell)


def _worksheet_list(text: str, i: int):
    return _items(text, i, lambda t, j: _members(t, j, {"cells": _cell_list}))


def render(nb: Notebook, new_sources: Dict[int, str]) -> str:
    """The document text with the ``source`` of the cells in ``new_sources`` (index in ``nb.cells``) replaced."""
    nb.locate()
    ascii_only = nb.text.isascii()
    out: List[str] = []
    at = 0
    for index in sorted(new_sources, key=lambda i: nb.cells[i].span.start):
        cell = nb.cells[index]
        out.append(nb.text[at:cell.span.start])
        out.append(_source_json(nb.text, cell, nb.items_of(cell), new_sources[index], ascii_only))
        at = cell.span.end
    out.append(nb.text[at:])
    return ("\ufeff" if nb.bom else "") + "".join(out)


def _source_json(text: str, cell: Cell, items, source: str, ascii_only: bool) -> str:
    if not cell.is_list or items is None:
        return json.dumps(source, ensure_ascii=ascii_only)
    known = {value: text[span.start:span.end] for value, span in items}  # unchanged lines keep their bytes
    lines = re.findall(r"[^\n]*\n|[^\n]+$", source)
    tokens = [known.get(line) or json.dumps(line, ensure_ascii=ascii_only) for line in lines]
    if not tokens:
        return "[]"
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
