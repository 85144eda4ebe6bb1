"""Which names are the Keras backend, per scope.

One iterative walk over the module (deeply nested code cannot raise RecursionError) builds the scopes and their
bindings, and collects the nodes the checks look at. Resolution is flow-insensitive and conservative: a name
resolves to a qualified name (``keras.backend``, ``tensorflow.keras.backend.mean``) only when *every* binding of it
in its scope is an import or an alias of one; any other binding (a parameter, ``K = x.shape[0]``, a loop target,
a ``def``) makes the name ambiguous and the checks stay silent about it.
"""
from __future__ import annotations

import ast
import re
import unicodedata
from bisect import bisect_left
from typing import Callable, Dict, FrozenSet, List, NamedTuple, Optional, Protocol, Sequence, Tuple, Union

#: exceptions whose handler makes a guarded import/attribute access intentional (compat shims); a broad handler
#: (bare ``except:``, ``Exception``, ``BaseException``) is not one: it hides the breakage, the code silently stops
#: working on the target
_CATCH_ALL = "*"
_CATCHES = {
    "ImportError": ("import", "attr"),
    "ModuleNotFoundError": ("import",),
    "AttributeError": ("attr",),
    "NameError": ("import", "attr"),
}


class Lazy(NamedTuple):
    """``K = keras.backend``: resolved on demand, in the scope of the assignment."""

    value: ast.expr
    scope: "Scope"


Binding = Union[str, Lazy, None]  # a qualified name, an alias to resolve, or unknown


class Scope:
    __slots__ = ("kind", "parent", "bindings", "globals", "nonlocals", "node", "_memo")

    def __init__(self, kind: str, parent: Optional["Scope"], node: Optional[ast.AST] = None) -> None:
        self.kind = kind  # module | function | class | comprehension
        self.parent = parent
        self.node = node
        self.bindings: Dict[str, List[Binding]] = {}
        self.globals: set = set()
        self.nonlocals: set = set()
        self._memo: Dict[str, Optional[FrozenSet[str]]] = {}

    def bind(self, name: str, value: Binding) -> None:
        if name in self.globals:
            target = self
            while target.parent is not None:
                target = target.parent
            target.bindings.setdefault(name, []).append(value)
            return
        self.bindings.setdefault(name, []).append(value)


class Context(NamedTuple):
    """What encloses a node: the exceptions caught around it, hasattr() guards, the enclosing layer method."""

    catches: FrozenSet[str] = frozenset()
    #: conditions (``if``/``and`` tests) this node runs under; read lazily, only for nodes a check reports on
    conditions: Tuple[ast.AST, ...] = ()
    #: (ClassDef, class scope, method name) when inside a method of a class
    method: Optional[Tuple[ast.ClassDef, Scope, str]] = None
    #: module level (not inside a function or class), for import-order questions
    top_level: bool = True

    def guards(self, name: str) -> bool:
        for test in self.conditions:
            guards = _guards_of(test)
            if name in guards or ANY_NAME in guards:
                return True
        return False

    def catches_for(self, kind: str) -> bool:
        return any(kind in _CATCHES.get(name, ()) for name in self.catches)


class Event(NamedTuple):
    node: ast.AST
    scope: Scope
    context: Context


