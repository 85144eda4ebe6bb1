"""What a flake8 run walks: the names that matter (bound to the backend, keras, tensorflow, os, or an alias of one)
and the lines that mention them, found from the text so that statements mentioning none are never walked.
"""
from __future__ import annotations

import ast
import re
import unicodedata
from bisect import bisect_left
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Protocol, Sequence, Tuple

from .bindings import _BODY_FIELDS, Binding, _import_bindings

#: Which imported names matter, and how much. STRONG names (bound to the backend, keras, keras.config, os.environ)
#: select every statement that mentions them. WEAK names (bound to tensorflow or os) lead somewhere only through
#: ``.keras`` or ``KERAS_BACKEND``, so they select a statement only when it also spells "keras" (any case), unless
#: KBL401 is enabled, which reports every TensorFlow call in a layer and makes tensorflow names strong.
STRONG, WEAK = 2, 1


_STRONG_MODULES = frozenset(
    {
        "keras",
        "keras.config",
        "tensorflow.keras",
        "tensorflow.compat.v1.keras",
        "tensorflow.compat.v2.keras",
        "tf_keras",
    }
)


_STRONG_PREFIXES = (
    "keras.backend",
    "tensorflow.keras.backend",
    "tensorflow.compat.v1.keras.backend",
    "tensorflow.compat.v2.keras.backend",
    "keras.config.backend",
    "os.environ",
    "os.putenv",
)


_WEAK_MODULES = frozenset({"os", "tensorflow", "tensorflow.compat", "tensorflow.compat.v1", "tensorflow.compat.v2"})


_LAYER_MODULES = frozenset({"keras.layers", "tensorflow.keras.layers"})


def lead_strength(qname: str, layer_calls: bool = True) -> int:
    """STRONG, WEAK or 0 (irrelevant) for a name bound to ``qname``."""
    if qname in _STRONG_MODULES or qname.startswith(_STRONG_PREFIXES):
        return STRONG
    is_tf = qname == "tensorflow" or qname.startswith("tensorflow.")
    if layer_calls and (is_tf or qname in _LAYER_MODULES or qname.endswith("Layer") and qname.startswith("keras")):
        # from tensorflow import matmul; from tensorflow.python.framework import smart_cond; keras.layers.Layer
        return STRONG
    return WEAK if qname in _WEAK_MODULES else 0


def interesting_names(
    tree: ast.AST,
    layer_calls: bool = True,
    import_lines: Optional[List[int]] = None,
    project=None,
    import_bindings: Optional[Dict[int, List[Tuple[str, Binding]]]] = None,
) -> Dict[str, int]:
    """Names bound (anywhere) to an import that leads to something a check looks at, or to an alias of one, with
    their strength: the only names the checks ever resolve. A statement-only walk, so cheap. The lines of all
    imports are appended to ``import_lines`` when given, and each import's bindings are kept in
    ``import_bindings`` (by node id) for the walk, which would otherwise resolve them (and re-exports) again."""
    aliases: List[ast.Assign] = []
    names = _imported_names(tree, layer_calls, import_lines, project, import_bindings, aliases)
    _add_aliases(names, aliases)
    return names


def _imported_names(
    tree: ast.AST,
    layer_calls: bool,
    import_lines: Optional[List[int]],
    project,
    import_bindings: Optional[Dict[int, List[Tuple[str, Binding]]]],
    aliases: Optional[List[ast.Assign]] = None,
    word_lines: Optional[List[int]] = None,
) -> Dict[str, int]:
    """The names imports bind, with their strength; ``aliases`` collects every ``x = name.attr`` on the way.
    With ``word_lines`` (the lines that spell "import"), compound statements spanning none of them are not entered:
    no import can be inside."""
    names: Dict[str, int] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Import or kind is ast.ImportFrom:
            if import_lines is not None:
                import_lines.append(node.lineno)  # type: ignore[attr-defined]
            bound = _import_bindings(node, project)  # type: ignore[arg-type]
            if import_bindings is not None:
                import_bindings[id(node)] = bound
            for name, binding in bound:
                strength = lead_strength(binding, layer_calls) if binding is not None else 0
                if strength > names.get(name, 0):
                    names[name] = strength
        elif kind is ast.Assign:
            if aliases is not None and type(node.value) in (ast.Name, ast.Attribute):  # type: ignore[attr-defined]
                aliases.append(node)  # type: ignore[arg-type]
        elif kind in _BODY_FIELDS:
            first = getattr(node, "lineno", None)  # the module and match cases have none: always entered
            if word_lines is not None and first is not None:
                index = bisect_left(word_lines, first)
                if index == len(word_lines) or word_lines[index] > (node.end_lineno or first):  # type: ignore
                    continue
            for field in _BODY_FIELDS[kind]:
                children = getattr(node, field)
                if children:
                    stack.extend(children)
    return names


