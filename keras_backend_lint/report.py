"""What a check reports: a rule, a position and the formatted message."""
from __future__ import annotations

from dataclasses import dataclass, field

from .rules import Rule


@dataclass(frozen=True, order=True)
class Violation:
    line: int
    #: 0-based, like ``ast`` and flake8's plugin protocol
    col: int
    code: str
    message: str
    rule: Rule = field(compare=False, repr=False)
    #: fix kind of this finding: safe, unsafe or none (a rule's fix can vary per name)
    fix: str = field(default="none", compare=False)

    @property
    def text(self) -> str:
        return f"{self.code} {self.message}"


def violation(rule: Rule, node: object, fix: str = "none", **fields: object) -> Violation:
    return Violation(
        getattr(node, "lineno", 1), getattr(node, "col_offset", 0), rule.code, rule.format(**fields), rule, fix
    )
