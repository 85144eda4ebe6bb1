"""Rule pages rendered for a terminal (``explain``): no HTML comments, no Markdown markup, absolute links."""
from __future__ import annotations

import posixpath
import re
from typing import List

_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def render(markdown: str, docs_base: str, page_dir: str = "docs/rules") -> str:
    """Plain text for ``markdown``; relative links become ``docs_base``-rooted URLs (``docs_base`` is the
    repository's blob URL, e.g. ``https://github.com/o/r/blob/main``)."""
    text = _COMMENT.sub("", markdown)
    out: List[str] = []
    in_code = False
    table: List[List[str]] = []
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append(("    " + line).rstrip())
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                table.append([_inline(c, docs_base, page_dir) for c in cells])
            continue
        if table:
            out.extend(_table(table))
            table = []
        heading = re.match(r"(#{1,6})\s+(.*)", line)
        if heading:
            title = _inline(heading.group(2), docs_base, page_dir)
            out.extend([title, ("=" if len(heading.group(1)) == 1 else "-") * len(title)])
            continue
        out.append(_inline(line, docs_base, page_dir))
    if table:
        out.extend(_table(table))
    rendered = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return rendered + "\n"


def _inline(text: str, docs_base: str, page_dir: str) -> str:
    def link(match: "re.Match[str]") -> str:
        label, target = match.group(1), match.group(2)
        if not re.match(r"[a-z]+:", target):
            target = f"{docs_base}/{posixpath.normpath(posixpath.join(page_dir, target))}"
        return _CODE.sub(r"\1", label) + f" ({target})"

    text = _LINK.sub(link, text)
    text = _BOLD.sub(r"\1", text)
    return _CODE.sub(r"\1", text)


def _table(rows: List[List[str]]) -> List[str]:
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r[0]) for r in rows)
    return ["  " + r[0].ljust(width) + "  " + "  ".join(r[1:]) for r in rows]
