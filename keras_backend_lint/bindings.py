"""Which names are the Keras backend, per scope: the scopes, their bindings and their resolution.

``walk.analyse`` builds them in one iterative walk over the module (deeply nested code cannot raise RecursionError)
and collects the nodes the checks look at. Resolution is flow-insensitive and conservative: a name resolves to a
qualified name (``keras.backend``, ``tensorflow.keras.backend.mean``) only when *every* binding of it in its scope is
an import or an alias of one; any other binding (a parameter, ``K = x.shape[0]``, a loop target, a ``def``) makes the
name ambiguous and the checks stay silent about it.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Tuple, Union

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
        if not self.catches:  # most code is in no try block
            return False
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
        bindings = owner.bindings[name]
        if any(isinstance(binding, Lazy) for binding in bindings):  # only an alias can start a chain
            self._resolve_chain_first(name, scope)
        key = (id(owner), name)
        if key in self._resolving:  # K = K.backend and other cycles
            return None
        self._resolving.add(key)
        try:
            result: Optional[FrozenSet[str]] = None
            values = set()
            for binding in bindings:
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
    module = node.module if not node.level else project.absolute(node.module, node.level)
    if not module or module.partition(".")[0] in project.never_local:  # from keras import ...: never the project
        return _import_bindings(node)
    out: List[Tuple[str, Binding]] = []
    for alias in node.names:
        if alias.name == "*":
            continue
        bound = alias.asname or alias.name
        resolved = project.lookup(module, alias.name, bound)
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
    compares versions (``keras.__version__``, ``TF_VERSION``, ``is_keras_3``): code under it is deliberate.

    Every expression node of the condition is looked at (as ``ast.walk`` would), through a table of each node type's
    expression fields, leaving out the operator and context leaves that can hold nothing of interest."""
    names = set()
    stack = [test]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if _is_version_word(node.id):  # type: ignore[attr-defined]
                names.add(ANY_NAME)
            continue
        if kind is ast.Attribute:
            if _is_version_word(node.attr):  # type: ignore[attr-defined]
                names.add(ANY_NAME)
            stack.append(node.value)  # type: ignore[attr-defined]
            continue
        if kind is ast.Constant:
            continue
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
        stack.extend(child_nodes(node))
    return frozenset(names)


def child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes directly below ``node``, in field order, without its operator and context fields."""
    kind = type(node)
    fields = _CHILD_FIELDS.get(kind)
    if fields is None:
        fields = _CHILD_FIELDS[kind] = tuple(f for f in kind._fields if f not in _LEAF_FIELDS)
    for field in fields:
        value = getattr(node, field, None)
        if type(value) is list:
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif isinstance(value, ast.AST):
            yield value


#: fields that only ever hold operators or load/store contexts (``BinOp.op``, ``Compare.ops``, ``Subscript.ctx``):
#: leaves, no names, calls or attributes below; the walk (``walk.py``) skips them too
_LEAF_FIELDS = frozenset({"ctx", "op", "ops"})
#: node type -> its fields that can hold further nodes, filled as types are met (shared with the walk)
_CHILD_FIELDS: Dict[type, Tuple[str, ...]] = {}


@lru_cache(maxsize=100_000)  # the same few identifiers recur in every condition
def _is_version_word(word: str) -> bool:
    """Whether an identifier reads as a version check."""
    lowered = word.lower()
    # "version" as a word part (__version__, TF_VERSION, keras_version), not inside conversion/inversion
    return bool(
        _VERSION_WORD.search(lowered) or lowered.startswith(("is_keras", "keras2", "keras3", "is_tf", "tf2", "tf1"))
    )


def _guards_of(test: ast.AST) -> FrozenSet[str]:
    cached = getattr(test, "_kbl_guards", None)
    if cached is None:
        cached = _guards(test)
        test._kbl_guards = cached  # type: ignore[attr-defined]
    return cached


def _with_guards(ctx: "Context", test: ast.AST) -> "Context":
    # only remembered here; _guards walks the condition when a finding under it needs the answer
    return ctx._replace(conditions=ctx.conditions + (test,))


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
