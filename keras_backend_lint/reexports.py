"""Project-local re-exports of the backend: ``mypkg/backend.py`` binds ``K``, other modules ``from mypkg.backend
import K`` (or ``from mypkg import backend as K`` where ``mypkg/__init__.py`` binds ``backend``).

A ``ProjectIndex`` answers "what does ``mypkg.backend.K`` stand for" by reading that one module on demand (cached
per process, cycles cut). The CLI limits it to the files of the run; the flake8 plugin, which sees one file at a
time, lets it read any module of the file's own project tree (found from the file's package root).
"""
from __future__ import annotations

import ast
import os
import re
import warnings
from typing import Dict, FrozenSet, Iterator, Optional, Set, Tuple

from .preselect import _occurrences

_NAME = re.compile(r"\w+")
#: the truth itself, never a project's re-export (a checkout of keras or tensorflow is not "the project")
_NEVER_LOCAL = frozenset({"keras", "tensorflow", "tf_keras", "__future__"})
#: a module read for its exports is skipped above this size: a re-export module is small, a generated one is not
_MAX_BYTES = 2_000_000

Exports = Dict[str, FrozenSet[str]]


class ProjectIndex:
    """Module-level names of project modules that are bound to something the checks follow (the backend, keras,
    tensorflow, ...), resolved against the project's own modules."""

    def __init__(self, allowed: Optional[FrozenSet[str]] = None) -> None:
        #: real paths the index may read (the CLI's files); None: any file under a package root
        self._allowed = allowed
        self._exports: Dict[Tuple[str, str], Exports] = {}
        self._busy: Set[Tuple[str, str]] = set()
        self._files: Dict[Tuple[str, str], Optional[str]] = {}
        self._texts: Dict[Tuple[str, str], Optional[str]] = {}
        self._binds: Dict[Tuple[str, str, str], bool] = {}

    def resolve(self, qname: str, root: str) -> Optional[FrozenSet[str]]:
        """What ``qname`` (``mypkg.backend.K``, as an import would bind it) is, when a project module under
        ``root`` re-exports it; None when it is not a project name or not one the checks follow."""
        module, _, name = qname.rpartition(".")
        if not module or module.split(".", 1)[0] in _NEVER_LOCAL:
            return None
        # most imported names are a module's own classes and functions: parse a module only for a name that its
        # text may bind by an import or an alias (a look at the lines that spell the name), since that is all a
        # re-export can be
        key = (root, module, name)
        bound = self._binds.get(key)
        if bound is None:
            text = self._text(module, root)
            bound = self._binds[key] = text is not None and may_bind(text, name)
        if not bound:
            return None
        return self.exports(module, root).get(name)

    def roots(self, root: str) -> Tuple[str, ...]:
        """Where imports are looked up: the file's import root, then the working directory (scripts/ importing
        the project's package from the project root)."""
        cwd = os.getcwd()
        return (root,) if cwd == root else (root, cwd)

    def exports(self, module: str, root: str) -> Exports:
        key = (root, module)
        cached = self._exports.get(key)
        if cached is not None:
            return cached
        if key in self._busy:  # a.py imports from b.py imports from a.py
            return {}
        self._busy.add(key)
        try:
            found = self._read_exports(module, root)
        except Exception:  # containment: an unreadable or odd project module only loses the re-exports
            found = {}
        finally:
            self._busy.discard(key)
        self._exports[key] = found
        return found

    def _locate(self, module: str, root: str) -> Optional[str]:
        key = (root, module)
        if key not in self._files:
            found = None
            for directory in self.roots(root):
                base = os.path.join(directory, *module.split("."))
                for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                    if os.path.isfile(candidate):
                        found = candidate
                        break
                if found is not None:
                    break
            if found is not None and self._allowed is not None and os.path.realpath(found) not in self._allowed:
                found = None
            self._files[key] = found
        return self._files[key]

    def _text(self, module: str, root: str) -> Optional[str]:
        """The source of a project module that could re-export something the checks follow, else None."""
        key = (root, module)
        if key in self._texts:
            return self._texts[key]
        text = None
        path = self._locate(module, root)
        try:
            if path is not None and os.path.getsize(path) <= _MAX_BYTES:
                with open(path, "rb") as handle:
                    raw = handle.read()
                # a re-exporting module spells what it imports, or (a package's __init__) passes a name on from a
                # submodule; only those are decoded (words only: an odd encoding costs at most a missed name)
                if b"keras" in raw or b"tensorflow" in raw or path.endswith("__init__.py") and b"import" in raw:
                    text = raw.decode("utf-8", "replace")
        except OSError:  # containment: unreadable: no re-exports from it
            text = None
        self._texts[key] = text
        return text

    def _read_exports(self, module: str, root: str) -> Exports:
        text = self._text(module, root)
        if text is None:
            return {}
        from .preselect import lead_strength
        from .walk import analyse

        path = self._locate(module, root) or ""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text.lstrip("\ufeff"), filename=path)
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        info = analyse(tree, text, layer_calls=False, project=Project(self, root, package))
        scope = info.module_scope
        exports: Exports = {}
        for name in list(scope.bindings):
            resolved = info.resolve_name(name, scope)
            if resolved and all(lead_strength(q, layer_calls=True) for q in resolved):
                exports[name] = resolved
        return exports


