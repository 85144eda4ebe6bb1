"""One model of "what the project declares", whatever file it came from."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

#: the projects whose pins decide which Keras the code gets (PEP 503 normalised names)
KERAS = "keras"
TF_KERAS = "tf-keras"
TENSORFLOW_NAMES = ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel")
DEAD_BACKENDS = ("theano", "cntk")
#: a constraint another tool can express but PEP 440 cannot (poetry ``^2 || ^3``, conda ``2.12|2.13``) is reported
#: (KBL500) only for these names: for any other package it is valid input that simply does not matter here
RELEVANT = frozenset((KERAS, TF_KERAS, *TENSORFLOW_NAMES, *DEAD_BACKENDS))

#: a lock file records what was resolved (exact); the other formats record what was asked for
LOCK = "lock"
MANIFEST = "manifest"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Declared:
    """One requirement: ``tensorflow==2.12.1`` at requirements.txt:4:1."""

    name: str
    #: a PEP 440 specifier set (``==2.12.1``, ``>=2.6,<3``); empty means any version
    spec: str
    path: str
    line: int
    #: 1-based
    col: int = 1

    @property
    def text(self) -> str:
        return f"{self.name}{self.spec}"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """A file (or a line of it) that cannot be read: reported as KBL500, never a traceback."""

    path: str
    line: int
    col: int
    message: str


@dataclass
class DependencyFile:
    path: str
    kind: str
    #: what the reader calls the format in messages (``requirements file``, ``poetry.lock``, ...)
    format: str
    declared: List[Declared] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    #: files pulled in with -r / -c (requirements only), for the messages
    included: Tuple[str, ...] = ()

    def find(self, *names: str) -> List[Declared]:
        return [d for d in self.declared if d.name in names]

    def first(self, *names: str) -> Optional[Declared]:
        found = self.find(*names)
        return found[0] if found else None

    def problem(self, message: str, line: int = 1, col: int = 1) -> None:
        self.problems.append(Problem(self.path, line, col, message))


def locate(lines: List[str], pattern: str, start: int = 0) -> Tuple[int, int]:
    """(1-based line, 1-based col) of the first match of ``pattern`` at or after line index ``start``; (1, 1)."""
    regex = re.compile(pattern, re.I)
    for index in range(start, len(lines)):
        match = regex.search(lines[index])
        if match:
            return index + 1, match.start() + 1
    return 1, 1


def name_pattern(name: str, bounded: bool = True) -> str:
    """A regex matching ``name`` spelled any PEP 503 way (tf_keras, TF-Keras, tf.keras); ``bounded``: as a whole
    word (not preceded by a name character either)."""
    parts = [re.escape(p) for p in re.split(r"[-_.]+", name)]
    return (r"(?<![\w.-])" if bounded else "") + r"[-_.]+".join(parts) + r"(?![\w-])"
