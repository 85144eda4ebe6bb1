"""Which names are the Keras backend, per scope.

One iterative walk over the module (deeply nested code cannot raise RecursionError) builds the scopes and their
bindings, and collects the nodes the checks look at. Resolution is flow-insensitive and conservative: a name
resolves to a qualified name (``keras.backend``, ``tensorflow.keras.backend.mean``) only when *every* binding of it
in its scope is an import or an alias of one; any other binding (a parameter, ``K = x.shape[0]``, a loop target,
a ``def``) makes the name ambiguous and the checks stay silent about it.
"""
from __future__ import annotations

import ast
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Tuple, Union

#: exceptions whose handler makes a guarded import/attribute access intentional (compat shims)
_CATCH_ALL = "*"
_CATCHES = {
    "ImportError": ("import", "attr"),
    "ModuleNotFoundError": ("import",),
    "AttributeError": ("attr",),
    "Exception": ("import", "attr"),
    "BaseException": ("import", "attr"),
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
    guarded: FrozenSet[str] = frozenset()
    #: (ClassDef, class scope, method name) when inside a method of a class
    method: Optional[Tuple[ast.ClassDef, Scope, str]] = None
    #: module level (not inside a function or class), for import-order questions
    top_level: bool = True

    def catches_for(self, kind: str) -> bool:
        return any(kind in _CATCHES.get(name, ()) or name == _CATCH_ALL for name in self.catches)


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
        #: class name -> [(ClassDef, its body scope)], for "is this class a Layer subclass" questions
        self.classes: Dict[str, List[Tuple[ast.ClassDef, Scope]]] = {}
        self._resolving: set = set()

    # -- resolution ---------------------------------------------------------------------------------------------
    def resolve_name(self, name: str, scope: Scope) -> Optional[FrozenSet[str]]:
        owner = _owning_scope(name, scope)
        if owner is None:
            return None
        memo = owner._memo
        if name in memo:
            return memo[name]
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


def _import_bindings(node: Union[ast.Import, ast.ImportFrom]) -> List[Tuple[str, Binding]]:
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


def _hasattr_guards(test: ast.AST) -> FrozenSet[str]:
    """Names checked with ``hasattr(obj, "name")`` in a condition: accesses under it are deliberate."""
    names = set()
    for node in ast.walk(test):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "hasattr"
            and len(node.args) == 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            names.add(node.args[1].value)
    return frozenset(names)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# match statements exist from Python 3.10; on 3.9 these are empty tuples and never match
_MATCH_CAPTURES = tuple(getattr(ast, n) for n in ("MatchAs", "MatchStar") if hasattr(ast, n))
_MATCH_MAPPING = tuple(getattr(ast, n) for n in ("MatchMapping",) if hasattr(ast, n))
_ENV_METHODS = frozenset({"setdefault", "update", "putenv", "__setitem__"})


def analyse(tree: ast.AST) -> ModuleInfo:
    """Walk ``tree`` once, iteratively, and return its scopes and the interesting nodes in source order."""
    info = ModuleInfo()
    stack: List[Tuple[ast.AST, Scope, Context]] = [(tree, info.module_scope, Context())]
    while stack:
        node, scope, ctx = stack.pop()
        children: List[Tuple[ast.AST, Scope, Context]] = []
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            info.imports.append(Event(node, scope, ctx))
            for name, binding in _import_bindings(node):
                scope.bind(name, binding)
        elif isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                info.attributes.append(Event(node, scope, ctx))
            children.append((node.value, scope, ctx))
        elif isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                scope.bind(node.id, None)  # assignment targets are bound by their statement; this covers the rest
        elif isinstance(node, ast.Assign):
            lazy = isinstance(node.value, (ast.Name, ast.Attribute))
            for target in node.targets:
                if isinstance(target, ast.Name):
                    scope.bind(target.id, Lazy(node.value, scope) if lazy else None)
                else:
                    if isinstance(target, ast.Subscript):
                        info.env_writes.append(Event(node, scope, ctx))
                    children.append((target, scope, ctx))
            children.append((node.value, scope, ctx))
        elif isinstance(node, _FUNCTIONS) or isinstance(node, ast.Lambda):
            inner = Scope("function", scope, node)
            if not isinstance(node, ast.Lambda):
                scope.bind(node.name, None)
                for dec in node.decorator_list:
                    children.append((dec, scope, ctx))
                if node.returns is not None:
                    children.append((node.returns, scope, ctx))
            args = node.args
            for default in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
                children.append((default, scope, ctx))
            for arg in list(getattr(args, "posonlyargs", [])) + args.args + args.kwonlyargs:
                inner.bind(arg.arg, None)
                if arg.annotation is not None:
                    children.append((arg.annotation, scope, ctx))
            for arg in (args.vararg, args.kwarg):
                if arg is not None:
                    inner.bind(arg.arg, None)
                    if arg.annotation is not None:
                        children.append((arg.annotation, scope, ctx))
            method = None
            if not isinstance(node, ast.Lambda) and scope.kind == "class" and isinstance(scope.node, ast.ClassDef):
                method = (scope.node, scope, node.name)
            elif ctx.method is not None:
                method = ctx.method  # nested helpers and lambdas inside a layer method still run in it
            inner_ctx = Context(frozenset(), frozenset(), method, False)
            body = [node.body] if isinstance(node, ast.Lambda) else node.body
            for stmt in body:
                children.append((stmt, inner, inner_ctx))
        elif isinstance(node, ast.ClassDef):
            scope.bind(node.name, None)
            for expr in node.decorator_list + node.bases + [k.value for k in node.keywords]:
                children.append((expr, scope, ctx))
            inner = Scope("class", scope, node)
            info.classes.setdefault(node.name, []).append((node, inner))
            inner_ctx = Context(ctx.catches, ctx.guarded, None, False)
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
            guards = _hasattr_guards(node.test)
            inner_ctx = ctx._replace(guarded=ctx.guarded | guards) if guards else ctx
            children.append((node.test, scope, ctx))
            body = node.body if isinstance(node.body, list) else [node.body]
            orelse = node.orelse if isinstance(node.orelse, list) else [node.orelse]
            for stmt in body + orelse:
                children.append((stmt, scope, inner_ctx))
        else:
            if isinstance(node, ast.Compare):
                info.compares.append(Event(node, scope, ctx))
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in _ENV_METHODS:
                    info.env_writes.append(Event(node, scope, ctx))
                if ctx.method is not None:
                    info.method_calls.append(Event(node, scope, ctx))
            elif isinstance(node, ast.alias) or isinstance(node, ast.arg):
                continue
            elif isinstance(node, _MATCH_CAPTURES):
                if node.name:
                    scope.bind(node.name, None)
            elif isinstance(node, _MATCH_MAPPING) and node.rest:
                scope.bind(node.rest, None)
            for child in ast.iter_child_nodes(node):
                children.append((child, scope, ctx))
        # reversed so that popping visits children in source order
        stack.extend(reversed(children))
    return info
