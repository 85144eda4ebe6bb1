"""Project-local re-exports of the backend: ``mypkg/backend.py`` binds ``K``, other modules ``from mypkg.backend
import K`` (or ``from mypkg import backend as K`` where ``mypkg/__init__.py`` binds ``backend``).

A ``ProjectIndex`` answers "what does ``mypkg.backend.K`` stand for" by reading that one module on demand (cached
per process, cycles cut). The CLI limits it to the files of the run; the flake8 plugin, which sees one file at a
time, lets it read any module of the file's own project tree (found from the file's package root).

A module is parsed only when its text says it may bind the name to something the checks follow (``_may_export``):
the import statements and aliases that spell the name are read as text, and a name passed on from another project
module (a package's ``__init__`` importing from its submodules) is followed there the same way. Most imported names
are a module's own classes and functions, and cost a read and a scan of the module's import statements, no parse.
"""
from __future__ import annotations

import ast
import os
import re
import warnings
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

# ``preselect`` (and the binding rules under it) is imported where a project module is read: a file that never
# spells keras, in a project that re-exports nothing, costs the flake8 plugin only this module


class _Pattern:
    """A regular expression compiled on first use: compiling this module's patterns costs about as much as the rest
    of the module, and most flake8 runs never read a project module. ``source`` is the pattern or a function that
    builds it."""

    def __init__(self, source, flags: int = 0) -> None:
        self._source, self._flags = source, flags

    def __getattr__(self, name: str):
        source = self._source() if callable(self._source) else self._source
        compiled = re.compile(source, self._flags)
        for method in ("match", "fullmatch", "search", "finditer", "findall", "sub"):
            setattr(self, method, getattr(compiled, method))  # found as attributes from now on, like re's own
        return getattr(compiled, name)


_NAME = _Pattern(r"\w+")
#: the truth itself, never a project's re-export (a checkout of keras or tensorflow is not "the project")
_NEVER_LOCAL = frozenset({"keras", "tensorflow", "tf_keras", "__future__"})
#: a module read for its exports is skipped above this size: a re-export module is small, a generated one is not
_MAX_BYTES = 2_000_000