def _add_aliases(names: Dict[str, int], aliases: Sequence[ast.Assign]) -> bool:
    """Give the targets of aliases of interesting names (``K2 = K``, ``kb = tf.keras.backend``) their strength, to
    a fixed point; whether any name was added or strengthened."""
    added = False
    changed = bool(names)
    while changed:
        changed = False
        for node in aliases:
            root = node.value
            attrs = []
            while isinstance(root, ast.Attribute):
                attrs.append(root.attr)
                root = root.value
            if not isinstance(root, ast.Name) or root.id not in names:
                continue
            strength = names[root.id]
            if any(a in ("keras", "environ", "putenv", "backend") for a in attrs):
                strength = STRONG
            for target in node.targets:
                if isinstance(target, ast.Name) and strength > names.get(target.id, 0):
                    names[target.id] = strength
                    changed = added = True
    return added


def is_chain_root(qname: str) -> bool:
    """A ``keras.*`` / ``tensorflow.keras.*`` path other than the backend and ``keras.src`` (``from keras import
    layers``): chains on it (``layers.merge.concatenate``) are judged by the import rules."""
    if not qname.startswith(_KERAS_PATHS) or qname.startswith(_NOT_CHAIN_ROOTS) or qname in _BACKEND_PATHS:
        return False
    return True


_KERAS_PATHS = ("keras.", "tensorflow.keras.")


_BACKEND_PATHS = frozenset({"keras.backend", "tensorflow.keras.backend"})


_NOT_CHAIN_ROOTS = ("keras.backend.", "tensorflow.keras.backend.", "keras.src.")


def chain_roots(import_bindings: Dict[int, List[Tuple[str, Binding]]], names: Dict[str, int]) -> Dict[str, str]:
    """Names (not already interesting) an import binds to a ``keras.*`` path, with that path."""
    roots: Dict[str, str] = {}
    for bound in import_bindings.values():
        for name, binding in bound:
            if type(binding) is str and name not in names and is_chain_root(binding):
                roots[name] = binding
    return roots


def _line_numbers(text: str, starts: Iterable[int]) -> List[int]:
    """The line number of each offset of ``starts`` (ascending) in ``text``."""
    numbers = []
    append, count = numbers.append, text.count
    line, last = 1, 0
    for start in starts:
        line += count("\n", last, start)
        last = start
        append(line)
    return numbers


def _occurrences(text: str, word: str, whole: bool = False) -> List[int]:
    """Offsets of ``word`` in ``text`` (only whole words with ``whole``): a C-level search and a Python check per hit
    (a list, not a generator: most callers want every hit, and a resumed generator costs more per hit).
    No regex: a run meets many distinct names (each ``from keras.backend import x``, each ``from keras import
    layers``), and compiling a pattern per name or per file costs more than the checks it would save."""
    found: List[int] = []
    find = text.find
    start = find(word)
    if start < 0:
        return found
    append = found.append
    size = len(word)
    if not whole:
        while start >= 0:
            append(start)
            start = find(word, start + size)
        return found
    length = len(text)
    while start >= 0:
        end = start + size
        if not (
            start and (text[start - 1].isalnum() or text[start - 1] == "_")
            or end < length and (text[end].isalnum() or text[end] == "_")
        ):
            append(start)
        start = find(word, end)
    return found


def _word_lines(text: str, word: str) -> List[int]:
    """Sorted numbers of the lines that contain ``word`` (as any part of a line)."""
    return sorted(set(_line_numbers(text, _occurrences(text, word))))


_KERAS_WORD = re.compile(r"keras")


_ATTRS = re.compile(r"\w+")


#: the ``.merge.concatenate`` after a chain root
_TAIL = re.compile(r"(?:\s*\.\s*\w+)+")


#: the first character after a chain (``(`` when it is called)
_NEXT = re.compile(r"\s*(\S)")


#: what ``import keras`` and ``from tensorflow import keras`` bind: a name for all of keras
_WHOLE_KERAS = frozenset({"keras", "tensorflow.keras"})


def whole_keras_roots(import_bindings: Dict[int, List[Tuple[str, Binding]]], names: Dict[str, int]) -> Dict[str, str]:
    """Interesting names that every import binding them binds to all of keras, with that path."""
    roots: Dict[str, str] = {}
    other = set()
    for bound in import_bindings.values():
        for name, binding in bound:
            if name in names:
                if type(binding) is str and binding in _WHOLE_KERAS and roots.get(name, binding) == binding:
                    roots[name] = binding
                else:
                    other.add(name)
    for name in other:
        roots.pop(name, None)
    return roots


