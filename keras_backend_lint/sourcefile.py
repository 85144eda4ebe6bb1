"""Reading Python files the way Python does (PEP 263 cookie, BOM), remembering how to write them back."""
from __future__ import annotations

import codecs
import tokenize
from dataclasses import dataclass
from typing import Optional


class SourceError(Exception):
    """A file that cannot be read or decoded; the message is one line for the user."""


@dataclass(frozen=True)
class SourceFile:
    path: str
    raw: bytes
    text: str
    encoding: str
    bom: bool
    #: the dominant line ending of the file, used when the fixer inserts lines
    newline: str
    #: ``atomic.stamp_of`` the file when read, to refuse writing over a file that changed since
    stamp: Optional[tuple] = None

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return (codecs.BOM_UTF8 + data) if self.bom else data


def decode(raw: bytes, path: str = "<stdin>", stamp: Optional[tuple] = None) -> SourceFile:
    if b"\x00" in raw:
        raise SourceError("contains NUL bytes; not a Python source file")
    try:
        # bytes.splitlines splits at \r\n, \r and \n, like Python's reader (BytesIO.readline misses lone CRs)
        encoding, _ = tokenize.detect_encoding(iter(raw.splitlines(True)[:2]).__next__)
    except SyntaxError as exc:
        raise SourceError(f"cannot detect encoding: {exc}") from None
    bom = raw.startswith(codecs.BOM_UTF8)
    body = raw[len(codecs.BOM_UTF8):] if bom else raw
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"cannot decode as {encoding}: {exc}") from None
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
    return SourceFile(path, raw, text, encoding, bom, newline, stamp)


def read(path: str) -> SourceFile:
    import os

    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            raw = handle.read()
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except OSError as exc:
        raise SourceError(exc.strerror or str(exc)) from None
    from .atomic import stamp_of

    return decode(raw, path, stamp_of(stat))
