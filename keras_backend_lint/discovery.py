"""Which files a ``check`` run looks at: walk the given paths, skip virtual environments, build output and VCS data.

Paths named explicitly on the command line are always checked (pre-commit passes file names); the excludes apply
to what a directory walk finds, and the user's ``--exclude``/``--extend-exclude`` globs also to explicit files.
"""
from __future__ import annotations

import fnmatch
import os
import re
import stat
from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

#: directory names never descended into (plus any directory that holds a ``pyvenv.cfg``)
DEFAULT_EXCLUDES: tuple = (
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".eggs",
    "*.egg-info",
    "site-packages",
    "build",
    "dist",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".cache",
    ".ipynb_checkpoints",
)

PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")


def is_source_file(name: str) -> bool:
    """The one test of which file names a directory walk hands to the engine (extend it for new source kinds)."""
    return name.endswith(PYTHON_SUFFIXES)


def _norm(path: str) -> str:
    path = os.path.normpath(path).replace(os.sep, "/")
    return path[2:] if path.startswith("./") else path


class Excluder:
    """Compiled exclude globs: a glob without ``/`` matches a base name, one with ``/`` a whole path (as given,
    relative to ``root`` or absolute)."""

    def __init__(self, patterns: Sequence[str], root: str = ".") -> None:
        names = [p.rstrip("/") for p in patterns if "/" not in p.rstrip("/")]
        paths = [p.rstrip("/") for p in patterns if "/" in p.rstrip("/")]
        self._name = re.compile("|".join(fnmatch.translate(p) for p in names)) if names else None
        self._path = re.compile("|".join(fnmatch.translate(p) for p in paths)) if paths else None
        self._root = os.path.abspath(root)

    def __bool__(self) -> bool:
        return self._name is not None or self._path is not None

    def name_matches(self, name: str) -> bool:
        return self._name is not None and self._name.match(name) is not None

    def path_matches(self, path: str) -> bool:
        if self._path is None:
            return False
        absolute = os.path.abspath(path)
        candidates = [_norm(path), _norm(absolute)]
        try:
            candidates.append(_norm(os.path.relpath(absolute, self._root)))
        except ValueError:  # another drive on Windows
            pass
        return any(self._path.match(c) for c in candidates)

    def matches(self, path: str, every_part: bool = False) -> bool:
        """Whether ``path`` is excluded; ``every_part`` also tests each directory name in it (explicit paths)."""
        norm = _norm(path)
        parts = norm.split("/") if every_part else [norm.rsplit("/", 1)[-1]]
        return any(self.name_matches(p) for p in parts) or self.path_matches(path)


def matches(path: str, patterns: Sequence[str], root: str = ".") -> bool:
    """Whether a glob in ``patterns`` excludes ``path`` (any directory name in it, or the whole path)."""
    return Excluder(patterns, root).matches(path, every_part=True)


def is_virtualenv(directory: str) -> bool:
    return os.path.isfile(os.path.join(directory, "pyvenv.cfg"))


def iter_files(
    paths: Iterable[str],
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    extend_exclude: Sequence[str] = (),
    root: str = ".",
    errors: Optional[List[Tuple[str, str]]] = None,
) -> Iterator[str]:
    """Python files under ``paths`` in a stable (sorted) order; a missing path is yielded as given (the caller
    reports it as unreadable). ``exclude`` replaces the defaults, ``extend_exclude`` adds to them. A directory
    the walk cannot enter (permissions, a path longer than the system allows) is appended to ``errors`` as
    ``(path, reason)``; without ``errors`` it is skipped silently."""
    walker = Excluder([*exclude, *extend_exclude], root)
    explicit = Excluder([p for p in [*exclude, *extend_exclude] if p not in DEFAULT_EXCLUDES], root)
    seen = set()  # one file named several ways (a.py, ./a.py, /abs/a.py, a symlink to it) is checked once
    for path in paths:
        if os.path.isdir(path):
            for found in _walk(path, walker, errors):
                key = _identity(found)
                if key not in seen:
                    seen.add(key)
                    yield found
        elif _identity(path) not in seen and not explicit.matches(path, every_part=True):
            seen.add(_identity(path))
            yield path


def _identity(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _walk(top: str, excluder: Excluder, errors: Optional[List[Tuple[str, str]]] = None) -> Iterator[str]:
    def failed(exc: OSError) -> None:
        if errors is not None:
            errors.append((exc.filename or top, exc.strerror or str(exc)))

    for dirpath, dirnames, filenames in os.walk(top, onerror=failed):
        keep = []
        for name in sorted(dirnames):
            full = os.path.join(dirpath, name)
            if excluder.name_matches(name) or excluder.path_matches(full) or is_virtualenv(full):
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not is_source_file(name):
                continue
            full = os.path.join(dirpath, name)
            if excluder.name_matches(name) or excluder.path_matches(full) or is_special_file(full):
                continue
            yield full


def is_special_file(path: str) -> bool:
    """A FIFO, socket or device named ``*.py`` (or a symlink to one): reading it would block or never end, so a
    directory walk skips it. Missing or unreadable entries are not special: the reader reports them."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)
