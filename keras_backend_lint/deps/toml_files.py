"""The TOML formats: ``pyproject.toml`` (PEP 621, PEP 735 groups, poetry), ``Pipfile`` and the lock files
``poetry.lock``, ``uv.lock``, ``pdm.lock``. TOML has no positions, so a requirement's line is found in the text."""
from __future__ import annotations

import re
import sys
from typing import Any, Callable, Dict, Iterable, List, Optional

from packaging.requirements import InvalidRequirement, Requirement

from . import specs
from .model import LOCK, MANIFEST, RELEVANT, Declared, DependencyFile, locate, name_pattern, normalise

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9/3.10 only
    import tomli as tomllib


def _load(path: str, out: DependencyFile) -> Optional[Dict[str, Any]]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        return tomllib.loads(raw.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        text = str(exc).splitlines()[0]
        line, col = getattr(exc, "lineno", None) or _number(text, "line"), getattr(exc, "colno", None) or _number(
            text, "column")
        out.problem(f"invalid TOML: {re.sub(r' [(]at line .*[)]$', '', text)}", line, col)
    except (OSError, UnicodeDecodeError) as exc:
        out.problem(f"cannot read the file: {exc}")
    return None


def _number(message: str, what: str) -> int:
    match = re.search(what + r" (\d+)", message)
    return int(match.group(1)) if match else 1


def _lines(path: str) -> List[str]:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def _add(out: DependencyFile, lines: List[str], name: str, spec: Optional[str], raw: str, where: str) -> None:
    """``where`` is a regex for the requirement's own text (a quoted PEP 508 string or a ``name =`` key)."""
    line, col = locate(lines, where)
    if (line, col) == (1, 1):
        line, col = locate(lines, name_pattern(name))
    if spec is None:
        if normalise(name) in RELEVANT:
            out.problem(f"{name} {raw!r} is not a version constraint that can be read", line, col)
        return
    out.declared.append(Declared(normalise(name), spec, out.path, line, col))


def _key(name: str) -> str:
    return r"^\s*[\"']?" + re.escape(name) + r"[\"']?\s*="


def _pep508_list(out: DependencyFile, lines: List[str], items: Iterable[Any]) -> None:
    for item in items:
        if not isinstance(item, str):
            continue  # PEP 735 {include-group = ...} tables and other non-strings declare nothing themselves
        try:
            req = Requirement(item)
        except InvalidRequirement as exc:
            line, col = locate(lines, re.escape(item))
            out.problem(f"{item!r} is not a requirement ({str(exc).splitlines()[0]})", line, col)
            continue
        _add(out, lines, req.name, str(req.specifier), item, r"(?<=[\"'])" + re.escape(item))


def _poetry_table(out: DependencyFile, lines: List[str], table: Any) -> None:
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        if normalise(name) == "python":
            continue
        if isinstance(value, dict):
            value = value.get("version", "*")
        elif isinstance(value, list):  # multiple-constraints dependency: the first one stands for it
            value = next((v.get("version", "*") for v in value if isinstance(v, dict)), "*")
        if not isinstance(value, str):
            continue
        _add(out, lines, name, specs.poetry(value), value, _key(name))


def read_pyproject(path: str) -> DependencyFile:
    out = DependencyFile(path, MANIFEST, "pyproject.toml")
    data = _load(path, out)
    if data is None:
        return out
    lines = _lines(path)
    project = data.get("project")
    if isinstance(project, dict):
        _pep508_list(out, lines, _strings(project.get("dependencies")))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for items in optional.values():
                _pep508_list(out, lines, _strings(items))
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for items in groups.values():
            _pep508_list(out, lines, _strings(items))
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict):
        _poetry_table(out, lines, poetry.get("dependencies"))
        _poetry_table(out, lines, poetry.get("dev-dependencies"))
        for group in (poetry.get("group") or {}).values() if isinstance(poetry.get("group"), dict) else ():
            if isinstance(group, dict):
                _poetry_table(out, lines, group.get("dependencies"))
    return out


def _strings(value: Any) -> List[Any]:
    return list(value) if isinstance(value, list) else []


def read_pipfile(path: str) -> DependencyFile:
    out = DependencyFile(path, MANIFEST, "Pipfile")
    data = _load(path, out)
    if data is None:
        return out
    lines = _lines(path)
    for section in ("packages", "dev-packages"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if isinstance(value, dict):
                value = value.get("version", "*")
            if isinstance(value, str):
                _add(out, lines, name, specs.pep440(value), value, _key(name))
    return out


def _read_lock(path: str, label: str) -> DependencyFile:
    out = DependencyFile(path, LOCK, label)
    data = _load(path, out)
    if data is None:
        return out
    lines = _lines(path)
    packages = data.get("package")
    if not isinstance(packages, list):
        out.problem("no [[package]] entries")
        return out
    for package in packages:
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        name, version = package["name"], package.get("version")
        if not isinstance(version, str):
            continue  # a local or virtual package without a version
        line, col = locate(lines, r'^\s*name\s*=\s*["\']' + name_pattern(name, bounded=False))
        spec = specs.pep440(f"=={version}")
        if spec is None:
            out.problem(f"{name} {version!r} is not a version", line, col)
            continue
        out.declared.append(Declared(normalise(name), spec, path, line, col))
    return out


def read_poetry_lock(path: str) -> DependencyFile:
    return _read_lock(path, "poetry.lock")


def read_uv_lock(path: str) -> DependencyFile:
    return _read_lock(path, "uv.lock")


def read_pdm_lock(path: str) -> DependencyFile:
    return _read_lock(path, "pdm.lock")


READERS: Dict[str, Callable[[str], DependencyFile]] = {
    "pyproject.toml": read_pyproject,
    "Pipfile": read_pipfile,
    "poetry.lock": read_poetry_lock,
    "uv.lock": read_uv_lock,
    "pdm.lock": read_pdm_lock,
}