Exports = Dict[str, FrozenSet[str]]
#: an import root with more entries than this is not listed (its modules are looked up file by file)
_MAX_ENTRIES = 5000


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
        #: directory -> whether it is one
        self._dirs: Dict[str, bool] = {}
        #: import root -> its files (False) and directories (True); None when not listed
        self._listings: Dict[str, Optional[Dict[str, bool]]] = {}
        #: (root, module) -> the module's text as scanned, its package and its import statements (see _Module)
        self._modules: Dict[Tuple[str, str], Optional[_Module]] = {}
        #: (root, module, name, direct) -> whether the module may export the name (see _may_export)
        self._binds: Dict[Tuple[str, str, str, bool], bool] = {}

    def resolve(self, qname: str, root: str) -> Optional[FrozenSet[str]]:
        """What ``qname`` (``mypkg.backend.K``, as an import would bind it) is, when a project module under
        ``root`` re-exports it; None when it is not a project name or not one the checks follow."""
        module, _, name = qname.rpartition(".")
        return self.lookup(module, name, root)

    def lookup(self, module: str, name: str, root: str) -> Optional[FrozenSet[str]]:
        """``resolve`` of ``<module>.<name>``."""
        if not module or module.split(".", 1)[0] in _NEVER_LOCAL:
            return None
        return self._lookup(module, name, root)

    def _lookup(self, module: str, name: str, root: str) -> Optional[FrozenSet[str]]:
        if self._modules.get((root, module), self) is None:  # not a project module, or not one that re-exports
            return None
        # most imported names are a module's own classes and functions, or a package passing them on from its
        # submodules: parse a module only for a name that its text may bind to something the checks follow (its
        # import statements, its aliases and the project modules they name, followed as text: see _may_export)
        key = (root, module, name, True)
        bound = self._binds.get(key)
        if bound is None:
            bound = self._may_export(module, name, root)
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
            parts = module.split(".")
            for directory in self.roots(root):
                found = self._find(directory, parts)
                if found is not None:
                    break
            if found is not None and self._allowed is not None and os.path.realpath(found) not in self._allowed:
                found = None
            self._files[key] = found
        return self._files[key]

    def _find(self, directory: str, parts: List[str]) -> Optional[str]:
        """``<directory>/a/b/c.py`` or ``<directory>/a/b/c/__init__.py`` for the parts a, b, c. The import root is
        listed once (most imports name a module that is not there: numpy, typing, ...); a directory below it that
        is not there is looked at once, whatever the modules looked for in it."""
        entries = self._root_entries(directory)
        if entries is not None:
            first = parts[0]
            if len(parts) == 1:
                if entries.get(first + ".py") is False:
                    return os.path.join(directory, first + ".py")
                if entries.get(first) is not True:
                    return None
                candidate = os.path.join(directory, first, "__init__.py")
                return candidate if os.path.isfile(candidate) else None
            if entries.get(first) is not True:
                return None
        base = os.path.join(directory, *parts[:-1]) if len(parts) > 1 else directory
        exists = self._dirs.get(base)
        if exists is None:
            exists = self._dirs[base] = os.path.isdir(base)
        if not exists:
            return None
        base = os.path.join(base, parts[-1])
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(candidate):
                return candidate
        return None

    def _root_entries(self, directory: str) -> Optional[Dict[str, bool]]:
        """The files (False) and directories (True) in an import root; None when it cannot be listed, or holds
        more than ``_MAX_ENTRIES`` (looked up file by file then)."""
        try:
            return self._listings[directory]
        except KeyError:
            pass
        entries: Optional[Dict[str, bool]] = {}
        try:
            with os.scandir(directory) as found:
                for count, entry in enumerate(found):
                    if count >= _MAX_ENTRIES:
                        entries = None
                        break
                    try:
                        if entry.is_dir():
                            entries[entry.name] = True  # type: ignore[index]
                        elif entry.is_file():
                            entries[entry.name] = False  # type: ignore[index]
                    except OSError:  # a broken entry is neither
                        pass
        except OSError:
            entries = None
        self._listings[directory] = entries
        return entries

    def _text(self, module: str, root: str) -> Optional[str]:
        """The source of a project module that could re-export something the checks follow, else None."""
        key = (root, module)
        if key in self._texts:
            return self._texts[key]
        text = None
        path = self._locate(module, root)
        try:
            raw = _read(path) if path is not None else None
            # a re-exporting module spells what it imports, or (a package's __init__) passes a name on from a
            # submodule; only those are decoded (words only: an odd encoding costs at most a missed name)
            if raw is not None and (
                b"keras" in raw or b"tensorflow" in raw or str(path).endswith("__init__.py") and b"import" in raw
            ):
                text = raw.decode("utf-8", "replace")
        except OSError:  # containment: unreadable: no re-exports from it
            text = None
        self._texts[key] = text
        return text

    def _module(self, module: str, root: str) -> Optional["_Module"]:
        key = (root, module)
        if key in self._modules:
            return self._modules[key]
        found = None
        text = self._text(module, root)
        if text is not None:
            path = self._locate(module, root) or ""
            found = _Module(text, module if path.endswith("__init__.py") else module.rpartition(".")[0])
        self._modules[key] = found
        return found

    def _may_export(self, module: str, name: str, root: str) -> bool:
        """Whether ``module`` may bind ``name`` to something the checks follow (a superset of ``exports``, found
        from the texts alone): ``name`` is bound by an import of a name that leads somewhere, of a name that a
        project module may export (followed the same way), or by an import too odd to read; or it is assigned a
        dotted name rooted at such a name (``K2 = K``, at most ``_MAX_ALIASES`` links per module)."""
        info = self._module(module, root)
        if info is None or not info.sources(name) and not info.alias_roots(name):
            # the common case: a module's own class or function, nothing to follow
            self._binds[(root, module, name, True)] = False
            return False
        query = _Query()
        found = self._may(module, name, root, True, query)
        if found or not query.truncated:
            # nothing reachable from here leads anywhere: neither does anything on the way (cut cycles included)
            for key in query.visited if not found else ():
                self._binds[key] = False
            self._binds[(root, module, name, True)] = found
        return found

    def _may(self, module: str, name: str, root: str, direct: bool, query: "_Query") -> bool:
        key = (root, module, name, direct)
        known = self._binds.get(key)
        if known is not None:
            return known
        if key in query.active:  # a cycle: whatever it leads to is found from where it started
            return False
        info = self._module(module, root)
        if info is None:
            return False
        query.active.add(key)
        query.visited.append(key)
        try:
            found = self._may_import(info, name, root, direct, query)
            found = found or self._may_alias(info, module, name, root, query)
        finally:
            query.active.discard(key)
        if found:
            self._binds[key] = True
        return found

    def _may_import(self, info: "_Module", name: str, root: str, direct: bool, query: "_Query") -> bool:
        for source in info.sources(name):
            if source is None:  # an import statement too odd to read
                return True
            level, module, original = source
            if level < 0:  # import a.b [as name]
                if _leads(module, direct):
                    return True
                continue
            if not level and _leads(f"{module}.{original}", direct):
                return True
            absolute = _absolute(info.package, module or None, level)
            if absolute and absolute.split(".", 1)[0] not in _NEVER_LOCAL:
                # what the project module exports is already a name that leads somewhere
                if self._may(absolute, original, root, True, query):
                    return True
        return False

    def _may_alias(self, info: "_Module", module: str, name: str, root: str, query: "_Query") -> bool:
        for value in info.alias_roots(name):
            count = query.aliases.get(module, 0)
            if count >= _MAX_ALIASES:
                query.truncated = True
                return False
            query.aliases[module] = count + 1
            # K2 = K.backend: K may be bound to anything a suffix can lead from
            if self._may(module, value, root, False, query):
                return True
        return False

    def _read_exports(self, module: str, root: str) -> Exports:
        text = self._text(module, root)
        if text is None:
            return {}
        from .walk import analyse

        path = self._locate(module, root) or ""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text.lstrip("\ufeff"), filename=path)
        package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
        info = analyse(tree, text, layer_calls=False, project=Project(self, root, package))
        from .preselect import lead_strength

        scope = info.module_scope
        exports: Exports = {}
        for name in list(scope.bindings):
            resolved = info.resolve_name(name, scope)
            if resolved and all(lead_strength(q, layer_calls=True) for q in resolved):
                exports[name] = resolved
        return exports