class ModuleInfo:
    """The walk's result: the scopes and the nodes the checks need, in source order."""

    def __init__(self) -> None:
        self.module_scope = Scope("module", None)
        self.imports: List[Event] = []
        self.attributes: List[Event] = []
        self.compares: List[Event] = []
        self.env_writes: List[Event] = []
        self.method_calls: List[Event] = []
        #: ``K.eval = ...``: attribute assignments, which can define a missing backend name (a shim)
        self.attr_stores: List[Event] = []
        #: class name -> [(ClassDef, its body scope)], for "is this class a Layer subclass" questions
        self.classes: Dict[str, List[Tuple[ast.ClassDef, Scope]]] = {}
        self._resolving: set = set()
        #: ``x = name.attr`` statements the pre-selected walk met (None: not collected)
        self.alias_nodes: Optional[List[ast.Assign]] = None
        #: id(Import/ImportFrom node) -> its (name, binding) pairs, found once by ``interesting_names``
        self.import_bindings: Dict[int, List[Tuple[str, Binding]]] = {}
        #: the file's ``reexports.Project`` (None: project modules are not followed)
        self.project = None

    # -- resolution ---------------------------------------------------------------------------------------------
    def resolve_name(self, name: str, scope: Scope) -> Optional[FrozenSet[str]]:
        owner = _owning_scope(name, scope)
        if owner is None:
            return None
        memo = owner._memo
        if name in memo:
            return memo[name]
        self._resolve_chain_first(name, scope)
        key = (id(owner), name)
        if key in self._resolving:  # K = K.backend and other cycles
            return None
        self._resolving.add(key)
        try:
            result: Optional[FrozenSet[str]] = None
            values = set()
            for binding in owner.bindings[name]:
                if binding is None:
                    break
                if isinstance(binding, Lazy):
                    resolved = self.resolve_expr(binding.value, binding.scope)
                    if not resolved:
                        break
                    values |= resolved
                else:
                    values.add(binding)
            else:
                result = frozenset(values) if values else None
        finally:
            self._resolving.discard(key)
        memo[name] = result
        return result

    def _resolve_chain_first(self, name: str, scope: Scope, limit: int = 50) -> None:
        """Resolve a long alias chain (``K1 = K``, ``K2 = K1``, ... thousands deep) from its far end, so that the
        recursive resolution below finds each next link memoised instead of exceeding the recursion limit."""
        chain: List[Tuple[str, Scope]] = []
        seen = set()
        while True:
            owner = _owning_scope(name, scope)
            if owner is None or name in owner._memo or (id(owner), name) in seen:
                break
            seen.add((id(owner), name))
            chain.append((name, scope))
            lazy = [b for b in owner.bindings[name] if isinstance(b, Lazy)]
            if len(lazy) != 1:
                break
            node = lazy[0].value
            while isinstance(node, ast.Attribute):
                node = node.value
            if not isinstance(node, ast.Name):
                break
            name, scope = node.id, lazy[0].scope
        if len(chain) > limit:
            for link_name, link_scope in reversed(chain[1:]):
                self.resolve_name(link_name, link_scope)

    def resolve_expr(self, node: ast.AST, scope: Scope) -> Optional[FrozenSet[str]]:
        """Qualified names an expression can be, for a Name or an attribute chain on one; else None."""
        attrs: List[str] = []
        while isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        bases = self.resolve_name(node.id, scope)
        if not bases or not attrs:
            return bases
        suffix = "." + ".".join(reversed(attrs))
        return frozenset(base + suffix for base in bases)


def _owning_scope(name: str, scope: Scope) -> Optional[Scope]:
    """Python's lookup rules: local, enclosing functions (class bodies skipped), module."""
    if name in scope.globals:
        while scope.parent is not None:
            scope = scope.parent
        return scope if name in scope.bindings else None
    if name in scope.bindings and name not in scope.nonlocals:
        return scope
    current = scope.parent
    while current is not None:
        if current.kind != "class" or current is scope:
            if name in current.bindings and name not in current.nonlocals:
                return current
        current = current.parent
    return None


def _import_bindings(node: Union[ast.Import, ast.ImportFrom], project=None) -> List[Tuple[str, Binding]]:
    """(bound name, qualified name or None) pairs; with a ``reexports.Project``, a name imported from a project
    module that re-exports the backend (``from mypkg.backend import K``) is bound to what it re-exports."""
    if project is not None and isinstance(node, ast.ImportFrom):
        return _project_import_bindings(node, project)
    out: List[Tuple[str, Binding]] = []
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                out.append((alias.asname, alias.name))
            else:
                top = alias.name.split(".", 1)[0]
                out.append((top, top))
        return out
    for alias in node.names:
        if alias.name == "*":
            continue
        bound = alias.asname or alias.name
        if node.level or not node.module:
            out.append((bound, None))  # relative import: the project's own module, never the backend
        else:
            out.append((bound, f"{node.module}.{alias.name}"))
    return out


