"""What a check reports: a rule, a position and the formatted message."""
from __future__ import annotations

from typing import Tuple

from .rules import Rule


class Violation:
    """One finding. Equal, hashed and ordered by position, code and message (the rule and the fix kind follow from
    those). A plain class: thousands are made per run, and a frozen dataclass costs more to make and to define."""

    __slots__ = ("line", "col", "code", "message", "rule", "fix")

    def __init__(self, line: int, col: int, code: str, message: str, rule: Rule, fix: str = "none") -> None:
        self.line = line
        #: 0-based, like ``ast`` and flake8's plugin protocol
        self.col = col
        self.code = code
        self.message = message
        self.rule = rule
        #: fix kind of this finding: safe, unsafe or none (a rule's fix can vary per name)
        self.fix = fix

    @property
    def text(self) -> str:
        return f"{self.code} {self.message}"

    def _key(self) -> Tuple[int, int, str, str]:
        return self.line, self.col, self.code, self.message

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Violation:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: "Violation") -> bool:
        return self._key() < other._key()

    def __le__(self, other: "Violation") -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: "Violation") -> bool:
        return self._key() > other._key()

    def __ge__(self, other: "Violation") -> bool:
        return self._key() >= other._key()

    def __repr__(self) -> str:
        return (f"Violation(line={self.line!r}, col={self.col!r}, code={self.code!r}, message={self.message!r}, "
                f"fix={self.fix!r})")


def violation(rule: Rule, node: object, fix: str = "none", **fields: object) -> Violation:
    return Violation(
        getattr(node, "lineno", 1), getattr(node, "col_offset", 0), rule.code, rule.format(**fields), rule, fix
    )