def _read(path: str) -> Optional[bytes]:
    """The bytes of the file at ``path``, None above ``_MAX_BYTES`` (read through its descriptor: one open, one
    size, one read of a byte more than the size, which comes back short at the end of a regular file)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > _MAX_BYTES:
            return None
        chunks = []
        total = 0
        while True:
            wanted = max(size - total, 0) + 1
            chunk = os.read(fd, wanted)
            chunks.append(chunk)
            total += len(chunk)
            if total > _MAX_BYTES:  # grown since: as above the limit
                return None
            if len(chunk) < wanted:  # the end (or nothing more)
                break
    finally:
        os.close(fd)
    return b"".join(chunks) if len(chunks) != 1 else chunks[0]


class _Query:
    """One question to ``_may_export``: the (module, name) pairs on the way and looked at, the alias links per
    module followed so far, and whether that bound cut the search short."""

    __slots__ = ("active", "visited", "aliases", "truncated")

    def __init__(self) -> None:
        self.active: Set[Tuple[str, str, str, bool]] = set()
        self.visited: List[Tuple[str, str, str, bool]] = []
        self.aliases: Dict[str, int] = {}
        self.truncated = False


def _leads(qname: str, direct: bool) -> bool:
    """Whether a name bound to ``qname`` may be exported: it leads somewhere itself, or (an alias root, ``K`` in
    ``K2 = K.backend``) some attribute of it may (every such name starts like one of these)."""
    if direct:
        from .preselect import lead_strength

        return lead_strength(qname, layer_calls=True) > 0
    return qname.startswith(_LEAD_STARTS)


_LEAD_STARTS = ("keras", "tensorflow", "tf_keras", "os")


def _absolute(package: str, module: Optional[str], level: int) -> Optional[str]:
    """The absolute module of ``from <level dots><module> import ...`` in a module of ``package``."""
    if not level:
        return module
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


#: (level, module, original name) of a name bound by ``from <level dots><module> import <original> [as name]``;
#: (-1, "a.b", "") for ``import a.b as name``; None for an import statement too odd to read
Source = Optional[Tuple[int, str, str]]


class _Module:
    """A project module's text as scanned for what it may bind (line endings and identifiers normalised as
    Python reads them), with its package (for relative imports)."""

    __slots__ = ("text", "package", "_blocks", "_odd", "_sources", "_aliases")

    def __init__(self, text: str, package: str) -> None:
        from .preselect import _normalized

        self.text = _normalized(text)
        self.package = package
        self._blocks: Optional[List[str]] = None
        self._odd: Dict[str, List[Source]] = {}
        self._sources: Dict[str, List[Source]] = {}
        self._aliases: Dict[str, List[str]] = {}

    def sources(self, name: str) -> List[Source]:
        """Where the import statements that may bind ``name`` take it from. The statements are found once, in one
        pass over the module's ``import`` keywords; only those that spell the name are read further."""
        found = self._sources.get(name)
        if found is not None:
            return found
        if self._blocks is None:
            self._blocks = _import_blocks(self.text, self._odd)
        found = self._sources[name] = list(self._odd.get(name, ()))
        for block in self._blocks:
            if name in block:
                for statement in _IMPORT_STATEMENT.finditer(block):
                    dots, module, names, listed = statement.groups()
                    if name in (names or listed):
                        found.extend(_named_sources(name, dots, module, names, listed))
        return found

    def alias_roots(self, name: str) -> List[str]:
        roots = self._aliases.get(name)
        if roots is None:
            roots = self._aliases[name] = list(_alias_roots(self.text, name))
        return roots