def _project_import_bindings(node: ast.ImportFrom, project) -> List[Tuple[str, Binding]]:
    out: List[Tuple[str, Binding]] = []
    module = project.absolute(node.module, node.level)
    for alias in node.names:
        if alias.name == "*":
            continue
        bound = alias.asname or alias.name
        qname = f"{module}.{alias.name}" if module else None
        resolved = project.resolve(qname) if qname else None
        if resolved:
            out.extend((bound, q) for q in sorted(resolved))
        else:
            out.append((bound, None if node.level or not node.module else f"{node.module}.{alias.name}"))
    return out


def _target_names(target: ast.AST) -> List[str]:
    names: List[str] = []
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)
    return names


def _handler_names(handler: ast.ExceptHandler) -> List[str]:
    if handler.type is None:
        return [_CATCH_ALL]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = []
    for t in types:
        if isinstance(t, ast.Name):
            names.append(t.id)
        elif isinstance(t, ast.Attribute):
            names.append(t.attr)
    return names


_VERSION_WORD = re.compile(r"(?:^|_|keras|tf|tensorflow)version")

#: in ``Context.guarded``: every name is guarded (a version check decides the branch, not us)
ANY_NAME = "*"


def _guards(test: ast.AST) -> FrozenSet[str]:
    """What a condition guards: names checked with ``hasattr(obj, "name")``, or every name (``ANY_NAME``) when it
    compares versions (``keras.__version__``, ``TF_VERSION``, ``is_keras_3``): code under it is deliberate."""
    names = set()
    for node in ast.walk(test):
        kind = type(node)
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            args = node.args  # type: ignore[attr-defined]
            if (
                type(func) is ast.Name
                and func.id == "hasattr"
                and len(args) == 2
                and isinstance(args[1], ast.Constant)
                and isinstance(args[1].value, str)
            ):
                names.add(args[1].value)
        elif kind is ast.Name or kind is ast.Attribute:
            word = (node.id if kind is ast.Name else node.attr).lower()  # type: ignore[attr-defined]
            # "version" as a word part (__version__, TF_VERSION, keras_version), not inside conversion/inversion
            if _VERSION_WORD.search(word) or word.startswith(("is_keras", "keras2", "keras3", "is_tf", "tf2", "tf1")):
                names.add(ANY_NAME)
    return frozenset(names)


def _guards_of(test: ast.AST) -> FrozenSet[str]:
    cached = getattr(test, "_kbl_guards", None)
    if cached is None:
        cached = _guards(test)
        test._kbl_guards = cached  # type: ignore[attr-defined]
    return cached


def _with_guards(ctx: "Context", test: ast.AST) -> "Context":
    # only remembered here; _guards walks the condition when a finding under it needs the answer
    return ctx._replace(conditions=ctx.conditions + (test,))


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_STATEMENTS = frozenset(
    kind
    for kind in (getattr(ast, name) for name in dir(ast))
    if isinstance(kind, type) and (issubclass(kind, ast.stmt) or kind is ast.ExceptHandler)
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# match statements exist from Python 3.10; on 3.9 these are empty tuples and never match
_MATCH_CAPTURES = tuple(getattr(ast, n) for n in ("MatchAs", "MatchStar") if hasattr(ast, n))
_MATCH_MAPPING = tuple(getattr(ast, n) for n in ("MatchMapping",) if hasattr(ast, n))
_CONTEXTS = frozenset({ast.Load, ast.Store, ast.Del})
#: fields that only hold operators and contexts (``BinOp.op``, ``Compare.ops``, ``Subscript.ctx``): leaves
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
#: node type -> its other fields (filled on first sight)
_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}
#: expressions that bind nothing and are no event themselves (``_visit`` would only list their children): walked
#: inline, their child fields in reverse order
_PLAIN_EXPRESSIONS: Dict[type, Tuple[str, ...]] = {
    kind: tuple(reversed([f for f in kind._fields if f not in _LEAF_FIELDS and f != "conversion"]))  # an int
    for kind in (
        getattr(ast, name)
        for name in (
            "BinOp", "UnaryOp", "List", "Tuple", "Set", "Dict", "Subscript", "Slice", "Starred", "JoinedStr",
            "FormattedValue", "Await", "Yield", "YieldFrom",
        )
    )
}
_NO_CHILDREN: List[Tuple[ast.AST, "Scope", "Context"]] = []
_ENV_METHODS = frozenset({"setdefault", "update", "putenv", "__setitem__"})


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
_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
#: statement type -> its fields that hold statements (simple statements have none, and cost one dict lookup)
_BODY_FIELDS: Dict[type, Tuple[str, ...]] = {
    kind: tuple(f for f in _BODIES if f in kind._fields)
    for kind in [getattr(ast, name) for name in dir(ast)]
    if isinstance(kind, type)
    and issubclass(kind, ast.AST)
    and not issubclass(kind, ast.expr)  # Lambda/IfExp bodies are expressions
    and any(f in kind._fields for f in _BODIES)
}


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