def _normalized(text: str) -> str:
    """``text`` with its line breaks as ``\\n`` (Python counts a lone ``\\r`` as one too; the line counting here
    counts ``\\n``) and its identifiers as Python reads them (NFKC: ``Ｋ.mean`` is ``K.mean``). Most sources are
    both already and are returned as they are, so a second call costs little."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            text = text.replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        # line by line (normalisation never crosses a line break), so a long text with a few odd characters costs
        # a look at each line, not a normalisation of the whole text
        text = "\n".join(
            unicodedata.normalize("NFKC", line) if not line.isascii() and not unicodedata.is_normalized("NFKC", line)
            else line
            for line in text.split("\n")
        )
    return text


def _any_flagged(root: str, tail: str, flagged: Callable[[str], bool]) -> bool:
    """Whether a link of ``root`` + ``tail`` (``.merge.concatenate``) is flagged."""
    path = root
    for attr in _ATTRS.findall(tail):
        path = f"{path}.{attr}"
        if flagged(path):
            return True
    return False


def _flag_memo(flagged: Callable[[str], bool]) -> Callable[[str, str], bool]:
    """``_any_flagged`` remembered per (root, tail): ``layers.Dense`` is spelled many times in one file."""
    seen: Dict[Tuple[str, str], bool] = {}

    def verdict(root: str, tail: str) -> bool:
        key = (root, tail)
        found = seen.get(key)
        if found is None:
            found = seen[key] = _any_flagged(root, tail, flagged)
        return found

    return verdict


class ChainJudge(Protocol):
    """What the line pre-selection asks the import rules about ``layers.merge.concatenate`` chains."""

    def is_module(self, path: str) -> bool: ...

    def may_report(self, path: str) -> bool: ...


class LineSelection:
    """Which statements get their expressions walked: those whose own lines mention a strong name, or a weak
    name together with the word keras (case-insensitive)."""

    def __init__(self, text: str, names: Dict[str, int], import_lines: Sequence[int] = ()) -> None:
        self.text = text  # as _normalized gives it
        self.strong: set = set()
        self.weak: set = set()
        self._keras_lines: Optional[FrozenSet[int]] = None
        #: sorted lines with any hit or an import: a statement spanning none of them can be skipped whole
        self.marks: List[int] = sorted(import_lines)
        if not names:
            return
        strong, weak = self.strong, self.weak
        for name, strength in names.items():
            (strong if strength == STRONG else weak).update(_line_numbers(text, _occurrences(text, name, whole=True)))
        self.marks = sorted(strong.union(weak, import_lines))

    def add_chains(self, roots: Dict[str, str], flagged: Callable[[str], bool]) -> None:
        """Select the lines where a chain on a root (``layers.merge.concatenate`` after ``from keras import
        layers``) has a link ``flagged`` may report: only those, not every ``layers.Dense(...)`` line."""
        verdict = _flag_memo(flagged)
        self._select_uses(roots, lambda root, tail, _end: tail is not None and verdict(root, tail))

    def add_keras_roots(self, roots: Dict[str, str], flagged: Optional[Callable[[str], bool]]) -> None:
        """Select the lines where a name bound to all of keras (``import keras``, ``from tensorflow import keras``)
        may lead to a finding, instead of every line that spells it: most are ``keras.layers.Dense(...)``, which
        no check reports. A use selects its line unless it is a called chain (``keras.x.y(``) that neither goes
        through ``backend`` (the backend rules, ``keras.config.backend()`` comparisons) nor has a link ``flagged``
        may report. A bare use (``hasattr(keras, ...)``, ``keras = ...``), an alias (``L = keras.layers``) or a
        base class is always selected, so bindings and aliases are seen as before."""
        verdict = _flag_memo(flagged) if flagged is not None else None

        def wanted(root: str, tail: Optional[str], end: int) -> bool:
            if tail is None:
                return True
            after = _NEXT.match(self.text, end)
            if after is None or after.group(1) != "(":
                return True
            return "backend" in _ATTRS.findall(tail) or verdict is not None and verdict(root, tail)

        self._select_uses(roots, wanted)

    def _select_uses(self, roots: Dict[str, str], wanted: Callable[[str, Optional[str], int], bool]) -> None:
        """Select the lines of the uses of ``roots`` (name -> the path it is bound to) that ``wanted(path, tail,
        end)`` keeps: ``tail`` is the ``.merge.concatenate`` after the name (None without one), ``end`` where it
        ends. An attribute of something else (``self.layers.x``) is no use."""
        text = self.text
        starts = []
        for name, root in roots.items():
            for start in _occurrences(text, name, whole=True):
                if start and text[start - 1] == ".":
                    continue
                tail = _TAIL.match(text, start + len(name))
                if tail is None:
                    keep = wanted(root, None, start + len(name))
                else:
                    keep = wanted(root, tail.group(), tail.end())
                if keep:
                    starts.append(start)
        lines = set(_line_numbers(text, sorted(starts)))
        if lines:
            self.strong |= lines
            self.marks = sorted(set(self.marks).union(lines))

    def keras_lines(self) -> FrozenSet[int]:
        if self._keras_lines is None:
            # a literal search of the lowered text (IGNORECASE is no fast search); lines are counted in that same
            # text, since lower() can change the length of non-ASCII text before a match
            lowered = self.text.lower()
            self._keras_lines = frozenset(_line_numbers(lowered, (m.start() for m in _KERAS_WORD.finditer(lowered))))
        return self._keras_lines

    def wants(self, first: int, last: int) -> bool:
        strong, weak = self.strong, self.weak
        weak_hit = False
        for line in range(first, last + 1):
            if line in strong:
                return True
            if line in weak:
                weak_hit = True
        if not weak_hit:
            return False
        keras_lines = self.keras_lines()
        return any(line in keras_lines for line in range(first, last + 1))