#: alias links followed in one module (K2 = K1 = K ...): real re-exports take one or two; a generated chain of
#: thousands only costs a missed re-export
_MAX_ALIASES = 64


#: ``from <dots> <module>`` right before an ``import`` keyword (``from . a import``, ``from a . b import`` are Python)
_FROM_HEAD = _Pattern(r"(?:^|(?<=[\s;:]))from(?!\w)\s*([.\s]*)([\w.\s]*?)\s*$")
_MODULE = _Pattern(r"(?:[^\W\d]\w*(?:\.[^\W\d]\w*)*)?")
_FROM_ITEM = _Pattern(r"([^\W\d]\w*|\*)(?:\s+as\s+([^\W\d]\w*))?")
_PLAIN_ITEM = _Pattern(r"([^\W\d]\w*(?:\s*\.\s*[^\W\d]\w*)*)(?:\s+as\s+([^\W\d]\w*))?")
#: a plain ``[from <dots><module>] import <names>`` statement: the names on its line, or in parentheses (with
#: comments and line breaks; a comment runs to its line's end and a list holds no other parenthesis, so a list left
#: open fails in one pass, at the latest at the next one); its comment included
_STATEMENT = (
    r"[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+)?import[ \t]+(?:"
    r"([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)"
    r"|\(((?:[^()#]|#[^\n]*\n)*)\))[ \t]*(?:#[^\n]*)?(?:\n|\Z)"
)
_IMPORT_STATEMENT = _Pattern(_STATEMENT)
#: consecutive plain import statements, blank lines and comment lines
_IMPORT_BLOCK = _Pattern(lambda: r"(?:" + re.sub(r"(?<!\\)\((?!\?)", "(?:", _STATEMENT) + r"|[ \t]*(?:#[^\n]*)?\n)+")
_COMMENT = _Pattern(r"#[^\n]*")
_GAP = _Pattern(r"[ \t\f]*(?:\\\n[ \t\f]*)*")
_SPACES = _Pattern(r"\s+")


def _import_blocks(text: str, odd: Dict[str, List[Source]]) -> List[str]:
    """The runs of plain import statements in ``text`` (one a line, or a parenthesised list of names; blank and
    comment lines between them), each matched by one regex and read only when a name asked for is in it. The names
    bound by any other statement spelling the word ``import`` (a superset: a comment or a docstring counts, and
    every word of one that does not read as an import binds) are added to ``odd`` with their sources."""
    blocks: List[str] = []
    find, size = text.find, len(text)
    at = find("import")
    while at >= 0:
        end = at + 6
        if at and (text[at - 1].isalnum() or text[at - 1] == "_") or end < size and (
            text[end].isalnum() or text[end] == "_"
        ):  # a part of a word (importlib, reimport)
            at = find("import", end)
            continue
        line = text.rfind("\n", 0, at) + 1
        block = _IMPORT_BLOCK.match(text, line) if line < 2 or text[line - 2] != "\\" else None
        if block is None or block.end() <= at:
            at = find("import", max(end, _read_import(text, line, at, odd)))
            continue
        blocks.append(block.group())
        at = find("import", block.end())
    return blocks