def _word_lines(text: str, word: str) -> List[int]:
    """Sorted numbers of the lines that contain ``word`` (as any part of a line)."""
    lines: List[int] = []
    line, last = 1, 0
    start = text.find(word)
    while start >= 0:
        line += text.count("\n", last, start)
        last = start
        if not lines or lines[-1] != line:
            lines.append(line)
        start = text.find(word, start + len(word))
    return lines


_KERAS_WORD = re.compile(r"keras")
_ATTRS = re.compile(r"\w+")


def _add_lines(lines: set, text: str, name: str) -> None:
    """Add the lines where ``name`` occurs as a whole word."""
    size, line, last = len(text), 1, 0
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if not (start and (text[start - 1].isalnum() or text[start - 1] == "_")) and not (
            end < size and (text[end].isalnum() or text[end] == "_")
        ):
            line += text.count("\n", last, start)
            last = start
            lines.add(line)
        start = text.find(name, end)


def _normalized(text: str) -> str:
    """The source as the line counting below needs it (idempotent, so cheap the second time)."""
    if "\r" in text:  # Python counts a lone \r as a line break too; "\n" is all we count below
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # Python reads identifiers NFKC-normalised: `Ｋ.mean` is `K.mean`
        text = unicodedata.normalize("NFKC", text)
    return text


class ChainJudge(Protocol):
    """What the line pre-selection asks the import rules about ``layers.merge.concatenate`` chains."""

    def is_module(self, path: str) -> bool: ...

    def may_report(self, path: str) -> bool: ...


