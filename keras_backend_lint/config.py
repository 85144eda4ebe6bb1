"""``[tool.keras-backend-lint]`` in ``pyproject.toml`` for the CLI (the flake8 plugin reads flake8's own config).

The nearest ``pyproject.toml`` with that table, walking up from the common directory of the paths given (see
``project.py``), wins; keys::

    [tool.keras-backend-lint]
    keras-version = "3"                 # or "2.15", ">=2.12,<3.4"
    select = ["KBL"]                    # codes or prefixes
    ignore = ["KBL204"]
    extend-select = ["KBL401"]
    exclude = ["legacy/"]               # replaces the default excludes
    extend-exclude = ["third_party"]    # adds to them
    [tool.keras-backend-lint.per-file-ignores]
    "tests/*" = ["KBL2"]

Command-line options override the file.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

SECTION = "keras-backend-lint"
LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude")
KNOWN_KEYS = ("keras-version", "per-file-ignores", *LIST_KEYS)


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    #: the pyproject.toml the values came from, or None
    path: Optional[str] = None
    keras_version: Optional[str] = None
    select: Optional[List[str]] = None
    ignore: Optional[List[str]] = None
    extend_select: Optional[List[str]] = None
    exclude: Optional[List[str]] = None
    extend_exclude: Optional[List[str]] = None
    #: (glob, codes) in file order
    per_file_ignores: List[Tuple[str, List[str]]] = field(default_factory=list)

    @property
    def root(self) -> str:
        """Globs in the file are relative to the directory that holds it."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()


def _load_toml(path: str) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.9/3.10 only
        try:
            import tomli as tomllib
        except ImportError:
            raise ConfigError(
                f"{path}: reading pyproject.toml on Python < 3.11 needs the 'tomli' package "
                "(pip install tomli), or pass the options on the command line"
            ) from None
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # tomllib.TOMLDecodeError is a ValueError
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply to read") from None


def _has_section_text(path: str) -> bool:
    """A cheap pre-test so that unrelated pyproject files are not parsed (nor need tomli on old Pythons)."""
    try:
        with open(path, "rb") as handle:
            return b"keras-backend-lint" in handle.read()
    except OSError:
        return False


def find(start: str) -> Optional[str]:
    """The nearest pyproject.toml at or above ``start`` that has a ``[tool.keras-backend-lint]`` table."""
    here = os.path.abspath(start)
    if not os.path.isdir(here):
        here = os.path.dirname(here)
    while True:
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate) and _has_section_text(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _codes(path: str, key: str, value: Any) -> List[str]:
    if isinstance(value, str):
        value = [part for part in value.replace(",", " ").split()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: [tool.{SECTION}] {key} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def parse(path: str, data: Dict[str, Any]) -> Config:
    tool = data.get("tool")
    table = tool.get(SECTION) if isinstance(tool, dict) else None
    if table is None:
        if SECTION in data or (tool is not None and not isinstance(tool, dict)):
            raise ConfigError(f"{path}: the settings belong in a [tool.{SECTION}] table")
        return Config()
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] must be a table")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) in [tool.{SECTION}]: {', '.join(unknown)} (known: {', '.join(KNOWN_KEYS)})"
        )
    config = Config(path=path)
    if "keras-version" in table:
        value = table["keras-version"]
        if isinstance(value, float):  # TOML's 2.10 is the number 2.1: the version the user meant is lost
            raise ConfigError(
                f"{path}: [tool.{SECTION}] keras-version = {value!r} is a number, which drops trailing zeros "
                f"(2.10 reads as 2.1); quote it: keras-version = \"...\""
            )
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # 3 means "3" without ambiguity
        if not isinstance(value, str):
            raise ConfigError(f"{path}: [tool.{SECTION}] keras-version must be a string such as \"3\" or \"2.15\"")
        if not value.strip():
            raise ConfigError(f"{path}: [tool.{SECTION}] keras-version is empty; give e.g. \"3\" or \"2.15\"")
        config.keras_version = value
    for key in LIST_KEYS:
        if key in table:
            setattr(config, key.replace("-", "_"), _codes(path, key, table[key]))
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{path}: [tool.{SECTION}] per-file-ignores must be a table of glob = [codes]")
    config.per_file_ignores = [(glob, _codes(path, f"per-file-ignores.{glob}", v)) for glob, v in pfi.items()]
    return config


def load(start: str, explicit: Optional[str] = None) -> Config:
    """The configuration for a run that starts at ``start`` (or from the ``explicit`` file)."""
    path = explicit or find(start)
    if path is None:
        return Config()
    if explicit and not os.path.isfile(explicit):
        raise ConfigError(f"{explicit}: no such configuration file")
    return parse(path, _load_toml(path))