def _named_sources(
    name: str, dots: Optional[str], module: str, names: Optional[str], listed: Optional[str]
) -> List[Source]:
    """The sources of ``name`` in one statement of an import block: ``names`` on its line, or ``listed`` in
    parentheses (comments and line breaks in them)."""
    found: List[Source] = []
    if listed is not None:
        names = _COMMENT.sub("", listed)
        if dots is None:  # import (a): not Python, whatever it may mean
            return [None] if name in _NAME.findall(names) else []
    elif names is None:
        return found
    if dots is not None and not ((dots or module) and _MODULE.fullmatch(module)):
        return [None] if name in _NAME.findall(names) else []
    for item in names.split(","):
        words = item.split()
        if not words:
            continue  # the trailing comma of a list
        if listed is not None and not _FROM_ITEM.fullmatch(" ".join(words)):
            if name in _NAME.findall(item):
                found.append(None)
            continue
        if dots is None:  # import a.b [as name]
            if len(words) == 3:
                if words[2] == name:
                    found.append((-1, words[0], ""))
            elif words[0].partition(".")[0] == name:
                found.append((-1, name, ""))
        elif words[-1] == name and words[0] != "*":  # from <dots><module> import original [as name]
            found.append((len(dots), module, words[0]))
    return found


def _read_import(text: str, line: int, at: int, out: Dict[str, List[Source]]) -> int:
    """The names bound by the import statement (or whatever else spells ``import``) whose keyword is at ``at``, on
    a line starting at ``line``, added to ``out``; where the statement ends (no other import statement starts
    before: an ``import`` inside it is in a comment)."""
    while line >= 2 and text[line - 2] == "\\":  # a backslash-continued statement starts above
        line = text.rfind("\n", 0, line - 1) + 1
    head = text[line:at]
    if "\\" in head:
        head = head.replace("\\\n", " ")
    body, odd, end = _import_body(text, at + 6)
    items = [item.strip() for item in body.split(",")]
    found: Optional[List[Tuple[str, Source]]] = None  # None: too odd to read
    start = None if odd else _FROM_HEAD.search(head)
    if start is not None:
        dots, module = start.group(1), _SPACES.sub("", start.group(2))
        level = dots.count(".")
        if _MODULE.fullmatch(module) and (level or module):
            found = _read_items(items, _FROM_ITEM, lambda match: _from_item(match, level, module))
    elif not odd and (not head.strip() or head.rstrip()[-1] in ";:"):
        found = _read_items(items, _PLAIN_ITEM, _plain_item)
    if found is None:
        # every word up to where the scan goes on (comments too: in what is not an import, a # may be in a string)
        for word in _NAME.findall(text, at + 6, end):
            out.setdefault(word, []).append(None)
        return end
    for name, source in found:
        out.setdefault(name, []).append(source)
    return end


def _read_items(
    items: List[str], pattern: "re.Pattern[str]", binding: Callable[["re.Match[str]"], Optional[Tuple[str, Source]]]
) -> Optional[List[Tuple[str, Source]]]:
    """What the items of an import statement bind: ``binding`` of each item ``pattern`` matches (None binds
    nothing); None when an item is too odd to read. Empty items (a trailing comma) are no items."""
    found: List[Tuple[str, Source]] = []
    for item in items:
        match = pattern.fullmatch(item)
        if match is None:
            if item:
                return None
            continue
        bound = binding(match)
        if bound is not None:
            found.append(bound)
    return found


def _from_item(match: "re.Match[str]", level: int, module: str) -> Optional[Tuple[str, Source]]:
    """``original [as name]`` after ``from <dots><module> import``; a star binds nothing the analysis follows."""
    original = match.group(1)
    return None if original == "*" else (match.group(2) or original, (level, module, original))


def _plain_item(match: "re.Match[str]") -> Tuple[str, Source]:
    """``a.b [as name]`` after a plain ``import``: ``name`` is bound to ``a.b``, or else ``a`` to ``a``."""
    dotted = _SPACES.sub("", match.group(1))
    if match.group(2):
        return match.group(2), (-1, dotted, "")
    top = dotted.split(".", 1)[0]
    return top, (-1, top, "")