class LineSelection:
    """Which statements get their expressions walked: those whose own lines mention a strong name, or a weak
    name together with the word keras (case-insensitive)."""

    def __init__(
        self, text: str, names: Dict[str, int], import_lines: Sequence[int] = (), normalized: bool = False
    ) -> None:
        if not normalized:
            text = _normalized(text)
        self.text = text
        self.strong: set = set()
        self.weak: set = set()
        self._keras_lines: Optional[FrozenSet[int]] = None
        #: sorted lines with any hit or an import: a statement spanning none of them can be skipped whole
        self._marks: List[int] = sorted(import_lines)
        if not names:
            return
        strong, weak = self.strong, self.weak
        strong_names = [n for n, strength in names.items() if strength == STRONG]
        if strong_names:
            # no leading \b: it would defeat the regex engine's scan for the names' first characters (3x slower);
            # the character before a match is checked by hand instead
            ordered = sorted(strong_names, key=len, reverse=True)  # K and KTF: the longer name first
            pattern = re.compile(r"(?:%s)\b" % "|".join(re.escape(n) for n in ordered))
            line, last = 1, 0
            for match in pattern.finditer(text):
                start = match.start()
                if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                    continue  # inside a longer word
                line += text.count("\n", last, start)
                last = start
                strong.add(line)
        for name in names:
            if names[name] != STRONG:  # tf, os: frequent letters a regex would try at every t and o; str.find
                _add_lines(weak, text, name)
        self._marks = sorted(strong.union(weak, import_lines))

    def add_chains(self, roots: Dict[str, str], flagged: Callable[[str], bool]) -> None:
        """Select the lines where a chain on a root (``layers.merge.concatenate`` after ``from keras import
        layers``) has a link ``flagged`` may report: only those, not every ``layers.Dense(...)`` line."""
        text = self.text
        ordered = sorted(roots, key=len, reverse=True)
        pattern = re.compile(r"(?:%s)((?:\s*\.\s*\w+)+)" % "|".join(re.escape(n) for n in ordered))
        added = False
        line, last = 1, 0
        for match in pattern.finditer(text):
            start = match.start()
            if start and (text[start - 1].isalnum() or text[start - 1] in "_."):
                continue  # inside a longer word, or an attribute of something else (self.layers.x)
            path = roots[text[start : match.start(1)]]
            for attr in _ATTRS.findall(match.group(1)):
                path = f"{path}.{attr}"
                if flagged(path):
                    line += text.count("\n", last, start)
                    last = start
                    self.strong.add(line)
                    added = True
                    break
        if added:
            self._marks = sorted(set(self._marks).union(self.strong))

    def touches(self, first: int, last: int) -> bool:
        """Whether lines first..last hold any hit or import (else nothing in them can matter to a check)."""
        index = bisect_left(self._marks, first)
        return index < len(self._marks) and self._marks[index] <= last

    def keras_lines(self) -> FrozenSet[int]:
        if self._keras_lines is None:
            lines, line, last = set(), 1, 0
            # lower() keeps every newline where it was; a literal pattern is a fast search, IGNORECASE is not
            for match in _KERAS_WORD.finditer(self.text.lower()):
                start = match.start()
                line += self.text.count("\n", last, start)
                last = start
                lines.add(line)
            self._keras_lines = frozenset(lines)
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


def _header_range(node: ast.AST) -> Tuple[int, int]:
    """Lines of a statement's own expressions: all of it for a simple statement, the header for a compound one."""
    start = node.lineno  # type: ignore[attr-defined]
    for dec in getattr(node, "decorator_list", ()):
        start = min(start, dec.lineno)
    body = getattr(node, "body", None)
    if isinstance(body, list) and body:
        return start, max(start, body[0].lineno - 1)
    return start, getattr(node, "end_lineno", None) or start


