"""What the project declares: one reader per dependency-file format, one model (``model.Declared``).

``discover(directory)`` lists a directory's dependency files, most precise first (lock files, then
``pyproject.toml``, ``requirements*.txt``, ``setup.cfg``, ``setup.py``, ``environment.yml``, ``Pipfile``); ``read``
never raises: a file that cannot be read comes back with ``problems`` (reported as KBL500).
"""
from __future__ import annotations

import fnmatch
import os
from typing import Callable, Dict, List, Optional, Tuple

from . import other_files, requirements, toml_files
from .model import DependencyFile, Problem

#: (filename glob, reader) in precedence order: the first file that pins Keras or TensorFlow gives the target
FORMATS: Tuple[Tuple[str, Callable[[str], DependencyFile]], ...] = (
    ("poetry.lock", toml_files.read_poetry_lock),
    ("uv.lock", toml_files.read_uv_lock),
    ("pdm.lock", toml_files.read_pdm_lock),
    ("Pipfile.lock", other_files.read_pipfile_lock),
    ("pyproject.toml", toml_files.read_pyproject),
    ("requirements*.txt", requirements.read),
    ("requirements*.in", requirements.read),
    ("setup.cfg", other_files.read_setup_cfg),
    ("setup.py", other_files.read_setup_py),
    ("environment.yml", other_files.read_environment_yml),
    ("environment.yaml", other_files.read_environment_yml),
    ("Pipfile", toml_files.read_pipfile),
)
#: the same list as one regex, for the pre-commit hook's ``files:`` (tests keep the two in step)
PRE_COMMIT_PATTERN = (
    r"(\.pyi?|(^|/)(requirements[^/]*\.(txt|in)|pyproject\.toml|setup\.(cfg|py)|environment\.ya?ml"
    r"|Pipfile(\.lock)?|(poetry|uv|pdm)\.lock))$"
)


def reader_for(path: str) -> Optional[Callable[[str], DependencyFile]]:
    name = os.path.basename(path)
    for pattern, reader in FORMATS:
        if fnmatch.fnmatchcase(name, pattern):
            return reader
    return None


def is_dependency_file(path: str) -> bool:
    """Whether ``path`` is a dependency file the CLI reads instead of checking it as Python (setup.py is both)."""
    return reader_for(path) is not None


def rank(path: str) -> int:
    name = os.path.basename(path)
    return next((i for i, (pattern, _) in enumerate(FORMATS) if fnmatch.fnmatchcase(name, pattern)), len(FORMATS))


def read(path: str) -> DependencyFile:
    reader = reader_for(path)
    if reader is None:
        return DependencyFile(path, "unknown", "file", problems=[Problem(path, 1, 1, "not a dependency file")])
    if not os.path.isfile(path):  # a FIFO or device would block the reader; a directory cannot be read
        return DependencyFile(path, "unknown", os.path.basename(path),
                              problems=[Problem(path, 1, 1, "not a regular file")])
    try:
        return reader(path)
    except Exception as exc:  # containment: a reader bug must not abort the run; reported like a bad file
        detail = " ".join(str(exc).split())
        return DependencyFile(path, "unknown", os.path.basename(path),
                              problems=[Problem(path, 1, 1, f"{type(exc).__name__}: {detail}")])


def discover(directory: str) -> List[str]:
    """The dependency files directly in ``directory``, most precise format first."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    found = [os.path.join(directory, n) for n in names if reader_for(n) and os.path.isfile(os.path.join(directory, n))]
    return sorted(found, key=lambda p: (rank(p), p))


def project_directory(start: str) -> Optional[str]:
    """The nearest directory at or above ``start`` that holds a dependency file.

    The walk stops at a repository root (``.git``/``.hg``) and never enters the home directory or the system's
    temporary directory from below: files there belong to no project.
    """
    import tempfile

    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    barriers = {os.path.abspath(os.path.expanduser("~")), os.path.abspath(tempfile.gettempdir())}
    while True:
        if discover(here):
            return here
        parent = os.path.dirname(here)
        if parent == here or parent in barriers or any(os.path.exists(os.path.join(here, m)) for m in (".git", ".hg")):
            return None
        here = parent


READERS: Dict[str, Callable[[str], DependencyFile]] = dict(FORMATS)