def _import_body(text: str, start: int) -> Tuple[str, bool, int]:
    """The names of the import statement whose keyword ends at ``start``, without comments and line joins; whether
    it is too odd to read (parentheses left open); and where it ends."""
    size = len(text)
    pos = _GAP.match(text, start).end()  # type: ignore[union-attr]
    parts: List[str] = []
    if text.startswith("(", pos):
        pos += 1
        while True:
            end = text.find("\n", pos)
            if end < 0:
                end = size
            segment = text[pos:end]
            hash_ = segment.find("#")  # names and commas only: a # starts a comment
            if hash_ >= 0:
                segment = segment[:hash_]
            close = segment.find(")")
            if close >= 0:
                opening = segment.find("(", 0, close)
                if opening >= 0:  # not a list of names: odd, and read no further than this
                    parts.append(segment[:opening])
                    break
                parts.append(segment[:close])
                return " ".join(parts).replace("\\", " "), False, pos + close
            opening = segment.find("(")
            if opening >= 0:
                parts.append(segment[:opening])
                break
            parts.append(segment)
            if end >= size:
                break
            pos = end + 1
        return " ".join(parts).replace("\\", " "), True, end
    while True:
        end = text.find("\n", pos)
        if end < 0:
            end = size
        segment = text[pos:end]
        hash_ = segment.find("#")
        if hash_ >= 0:
            segment = segment[:hash_]
        semicolon = segment.find(";")
        if semicolon >= 0:  # the next statement starts after it
            parts.append(segment[:semicolon])
            end = pos + semicolon
            break
        if hash_ < 0 and segment.endswith("\\") and end < size:
            parts.append(segment[:-1])
            pos = end + 1
            continue
        parts.append(segment)
        break
    return " ".join(parts), False, end


#: after a name: it is assigned (``name =``, ``(name) =``, ``a = name = ...``; not ``==``)
_TARGET_END = _Pattern(r"[ \t\f)]*(?:\\\n[ \t\f)]*)*=(?!=)")
#: an assigned value that is a dotted name (parentheses, line joins and spaces anywhere): its root name
_ALIAS_VALUE = _Pattern(
    r"[\s\\(]*([^\W\d]\w*)(?:[\s\\()]*\.[\s\\()]*\w+)*[ \t\f)\\]*(?:[=;#\n]|\Z)"
)


def _alias_roots(text: str, name: str) -> Iterator[str]:
    """The root names of the dotted names assigned to ``name`` (``K`` for ``K2 = K.backend``); a superset (a
    keyword argument ``f(name=K)`` counts too)."""
    from .preselect import _occurrences

    size = len(name)
    for at in _occurrences(text, name, whole=True):
        target = _TARGET_END.match(text, at + size)
        if target is not None:
            value = _ALIAS_VALUE.match(text, target.end())
            if value is not None:
                yield value.group(1)


#: what follows a use of a name, past spaces, line breaks and line joins: its first character
_AFTER = _Pattern(r"[\s\\]*(.?)", re.S)
#: what precedes it, read backwards over spaces, line joins and opening parentheses
_BEFORE_SKIPPED = " \t\f\n\r\\("


def may_matter(text: str, name: str, calls: bool = False) -> bool:
    """Whether ``name`` is used in ``text`` where what it is bound to can matter to a check: the root of an attribute
    chain (``K.mean``) or a subscript (``environ[...]``), called without arguments (``backend() == "theano"``; any
    call with ``calls``: KBL401 looks at calls in layers), assigned uncalled (``K2 = K``, ``f(x=K)``, ``(y := K)``), or
    followed by a comment (a chain may go on below it). A superset read from the text: strings and comments count."""
    from .preselect import _occurrences

    size = len(name)
    for at in _occurrences(text, name, whole=True):
        if at and text[at - 1] == ".":
            continue  # an attribute of something else (self.K)
        after = _AFTER.match(text, at + size)
        following = after.group(1)  # type: ignore[union-attr]
        if following in (".", "[", "#"):
            return True
        if following == "(":
            if calls or _AFTER.match(text, after.end()).group(1) == ")":  # type: ignore[union-attr]
                return True
            continue  # called with arguments: what it returns is assigned, never the name itself
        before = at - 1
        while before >= 0 and text[before] in _BEFORE_SKIPPED:
            before -= 1
        if before >= 0 and text[before] == "=" and (before == 0 or text[before - 1] not in "=!<>"):
            return True
    return False