def analyse(
    tree: ast.AST,
    text: Optional[str] = None,
    layer_calls: bool = True,
    project=None,
    chains: Optional["ChainJudge"] = None,
    _names: Optional[Dict[str, int]] = None,
) -> ModuleInfo:
    """Walk ``tree`` once, iteratively, and return its scopes and the interesting nodes in source order.

    With ``text``, only statements whose own lines mention a name bound to keras/tensorflow/os get their
    expressions walked (see ``LineSelection``); every statement still records its bindings, so scopes stay exact.
    A flake8 run pays for the statements, not for every expression node. ``layer_calls=False`` (KBL401 disabled)
    lets TensorFlow-only lines go unwalked. Either way only attribute chains rooted at an interesting name or at a
    name bound to a ``keras.*`` module (``from keras import layers``: a chain root) are recorded: no other chain
    can resolve to anything a check follows. With ``text``, a chain root's lines are walked only where ``chains``
    (the import rules' judge) says one of its ``layers.merge.concatenate`` links may be reported.
    """
    info = ModuleInfo()
    info.project = project
    import_lines: List[int] = []
    selection: Optional[LineSelection] = None
    if text is None:
        names = interesting_names(tree, layer_calls, import_lines, project, info.import_bindings)
    else:
        text = _normalized(text)
        if _names is None:
            # imports only (aliases are rare: the walk below meets every one that matters and says when)
            word_lines = _word_lines(text, "import")
            names = _imported_names(tree, layer_calls, import_lines, project, info.import_bindings, None, word_lines)
            info.alias_nodes = []
        else:
            names = _names
            word_lines = _word_lines(text, "import")
            _imported_names(tree, layer_calls, import_lines, project, info.import_bindings, None, word_lines)
        # no names (star imports only, or keras only in strings): the statement walk still records the imports
        selection = LineSelection(text, names, import_lines, normalized=True)
    chained = chain_roots(info.import_bindings, names)
    if selection is not None and chained and chains is not None:
        # only modules lead anywhere (a chain on a class, Dense.from_config, is never a missing-path finding)
        modules = {name: path for name, path in chained.items() if chains.is_module(path)}
        if modules:
            selection.add_chains(modules, chains.may_report)
    roots = names.keys() | chained.keys()
    attributes, env_writes, method_calls = info.attributes, info.env_writes, info.method_calls
    stack: List[Tuple[ast.AST, Scope, Context]] = [(tree, info.module_scope, Context())]
    push, pop = stack.append, stack.pop
    while stack:
        node, scope, ctx = pop()
        kind = type(node)
        # the hot cases inline (most nodes are names, constants, attributes and calls): no call, no list per node
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                scope.bind(node.id, None)  # type: ignore[attr-defined]
            continue
        if kind is ast.Constant:
            continue
        if kind is ast.Attribute:
            chain = []  # K.tf.stack: the whole chain at once, outermost first (source order of the events)
            while kind is ast.Attribute:
                chain.append(node)
                node = node.value  # type: ignore[attr-defined]
                kind = type(node)
            if kind is ast.Name and node.id in roots:  # type: ignore[attr-defined]
                for link in chain:
                    if type(link.ctx) is ast.Load:  # type: ignore[attr-defined]
                        attributes.append(Event(link, scope, ctx))
            push((node, scope, ctx))
            continue
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr in _ENV_METHODS:
                env_writes.append(Event(node, scope, ctx))
            if ctx.method is not None and layer_calls:  # only KBL401 looks at calls in layer methods
                method_calls.append(Event(node, scope, ctx))
            for keyword in reversed(node.keywords):  # type: ignore[attr-defined]
                push((keyword.value, scope, ctx))
            for arg in reversed(node.args):  # type: ignore[attr-defined]
                push((arg, scope, ctx))
            push((func, scope, ctx))
            continue
        if kind in _PLAIN_EXPRESSIONS:
            for field in _PLAIN_EXPRESSIONS[kind]:  # reversed field order: the first field is popped first
                value = getattr(node, field)
                if type(value) is list:
                    for child in reversed(value):
                        if child is not None:  # Dict.keys holds None for **spread
                            push((child, scope, ctx))
                elif value is not None:
                    push((value, scope, ctx))
            continue
        if selection is not None and (kind in _STATEMENTS):
            if kind in _BODY_FIELDS:
                first, last = _header_range(node)
                end = getattr(node, "end_lineno", None) or last
            else:  # a simple statement: all of its lines are its own
                first = node.lineno  # type: ignore[attr-defined]
                last = end = getattr(node, "end_lineno", None) or first
            if not selection.touches(first, end):
                _skip(node, scope, info)  # no interesting name and no import anywhere inside
                continue
            if not selection.wants(first, last):
                stack.extend(reversed(_bindings_only(node, scope, ctx, info)))
                continue
        stack.extend(reversed(_visit(node, scope, ctx, info)))
    if info.alias_nodes is not None and _add_aliases(dict(names), info.alias_nodes):
        # an alias of an interesting name (K2 = K) is interesting too: walk again knowing all of them (an alias
        # statement always spells the name it aliases, so the walk above visited each one that can matter)
        again = interesting_names(tree, layer_calls, None, project)
        return analyse(tree, text, layer_calls, project, chains, _names=again)
    return info


def _skip(node: ast.AST, scope: Scope, info: ModuleInfo) -> None:
    """A statement that mentions no interesting name: only what it binds that others can see by name matters."""
    kind = type(node)
    if kind in _FUNCTIONS:
        scope.bind(node.name, None)  # type: ignore[attr-defined]
    elif kind is ast.ClassDef:
        scope.bind(node.name, None)  # type: ignore[attr-defined]
        info.classes.setdefault(node.name, []).append((node, Scope("class", scope, node)))  # type: ignore


