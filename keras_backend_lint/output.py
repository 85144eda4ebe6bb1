"""Formatters for ``keras-backend-lint check``: text (flake8-style), json (stable shape), sarif (2.1.0), github.

The JSON shape (``JSON_FORMAT_VERSION`` 1, documented in docs/output-formats.md)::

    {
      "format_version": 1,
      "tool": {"name": "keras-backend-lint", "version": "0.1.0"},
      "target": {"keras": "3.15", "spec": "3.15.1", "source": "installed keras 3.15.1"},
      "files_checked": 4,
      "findings": [{"path", "line", "column", "end_line", "code", "name", "message", "fix", "url"}],
      "errors": [{"path", "line", "column", "code", "message"}],
      "statistics": {"KBL201": 3}
    }

``line``/``column`` are 1-based and ``column`` counts like flake8 (the ``ast`` offset plus one) so that tools can
compare the two outputs. Keys are only ever added, never renamed or removed, without bumping the version.
"""
from __future__ import annotations

import functools
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Callable, Dict, List

from . import __version__, rules

JSON_FORMAT_VERSION = 1
TOOL_NAME = "keras-backend-lint"
REPO_URL = "https://github.com/keras-backend-lint/keras-backend-lint"
DOCS_URL = REPO_URL + "/blob/main/docs/rules/{code}.md"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

#: codes of file-level problems that are not rules of the catalogue (the flake8 codes for the same situations)
E_IO = "E902"
E_SYNTAX = "E999"


def _order(item) -> tuple:
    """Sort key: a notebook's positions are (cell, line in the cell); ``cell`` is 0 elsewhere."""
    return (item.path, item.cell, item.line, item.column, item.code, item.message)


@functools.total_ordering
@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    #: 1-based, flake8's column (the ``ast`` UTF-8 byte offset plus one)
    column: int
    code: str
    message: str
    fix: str = field(default=rules.NO_FIX, compare=False)
    #: 1-based column in Unicode code points (SARIF); equals ``column`` on ASCII lines
    char_column: int = field(default=0, compare=False)
    #: notebooks (``.ipynb``): the cell number (1-based, every cell counted) and the line of the JSON file that
    #: holds the source line; ``line``/``column`` are then within the cell. 0 for other files.
    cell: int = 0
    file_line: int = field(default=0, compare=False)

    def __lt__(self, other: "Finding") -> bool:
        return _order(self) < _order(other)

    @property
    def name(self) -> str:
        rule = rules.BY_CODE.get(self.code)
        return rule.name if rule else ""


@functools.total_ordering
@dataclass(frozen=True)
class FileError:
    path: str
    line: int
    column: int
    code: str
    message: str
    cell: int = 0
    file_line: int = field(default=0, compare=False)

    def __lt__(self, other: "FileError") -> bool:
        return _order(self) < _order(other)


def _where(path: str, cell: int, line: int, column: int) -> str:
    """``path:line:col``, or ruff's ``path:cell N:line:col`` in a notebook."""
    return f"{path}:cell {cell}:{line}:{column}" if cell else f"{path}:{line}:{column}"


@dataclass
class Report:
    findings: List[Finding]
    errors: List[FileError]
    files_checked: int
    #: {"keras": label, "spec": what the user wrote, "source": where it came from}
    target: Dict[str, str]

    def statistics(self) -> Dict[str, int]:
        counts = Counter(f.code for f in self.findings)
        return {code: counts[code] for code in sorted(counts)}


def rule_url(code: str) -> str:
    return DOCS_URL.format(code=code)


# --- paths: any name the file system allows, in any output ---------------------------------------------------

#: characters that reorder displayed text (Trojan Source) or are invisible marks
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def display_path(path: str) -> str:
    """``path`` as one printable, encodable line: control characters (newlines included), undecodable bytes,
    lone surrogates and bidi controls become backslash escapes (a backslash itself stays as it is)."""
    if path.isascii() and path.isprintable():
        return path
    out = []
    for ch in path:
        code = ord(ch)
        if ch in BIDI or 0xD800 <= code <= 0xDFFF or (not ch.isprintable() and ch != " "):
            out.append(_escape_char(ch))
        else:
            out.append(ch)
    return "".join(out)


#: CPython's parser raises a bare MemoryError for a parser stack overflow (5,000 nested lambdas, a few kB) as well
#: as when memory runs out; only a big file can exhaust memory, so the size tells the two apart
OUT_OF_MEMORY_BYTES = 1_000_000


def memory_error_reason(text: str) -> str:
    if len(text) >= OUT_OF_MEMORY_BYTES:
        return f"out of memory while parsing this file ({len(text) / 1e6:.1f} MB)"
    return "too deeply nested for Python's parser"


def one_line(text: str) -> str:
    """A message for stderr or a workflow command: no line breaks, nothing a terminal or CI would interpret."""
    return display_path(" ".join(text.split("\n")).replace("\r", " "))


# --- text -----------------------------------------------------------------------------------------------------


def format_text(report: Report, out: IO[str], statistics: bool = False) -> None:
    lines = sorted(
        [(f.path, f.cell, f.line, f.column, f"{f.code} {f.message}") for f in report.findings]
        + [(e.path, e.cell, e.line, e.column, f"{e.code} {e.message}") for e in report.errors]
    )
    for path, cell, line, column, text in lines:
        out.write(f"{_where(display_path(path), cell, line, column)}: {one_line(text)}\n")
    if statistics:
        firsts: Dict[str, str] = {}
        for f in sorted(report.findings):
            firsts.setdefault(f.code, f.message)
        for code, count in report.statistics().items():
            out.write(f"{count:<5} {code} {firsts[code]}\n")