class Project:
    """Where one file sits: its index, its import root and its package (for relative imports). With ``source`` (the
    file's text, see ``reading``), a name imported from a project module is looked up only where ``may_matter`` says
    its use can matter: most imported names are classes and functions that are only called."""

    __slots__ = ("index", "root", "package", "source", "text", "calls")

    #: modules whose names are never a project's re-exports (by their first part)
    never_local = _NEVER_LOCAL

    def __init__(self, index: ProjectIndex, root: str, package: str) -> None:
        self.index, self.root, self.package = index, root, package
        #: the file's source as given, and as Python reads it (NFKC names), made only when a use is looked at
        self.source: Optional[str] = None
        self.text: Optional[str] = None
        self.calls = False

    def reading(self, source: str, calls: bool) -> "Project":
        """This file's project, looking up only the imported names ``source`` uses in a way that can matter."""
        project = Project(self.index, self.root, self.package)
        project.source, project.calls = source, calls
        return project

    def absolute(self, module: Optional[str], level: int) -> Optional[str]:
        """The absolute module of ``from <level dots><module> import ...`` in this file."""
        return _absolute(self.package, module, level)

    def resolve(self, qname: str) -> Optional[FrozenSet[str]]:
        return self.index.resolve(qname, self.root)

    def lookup(self, module: str, name: str, bound: Optional[str] = None) -> Optional[FrozenSet[str]]:
        """``resolve`` of ``<module>.<name>``, for a ``module`` not ``never_local``; ``bound`` is the name the import
        binds it to (see ``reading``)."""
        index = self.index
        if self.source is not None and bound is not None and index._locate(module, self.root) is not None:
            if self.text is None:  # the text is read only for names from the project's own modules
                from .preselect import _normalized

                self.text = _normalized(self.source)
            if not may_matter(self.text, bound, self.calls):
                return None
        return index._lookup(module, name, self.root)

    def imports_reexport(self, text: str) -> bool:
        """Whether a file that never spells keras imports a name a project module re-exports (a regex over its
        ``from ... import`` lines, so the fast path for files without keras stays a text scan)."""
        for match in _FROM_IMPORT.finditer(text):
            dots, module = match.group(1), match.group(2) or None
            absolute = self.absolute(module, len(dots))
            if not absolute or absolute.split(".", 1)[0] in _NEVER_LOCAL:
                continue
            if any(self.index.lookup(absolute, name, self.root) for name in _NAME.findall(match.group(3))):
                return True
        return False


_FROM_IMPORT = _Pattern(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)", re.M)


_PACKAGE_ROOTS: Dict[str, Tuple[str, str]] = {}


def locate_file(path: str) -> Optional[Tuple[str, str]]:
    """(import root, package) of a file: the directory above its outermost package (``__init__.py`` chain)."""
    # flake8 names each file of a directory the same way: its directory as named, with the working directory for
    # a relative name, finds the answer without normalising the path again
    named = os.path.dirname(path)
    key = named if os.path.isabs(named) else os.path.join(os.getcwd(), named, "")
    cached = _PACKAGE_ROOTS.get(key)
    if cached is not None:
        return cached
    directory = os.path.dirname(os.path.abspath(path))
    cached = _PACKAGE_ROOTS.get(directory)
    if cached is not None:
        _PACKAGE_ROOTS[key] = cached
        return cached
    # up to the first directory known or not a package; each package on the way takes its parent's root (its
    # siblings and their subpackages then cost no look at the parents again)
    chain = []
    current = directory
    while True:
        cached = _PACKAGE_ROOTS.get(current)
        if cached is not None:
            break
        parent = os.path.dirname(current)
        if parent == current or not os.path.isfile(os.path.join(current, "__init__.py")):
            cached = _PACKAGE_ROOTS[current] = (current, "")
            break
        chain.append(current)
        current = parent
    root, package = cached
    for current in reversed(chain):
        name = os.path.basename(current)
        package = f"{package}.{name}" if package else name
        _PACKAGE_ROOTS[current] = (root, package)
    cached = _PACKAGE_ROOTS[key] = _PACKAGE_ROOTS[directory]
    return cached


def project_for(path: Optional[str], index: ProjectIndex) -> Optional[Project]:
    """The ``Project`` of a file on disk; None for standard input and other pseudo paths."""
    if not path or path in ("-", "stdin", "<stdin>") or path.startswith("<"):
        return None  # standard input and pseudo files (a missing file only makes its directory's lookups fail)
    located = locate_file(path)
    if located is None:
        return None
    return Project(index, *located)