def _bind_targets(scope: Scope, targets) -> None:
    for target in targets:
        for name in _target_names(target):
            scope.bind(name, None)


def _bindings_only(node: ast.AST, scope: Scope, ctx: Context, info: ModuleInfo) -> List[Tuple[ast.AST, Scope, Context]]:
    """A statement none of whose own lines mention an interesting name: record its bindings, skip expressions."""
    kind = type(node)
    if kind is ast.Import or kind is ast.ImportFrom or kind in _FUNCTIONS or kind is ast.ClassDef:
        return _visit(node, scope, ctx, info, expressions=False)
    if kind is ast.Assign:
        lazy = isinstance(node.value, (ast.Name, ast.Attribute))  # type: ignore[attr-defined]
        if lazy and info.alias_nodes is not None:
            info.alias_nodes.append(node)  # type: ignore[arg-type]
        for target in node.targets:  # type: ignore[attr-defined]
            if isinstance(target, ast.Name):
                scope.bind(target.id, Lazy(node.value, scope) if lazy else None)  # type: ignore[attr-defined]
            else:
                _bind_targets(scope, [target])
        return []
    if kind is ast.AugAssign or kind is ast.AnnAssign:
        _bind_targets(scope, [node.target])  # type: ignore[attr-defined]
        return []
    if kind is ast.Delete:
        _bind_targets(scope, node.targets)  # type: ignore[attr-defined]
        return []
    if kind is ast.Global or kind is ast.Nonlocal or kind is ast.Try or type(node).__name__ == "TryStar":
        return _visit(node, scope, ctx, info)  # no expressions of their own besides handler types
    if kind is ast.For or kind is ast.AsyncFor:
        _bind_targets(scope, [node.target])  # type: ignore[attr-defined]
    elif kind is ast.With or kind is ast.AsyncWith:
        _bind_targets(scope, [i.optional_vars for i in node.items if i.optional_vars is not None])  # type: ignore
    elif kind is ast.ExceptHandler and node.name:  # type: ignore[attr-defined]
        scope.bind(node.name, None)  # type: ignore[attr-defined]
    elif kind is ast.If:
        ctx = _with_guards(ctx, node.test)  # type: ignore[attr-defined]
    children = []
    for field in _BODY_FIELDS.get(kind, ()):
        for child in getattr(node, field):
            children.append((child, scope, ctx))
    return children


