"""The walk: one iterative pass over a module that builds its scopes (``bindings``) and collects the nodes the
checks look at, walking in full only the statements the pre-selection (``preselect``) picks when the text is known.
"""
from __future__ import annotations

import ast
from bisect import bisect_left
from typing import Dict, List, Optional, Tuple

from .bindings import (
    Context,
    Event,
    Lazy,
    ModuleInfo,
    Scope,
    child_nodes,
    _BODY_FIELDS,
    _LEAF_FIELDS,
    _handler_names,
    _import_bindings,
    _target_names,
    _with_guards,
)
from .preselect import (
    ChainJudge,
    LineSelection,
    _add_aliases,
    _imported_names,
    _normalized,
    _word_lines,
    chain_roots,
    interesting_names,
    whole_keras_roots,
)

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


#: nodes that need no visit when they are a constant or a name being read (only a stored name binds)
_LEAVES = frozenset({ast.Constant, ast.Name})
_NO_CHILDREN: List[Tuple[ast.AST, "Scope", "Context"]] = []


_ENV_METHODS = frozenset({"setdefault", "update", "putenv", "__setitem__"})


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
        word_lines = _word_lines(text, "import")
        imported = _imported_names(tree, layer_calls, import_lines, project, info.import_bindings, None, word_lines)
        if _names is None:
            # imports only (aliases are rare: the walk below meets every one that matters and says when)
            names = imported
            info.alias_nodes = []
        else:
            names = _names
        # a name for all of keras selects only the lines where it may lead to a finding (not with KBL401, which
        # looks at every call in a layer)
        whole = whole_keras_roots(info.import_bindings, names) if not layer_calls else {}
        # no names (star imports only, or keras only in strings): the statement walk still records the imports
        selection = LineSelection(text, {n: s for n, s in names.items() if n not in whole} if whole else names,
                                  import_lines)
        if whole:
            selection.add_keras_roots(whole, chains.may_report if chains is not None else None)
    chained = chain_roots(info.import_bindings, names)
    if selection is not None and chained and chains is not None:
        # only modules lead anywhere (a chain on a class, Dense.from_config, is never a missing-path finding)
        modules = {name: path for name, path in chained.items() if chains.is_module(path)}
        if modules:
            selection.add_chains(modules, chains.may_report)
    roots = names.keys() | chained.keys()
    attributes, env_writes, method_calls = info.attributes, info.env_writes, info.method_calls
    # statements are most of what is popped: tested first, against the sorted marked lines, inline
    statements = _STATEMENTS if selection is not None else frozenset()
    marks = selection.marks if selection is not None else []
    strong = selection.strong if selection is not None else set()
    nmarks = len(marks)
    stack: List[Tuple[ast.AST, Scope, Context]] = [(tree, info.module_scope, Context())]
    push, pop = stack.append, stack.pop
    while stack:
        node, scope, ctx = pop()
        kind = type(node)
        if kind in statements:
            first = node.lineno  # type: ignore[attr-defined]
            end = getattr(node, "end_lineno", None) or first
            if kind in _BODY_FIELDS:
                decorators = getattr(node, "decorator_list", None)
                if decorators:
                    first = min(first, decorators[0].lineno)
                body = getattr(node, "body", None)  # a match statement has cases instead: all of it is its header
                last = max(first, body[0].lineno - 1) if body else end  # the header: lines before the body
            else:  # a simple statement: all of its lines are its own
                last = end
            index = bisect_left(marks, first)
            if index == nmarks or marks[index] > end:  # no hit and no import anywhere in it
                if kind in _BODY_FIELDS:  # only a def or a class binds a name the others can see
                    _skip(node, scope, info)
                continue
            # a one-line statement with a strong name (most of those walked) needs no call to know it is wanted
            if (first != last or first not in strong) and not selection.wants(first, last):  # type: ignore
                stack.extend(reversed(_bindings_only(node, scope, ctx, info)))
                continue
            stack.extend(reversed(_visit(node, scope, ctx, info)))
            continue
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
            if kind is ast.Name:
                if node.id in roots:  # type: ignore[attr-defined]
                    for link in chain:
                        if type(link.ctx) is ast.Load:  # type: ignore[attr-defined]
                            attributes.append(Event(link, scope, ctx))
                continue  # a root name is read, never bound, by the chain
            push((node, scope, ctx))
            continue
        if kind is ast.Call:
            func = node.func  # type: ignore[attr-defined]
            if type(func) is ast.Attribute and func.attr in _ENV_METHODS:
                env_writes.append(Event(node, scope, ctx))
            if ctx.method is not None and layer_calls:  # only KBL401 looks at calls in layer methods
                method_calls.append(Event(node, scope, ctx))
            # arguments are always read: a constant or a name among them is a leaf with nothing to do
            for keyword in reversed(node.keywords):  # type: ignore[attr-defined]
                if type(keyword.value) not in _LEAVES:
                    push((keyword.value, scope, ctx))
            for arg in reversed(node.args):  # type: ignore[attr-defined]
                if type(arg) not in _LEAVES:
                    push((arg, scope, ctx))
            push((func, scope, ctx))
            continue
        if kind in _PLAIN_EXPRESSIONS:
            for field in _PLAIN_EXPRESSIONS[kind]:  # reversed field order: the first field is popped first
                value = getattr(node, field)
                for child in reversed(value) if type(value) is list else (value,):
                    # Dict.keys holds None for **spread; a constant or a read name is a leaf (a stored one binds)
                    if child is not None and (
                        type(child) not in _LEAVES or type(child) is ast.Name and type(child.ctx) is not ast.Load
                    ):
                        push((child, scope, ctx))
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
        for child in child_nodes(node):
            children.append((child, scope, ctx))
    return children