# --- json -----------------------------------------------------------------------------------------------------


def as_json(report: Report) -> dict:
    return {
        "format_version": JSON_FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "target": dict(report.target),
        "files_checked": report.files_checked,
        "findings": [
            {
                "path": display_path(f.path),
                **({"cell": f.cell} if f.cell else {}),
                "line": f.line,
                "column": f.column,
                "code": f.code,
                "name": f.name,
                "message": f.message,
                "fix": f.fix,
                "url": rule_url(f.code),
            }
            for f in sorted(report.findings)
        ],
        "errors": [
            {"path": display_path(e.path), **({"cell": e.cell} if e.cell else {}), "line": e.line,
             "column": e.column, "code": e.code, "message": e.message}
            for e in sorted(report.errors)
        ],
        "statistics": report.statistics(),
    }


def format_json(report: Report, out: IO[str], statistics: bool = False) -> None:
    json.dump(as_json(report), out, indent=2)
    out.write("\n")


# --- sarif ----------------------------------------------------------------------------------------------------


def _uri(path: str) -> str:
    from urllib.parse import quote

    norm = path.replace(os.sep, "/")
    # percent-encode the file system's bytes: lossless for any name, even one that is not valid UTF-8
    if os.path.isabs(path):
        return "file://" + quote(os.fsencode(norm if norm.startswith("/") else "/" + norm))
    while norm.startswith("./"):
        norm = norm[2:]
    return quote(os.fsencode(norm))


def sarif_rules() -> List[dict]:
    out = []
    for rule in rules.RULES:
        out.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.summary},
                "helpUri": rule_url(rule.code),
                "help": {"text": f"{rule.summary}. See {rule_url(rule.code)}"},
                "defaultConfiguration": {
                    "enabled": rule.default_enabled,
                    "level": "error" if rule.code == "KBL000" else "warning",
                },
                "properties": {"fix": rule.fix, "family": rule.family},
            }
        )
    return out


def _error_region(e: FileError) -> dict:
    if e.cell:  # a notebook: the line of the .ipynb file that holds the cell's source line
        return {"startLine": max(e.file_line, 1)}
    return {"startLine": max(e.line, 1), "startColumn": max(e.column, 1)}


def as_sarif(report: Report) -> dict:
    index = {rule.code: i for i, rule in enumerate(rules.RULES)}
    results = []
    for f in sorted(report.findings):
        result = {
            "ruleId": f.code,
            "level": "error" if f.code == "KBL000" else "warning",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.char_column or f.column},
                    }
                }
            ],
            "properties": {"fix": f.fix},
        }
        if f.cell:  # the region is the line of the .ipynb file; the cell position is a property
            result["locations"][0]["physicalLocation"]["region"] = {"startLine": f.file_line or 1}
            result["properties"].update(cell=f.cell, cellLine=f.line, cellColumn=f.char_column or f.column)
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if os.path.isabs(f.path):
            del result["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
        results.append(result)
    notifications = [
        {
            "level": "error",
            "message": {"text": f"{e.code} {e.message}"},
            "descriptor": {"id": e.code},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(e.path)},
                        "region": _error_region(e),
                    }
                }
            ],
        }
        for e in sorted(report.errors)
    ]
    cwd = os.getcwd().replace(os.sep, "/")
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": REPO_URL,
                        "rules": sarif_rules(),
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": _uri(cwd if cwd.startswith("/") else "/" + cwd) + "/"}},
                "columnKind": "unicodeCodePoints",
                "invocations": [
                    {
                        "executionSuccessful": not any(e.code == E_IO for e in report.errors),
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "properties": {"target": dict(report.target), "filesChecked": report.files_checked},
                "results": results,
            }
        ],
    }


def format_sarif(report: Report, out: IO[str], statistics: bool = False) -> None:
    json.dump(as_sarif(report), out, indent=2)
    out.write("\n")


# --- github ---------------------------------------------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(report: Report, out: IO[str], statistics: bool = False) -> None:
    """GitHub Actions workflow commands: one ``::error`` annotation per finding or file error."""
    items = sorted(
        [(f.path, f.cell, f.line, f.column, f.code, f.file_line, f"{f.code} {f.message}") for f in report.findings]
        + [(e.path, e.cell, e.line, e.column, e.code, e.file_line, f"{e.code} {e.message}") for e in report.errors]
    )
    for path, cell, line, column, code, file_line, text in items:
        where = f"line={line},col={column}"
        if cell:  # an annotation on the .ipynb file's own line; the cell position goes into the message
            where, text = f"line={file_line or 1}", f"cell {cell}:{line}:{column}: {text}"
        out.write(
            f"::error title={_escape_property('keras-backend-lint ' + code)},"
            f"file={_escape_property(display_path(path))},"
            f"{where}::{_escape_data(text)}\n"
        )


FORMATTERS: Dict[str, Callable[..., None]] = {
    "text": format_text,
    "json": format_json,
    "sarif": format_sarif,
    "github": format_github,
}


def write(report: Report, fmt: str, out: IO[str], statistics: bool = False) -> None:
    FORMATTERS[fmt](report, out, statistics=statistics)


__all__ = [
    "display_path", "one_line", "Finding", "FileError", "Report", "FORMATTERS", "write", "as_json", "as_sarif",
    "rule_url",
]