def _visit(
    node: ast.AST, scope: Scope, ctx: Context, info: ModuleInfo, expressions: bool = True
) -> List[Tuple[ast.AST, Scope, Context]]:
    """Record what ``node`` binds and which events it is; return the children to visit next. Names, constants,
    attributes and calls never get here: ``analyse`` handles them inline."""
    kind = type(node)
    if kind in _CONTEXTS:
        return _NO_CHILDREN
    children: List[Tuple[ast.AST, Scope, Context]] = []
    if kind is ast.BoolOp and type(node.op) is ast.And:  # type: ignore[attr-defined]
        # `hasattr(K, "x") and K.x()`: each operand is guarded by the ones before it
        for value in node.values:  # type: ignore[attr-defined]
            children.append((value, scope, ctx))
            ctx = _with_guards(ctx, value)
        return children
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        info.imports.append(Event(node, scope, ctx))
        bound = info.import_bindings.get(id(node))
        if bound is None:
            bound = _import_bindings(node, info.project)
        for name, binding in bound:
            scope.bind(name, binding)
    elif isinstance(node, ast.Assign):
        lazy = isinstance(node.value, (ast.Name, ast.Attribute))
        if lazy and info.alias_nodes is not None:
            info.alias_nodes.append(node)
        for target in node.targets:
            if isinstance(target, ast.Name):
                scope.bind(target.id, Lazy(node.value, scope) if lazy else None)
            else:
                if isinstance(target, ast.Subscript):
                    info.env_writes.append(Event(node, scope, ctx))
                elif isinstance(target, ast.Attribute):
                    info.attr_stores.append(Event(target, scope, ctx))
                children.append((target, scope, ctx))
        children.append((node.value, scope, ctx))
    elif isinstance(node, _FUNCTIONS) or isinstance(node, ast.Lambda):
        inner = Scope("function", scope, node)
        if not isinstance(node, ast.Lambda):
            scope.bind(node.name, None)
            if expressions:
                for dec in node.decorator_list:
                    children.append((dec, scope, ctx))
                if node.returns is not None:
                    children.append((node.returns, scope, ctx))
        args = node.args
        if expressions:
            for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
                children.append((default, scope, ctx))
        for arg in list(getattr(args, "posonlyargs", [])) + args.args + args.kwonlyargs:
            inner.bind(arg.arg, None)
            if arg.annotation is not None and expressions:
                children.append((arg.annotation, scope, ctx))
        for arg in (args.vararg, args.kwarg):
            if arg is not None:
                inner.bind(arg.arg, None)
                if arg.annotation is not None and expressions:
                    children.append((arg.annotation, scope, ctx))
        method = None
        if not isinstance(node, ast.Lambda) and scope.kind == "class" and isinstance(scope.node, ast.ClassDef):
            method = (scope.node, scope, node.name)
        elif ctx.method is not None:
            method = ctx.method  # nested helpers and lambdas inside a layer method still run in it
        inner_ctx = Context(frozenset(), ctx.conditions, method, False)
        body = [node.body] if isinstance(node, ast.Lambda) else node.body
        for stmt in body:
            children.append((stmt, inner, inner_ctx))
    elif isinstance(node, ast.ClassDef):
        scope.bind(node.name, None)
        if expressions:
            for expr in node.decorator_list + node.bases + [k.value for k in node.keywords]:
                children.append((expr, scope, ctx))
        inner = Scope("class", scope, node)
        info.classes.setdefault(node.name, []).append((node, inner))
        inner_ctx = Context(ctx.catches, ctx.conditions, None, False)
        for stmt in node.body:
            children.append((stmt, inner, inner_ctx))
    elif isinstance(node, _COMPREHENSIONS):
        inner = Scope("comprehension", scope, node)
        for child in ast.iter_child_nodes(node):
            children.append((child, inner, ctx))
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        (scope.globals if isinstance(node, ast.Global) else scope.nonlocals).update(node.names)
    elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
        caught = frozenset(n for h in node.handlers for n in _handler_names(h))
        body_ctx = ctx._replace(catches=ctx.catches | caught)
        for stmt in node.body:
            children.append((stmt, scope, body_ctx))
        for part in node.handlers + node.orelse + node.finalbody:
            children.append((part, scope, ctx))
    elif isinstance(node, ast.ExceptHandler):
        if node.name:
            scope.bind(node.name, None)
        if node.type is not None:
            children.append((node.type, scope, ctx))
        for stmt in node.body:
            children.append((stmt, scope, ctx))
    elif isinstance(node, (ast.If, ast.IfExp)):
        inner_ctx = _with_guards(ctx, node.test)
        children.append((node.test, scope, ctx))
        body = node.body if isinstance(node.body, list) else [node.body]
        orelse = node.orelse if isinstance(node.orelse, list) else [node.orelse]
        for stmt in body + orelse:
            children.append((stmt, scope, inner_ctx))
    else:
        if kind is ast.Compare:
            info.compares.append(Event(node, scope, ctx))
        elif kind is ast.alias or kind is ast.arg:
            return children
        elif isinstance(node, _MATCH_CAPTURES):
            if node.name:
                scope.bind(node.name, None)
        elif isinstance(node, _MATCH_MAPPING) and node.rest:
            scope.bind(node.rest, None)
        fields = _CHILD_FIELDS.get(kind)
        if fields is None:
            fields = _CHILD_FIELDS[kind] = tuple(f for f in node._fields if f not in _LEAF_FIELDS)
        for field in fields:
            value = getattr(node, field, None)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        children.append((child, scope, ctx))
            elif isinstance(value, ast.AST):
                children.append((value, scope, ctx))
    return children