#: the start of an import statement; a name after its ``import`` keyword is bound by it
_IMPORT_HEAD = re.compile(r"[ \t]*(?:from[ \t]+\.*[\w.]*[ \t]+)?import\b")
#: ``a = b = name.attr``: only an assignment of a (dotted) name is an alias (``bindings.Lazy``); any other value
#: binds something the checks never follow
_ALIAS_LINE = re.compile(r"[ \t]*((?:\w+[ \t]*=[ \t]*)+)\(?\s*([A-Za-z_]\w*)[\w. \t]*\)?[ \t]*(?:#[^\n]*)?$", re.M)


def may_bind(text: str, name: str) -> bool:
    """Whether ``text`` may bind ``name`` to something the checks follow: ``name`` is a word of an import
    statement, or is assigned a dotted name rooted at such a name (``K2 = K``, followed without recursion and for
    at most ``_MAX_ALIASES`` links). A superset found by looking only at the lines that spell the names: no parse, and
    no pass over the rest of a large module."""
    todo, seen = [name], {name}
    while todo:
        for root in _binding_lines(text, todo.pop()):
            if root is None:
                return True
            if root not in seen and len(seen) < _MAX_ALIASES:
                seen.add(root)
                todo.append(root)
    return False


#: alias links followed in one module (K2 = K1 = K ...): real re-exports take one or two; a generated chain of
#: thousands only costs a missed re-export
_MAX_ALIASES = 64


def _binding_lines(text: str, name: str) -> Iterator[Optional[str]]:
    """For each line that binds ``name``: None for an import, the root name of the value for an alias."""
    for at in _occurrences(text, name, whole=True):
        line = text.rfind("\n", 0, at) + 1
        while line >= 2 and text[line - 2] == "\\":  # a backslash-continued statement starts above
            line = text.rfind("\n", 0, line - 1) + 1
        head = _IMPORT_HEAD.match(text, line)
        if head is not None and at > head.end():
            yield None
            return
        paren = text.rfind("(", 0, at)
        if paren >= 0 and text.find(")", paren, at) < 0:  # from x import (\n    a,\n    name,\n)
            head = _IMPORT_HEAD.match(text, text.rfind("\n", 0, paren) + 1)
            if head is not None and head.end() <= paren:
                yield None
                return
        alias = _ALIAS_LINE.match(text, line)
        if alias is not None and name in _NAME.findall(alias.group(1)):
            yield alias.group(2)  # K2 = K: a re-export only when K is one


class Project:
    """Where one file sits: its index, its import root and its package (for relative imports)."""

    __slots__ = ("index", "root", "package")

    def __init__(self, index: ProjectIndex, root: str, package: str) -> None:
        self.index, self.root, self.package = index, root, package

    def absolute(self, module: Optional[str], level: int) -> Optional[str]:
        """The absolute module of ``from <level dots><module> import ...`` in this file."""
        if not level:
            return module
        parts = self.package.split(".") if self.package else []
        if level - 1 > len(parts):
            return None
        base = parts[: len(parts) - (level - 1)]
        if module:
            base.append(module)
        return ".".join(base) or None

    def resolve(self, qname: str) -> Optional[FrozenSet[str]]:
        return self.index.resolve(qname, self.root)

    def imports_reexport(self, text: str) -> bool:
        """Whether a file that never spells keras imports a name a project module re-exports (a regex over its
        ``from ... import`` lines, so the fast path for files without keras stays a text scan)."""
        for match in _FROM_IMPORT.finditer(text):
            dots, module = match.group(1), match.group(2) or None
            absolute = self.absolute(module, len(dots))
            if not absolute or absolute.split(".", 1)[0] in _NEVER_LOCAL:
                continue
            if any(self.index.resolve(f"{absolute}.{name}", self.root) for name in _NAME.findall(match.group(3))):
                return True
        return False


_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)", re.M)


_PACKAGE_ROOTS: Dict[str, Tuple[str, str]] = {}


def locate_file(path: str) -> Optional[Tuple[str, str]]:
    """(import root, package) of a file: the directory above its outermost package (``__init__.py`` chain)."""
    directory = os.path.dirname(os.path.abspath(path))
    cached = _PACKAGE_ROOTS.get(directory)
    if cached is None:
        parts = []
        current = directory
        while os.path.isfile(os.path.join(current, "__init__.py")):
            parent = os.path.dirname(current)
            if parent == current:
                break
            parts.append(os.path.basename(current))
            current = parent
        cached = (current, ".".join(reversed(parts)))
        _PACKAGE_ROOTS[directory] = cached
    return cached


def project_for(path: Optional[str], index: ProjectIndex) -> Optional[Project]:
    """The ``Project`` of a file on disk; None for standard input and other pseudo paths."""
    if not path or path in ("-", "stdin", "<stdin>") or path.startswith("<"):
        return None  # standard input and pseudo files (a missing file only makes its directory's lookups fail)
    located = locate_file(path)
    if located is None:
        return None
    return Project(index, *located)
