"""What one run checks for: the target and the codes that can be reported.

Its own small module so the flake8 plugin can hold its settings without importing the checks: a file that never
spells keras costs a flake8 run only this much (see ``plugin.py``)."""
from __future__ import annotations

from typing import FrozenSet, Optional

from .versions import Target


class Settings:
    """The target, and the codes that can be reported (None: all). Immutable by convention.

    A plain class, not a dataclass: the per-name verdicts are cached by settings, so its hash is computed once
    here instead of on every look-up; and defining a frozen dataclass costs every flake8 run about a millisecond."""

    __slots__ = ("target", "codes", "_hash")

    def __init__(self, target: Target, codes: Optional[FrozenSet[str]] = None) -> None:
        self.target = target
        #: codes that can be reported (None: all); lets the engine skip work nobody will see (KBL401 is off by
        #: default)
        self.codes = codes
        self._hash = hash((target, codes))

    def enabled(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Settings:
            return NotImplemented
        return self.target == other.target and self.codes == other.codes  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # unpickled through __init__: the hash is of the target's releases, which are new objects in a new process
        return Settings, (self.target, self.codes)

    def __repr__(self) -> str:
        return f"Settings(target={self.target!r}, codes={self.codes!r})"
