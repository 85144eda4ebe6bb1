"""``setup.cfg``, ``setup.py`` (read with ``ast``, never executed), ``environment.yml`` and ``Pipfile.lock``."""
from __future__ import annotations

import ast
import configparser
import json
import re
import warnings
from typing import Dict, List, Optional

from packaging.requirements import InvalidRequirement, Requirement

from . import specs
from .model import LOCK, MANIFEST, RELEVANT, Declared, DependencyFile, locate, name_pattern, normalise


def _text(path: str, out: DependencyFile) -> Optional[str]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        out.problem(f"cannot read the file: {exc}")
        return None


def _requirement(out: DependencyFile, item: str, line: int, col: int) -> None:
    try:
        req = Requirement(item)
    except InvalidRequirement as exc:
        out.problem(f"{item!r} is not a requirement ({str(exc).splitlines()[0]})", line, col)
        return
    out.declared.append(Declared(normalise(req.name), str(req.specifier), out.path, line, col))


# --- setup.cfg ------------------------------------------------------------------------------------------------


def read_setup_cfg(path: str) -> DependencyFile:
    out = DependencyFile(path, MANIFEST, "setup.cfg")
    text = _text(path, out)
    if text is None:
        return out
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        out.problem(f"invalid INI syntax: {str(exc).splitlines()[0]}", getattr(exc, "lineno", 1) or 1)
        return out
    lines = text.splitlines()
    values: List[str] = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values.extend(parser.get("options.extras_require", key) for key in parser.options("options.extras_require"))
    start = locate(lines, r"^\s*\[options\]")[0] - 1
    for value in values:
        for item in value.splitlines():
            item = re.sub(r"(^|\s)[#;].*$", "", item).strip()
            if not item:
                continue
            line, col = locate(lines, re.escape(item), start)
            _requirement(out, item, line, col)
    return out


# --- setup.py -------------------------------------------------------------------------------------------------


def read_setup_py(path: str) -> DependencyFile:
    out = DependencyFile(path, MANIFEST, "setup.py")
    text = _text(path, out)
    if text is None:
        return out
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        out.problem(f"not valid Python: {getattr(exc, 'msg', exc)}", getattr(exc, "lineno", 1) or 1)
        return out
    # module-level NAME = [...] assignments, so `install_requires=REQUIRED` is read too
    literals: Dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            literals[node.targets[0].id] = node.value
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called_name(node.func) == "setup"):
            continue
        for keyword in node.keywords:
            value = keyword.value
            if isinstance(value, ast.Name):
                value = literals.get(value.id, value)
            if keyword.arg == "install_requires":
                _literal_list(out, value)
            elif keyword.arg == "extras_require" and isinstance(value, ast.Dict):
                for item in value.values:
                    _literal_list(out, literals.get(item.id, item) if isinstance(item, ast.Name) else item)
    return out


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _literal_list(out: DependencyFile, value: ast.expr) -> None:
    if not isinstance(value, (ast.List, ast.Tuple)):
        return  # computed at run time: never executed, so nothing to read
    for element in value.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            _requirement(out, element.value, element.lineno, element.col_offset + 2)  # +1 base, +1 for the quote


# --- environment.yml ------------------------------------------------------------------------------------------

LIST_ITEM = re.compile(r"^(?P<indent>\s*)-\s*(?P<value>.*?)\s*$")
KEY = re.compile(r"^(?P<indent>\s*)(?:-\s*)?(?P<key>[\w.-]+)\s*:\s*(?P<rest>.*?)\s*$")


def read_environment_yml(path: str) -> DependencyFile:
    """The subset conda writes: ``dependencies:`` with ``- name spec`` items and a nested ``- pip:`` list.

    A tiny reader instead of a YAML dependency: anchors, flow lists and multi-document files are not read (they
    are reported), which is what ``conda env export`` and hand-written environment files use.
    """
    out = DependencyFile(path, MANIFEST, "environment.yml")
    text = _text(path, out)
    if text is None:
        return out
    lines = text.splitlines()
    in_deps, pip_indent = False, -1
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if not line.strip():
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            out.problem("tab in indentation (YAML allows spaces only)", number)
            return out
        indent = len(line) - len(line.lstrip())
        item = LIST_ITEM.match(line)
        key = KEY.match(line)
        if not in_deps:
            if key and key.group("key") == "dependencies" and indent == 0 and not line.lstrip().startswith("-"):
                if key.group("rest"):
                    out.problem("dependencies must be a block list ('- name' lines)", number)
                    return out
                in_deps = True
            continue
        if indent == 0 and not item:
            in_deps = False  # the next top-level key
            continue
        if item is None:
            out.problem(f"unexpected line in dependencies: {line.strip()!r}", number, indent + 1)
            continue
        value = item.group("value").strip("'\"")
        if value.rstrip(":") == "pip" and value.endswith(":"):
            pip_indent = indent
            continue
        col = line.find(value, indent) + 1 if value else indent + 1
        if pip_indent >= 0 and indent > pip_indent:
            if not value.startswith("-"):  # pip options (-r file, --index-url) declare nothing here
                _requirement(out, value, number, col)
            continue
        pip_indent = -1
        _conda_item(out, value, number, col)
    return out


CONDA_ITEM = re.compile(r"^(?:[\w.-]+::)?(?P<name>[A-Za-z0-9][\w.-]*)\s*(?P<spec>.*)$")


def _conda_item(out: DependencyFile, value: str, line: int, col: int) -> None:
    match = CONDA_ITEM.match(value)
    spec = specs.conda(match.group("spec")) if match else None
    if match is None:
        out.problem(f"{value!r} is not a conda package spec", line, col)
        return
    if spec is None:
        if normalise(match.group("name")) in RELEVANT:
            out.problem(f"{value!r} is not a conda version spec that can be read", line, col)
        return
    channel = value.index("::") + 2 if "::" in value else 0
    out.declared.append(Declared(normalise(match.group("name")), spec, out.path, line, col + channel))


# --- Pipfile.lock ---------------------------------------------------------------------------------------------


def read_pipfile_lock(path: str) -> DependencyFile:
    out = DependencyFile(path, LOCK, "Pipfile.lock")
    text = _text(path, out)
    if text is None:
        return out
    try:
        data = json.loads(text)
    except ValueError as exc:
        out.problem(f"invalid JSON: {exc}", getattr(exc, "lineno", 1) or 1, getattr(exc, "colno", 1) or 1)
        return out
    if not isinstance(data, dict):
        out.problem("not a Pipfile.lock: the top level is not an object")
        return out
    lines = text.splitlines()
    for section in ("default", "develop"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        start = locate(lines, f'"{section}"\\s*:')[0] - 1
        for name, entry in table.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(version, str):
                continue
            line, col = locate(lines, '"' + name_pattern(name, bounded=False) + '"\\s*:', start)
            spec = specs.pep440(version)
            if spec is None:
                out.problem(f"{name} {version!r} is not a version", line, col)
                continue
            out.declared.append(Declared(normalise(name), spec, path, line, col + 1))
    return out
