"""The learning phase: ``K.in_train_phase`` / ``K.in_test_phase`` pick one of two branches by a training flag.

Keras 2.15: ``training=None`` meant the call context's flag, else ``K.learning_phase()`` (0 outside ``fit``); a
Python bool or int picked one branch and called it when callable; a tensor went through ``K.switch``. Keras 3 has
no global learning phase: ``Layer.__call__`` passes the flag to ``call(..., training=None)`` itself (from the outer
call when not given), so inside ``call`` the flag is what Keras 2 would have looked up. The rewrite is the
conditional expression ``x() if training else alt``, safe where the flag means the same thing in Keras 3.
"""
from __future__ import annotations

import ast
from typing import Optional, Set

from . import Outcome, Site, fixed, is_pure, literal, not_fixed, rewrite

CALLABLE, VALUE = "callable", "value"
_NO_PHASE = ("Keras 3 has no learning phase: without a training flag K.in_{0}_phase followed Keras 2's (the "
             "training branch inside fit); this keeps the inference branch: pass the layer's training argument")
_NOT_CALL = ("None in this flag followed Keras 2's learning phase; Keras 3 fills only the training argument of "
             "a Layer's call: pass that flag down")
_TENSOR = "this flag may be None (Keras 2's learning phase) or a tensor (traced code needs keras.ops.cond)"
_BOTH = "K.in_{0}_phase evaluated both branches; the one not taken is no longer evaluated"
#: backend functions that take callables or return them; anything else the backend computes is a tensor
_TAKES_CALLABLES = frozenset({"in_train_phase", "in_test_phase", "switch", "map_fn", "foldl", "foldr", "rnn",
                              "function"})
#: where a conditional expression must be parenthesized to keep its meaning
_TIGHT = (ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.Attribute, ast.Subscript, ast.Await, ast.IfExp,
          ast.Starred)


@rewrite("in_train_phase", "in_test_phase")
def in_train_phase(site: Site) -> Outcome:
    phase = site.name[3:-6]  # "train" / "test"
    fn = enclosing_function(site)
    first, second = site.given("x"), site.given("alt")
    kinds = [branch_kind(node, fn, site) for node in (first, second)]
    texts = [_branch_text(site, param, kind) for param, kind in zip(("x", "alt"), kinds)]
    if None in texts:
        return not_fixed(f"a branch is a lambda with parameters or a call that may return a function; "
                         f"K.{site.name} would have called it")
    # K.in_*_phase computed both arguments: a branch that is a computed value is no longer computed when not taken
    computed = [kind == VALUE and not is_pure(node) for node, kind in zip((first, second), kinds)]
    # the branch taken when training is true, and the other one
    (train, test), (train_computed, test_computed) = (texts, computed) if phase == "train" else (
        texts[::-1], computed[::-1])
    both = _BOTH.format(phase)
    flag = site.given("training")
    value = literal(flag)
    if flag is None or value is None:
        return fixed(_wrap(site, test), _NO_PHASE.format(phase), unsafe=True)
    if value is not ...:
        if value is True or value == 1 and not isinstance(value, str):
            return fixed(_wrap(site, train), both if test_computed else "", unsafe=test_computed)
        if value is False or value == 0 and not isinstance(value, str):
            return fixed(_wrap(site, test), both if train_computed else "", unsafe=train_computed)
        return not_fixed(f"training={value!r} is neither a bool nor 0/1")
    both = both if any(computed) else ""
    text = _wrap(site, f"{train} if {site.arg('training')} else {test}", conditional=True)
    if isinstance(flag, ast.Name) and fn is not None and flag.id in parameters(fn) and not _rebound(flag.id, fn):
        if not (flag.id == "training" and is_layer_call(fn)):
            return fixed(text, _NOT_CALL, unsafe=True)
        return fixed(text, both, unsafe=bool(both))
    return fixed(text, _TENSOR, unsafe=True)


def _branch_text(site: Site, param: str, kind: Optional[str]) -> Optional[str]:
    """The branch's value as K.in_train_phase gave it: called when it is a function."""
    if kind == CALLABLE:
        return "{%d:call}" % site.bound[param][0]
    if kind == VALUE:
        return site.arg(param)
    if is_pure(site.given(param)):  # kind unknown: decide at run time, as K.in_train_phase did
        ref = site.arg(param)
        return f"({ref}() if callable({ref}) else {ref})"
    return None


def _wrap(site: Site, text: str, conditional: bool = False) -> str:
    """Parenthesized where the call's value is an operand (a call is atomic, its replacement may not be)."""
    parent = site.parent
    tight = isinstance(parent, _TIGHT) or isinstance(parent, ast.Call) and parent.func is site.call
    if conditional:
        return f"({text})" if tight else text
    # one branch alone: the placeholder itself says how to parenthesize
    if text.endswith(":call}"):
        return text[:-1] + (":atom}" if tight else ":bare}")
    if text.startswith("(") or not tight:
        return text
    return text[:-1] + ":atom}"


# -- static facts about names ----------------------------------------------------------------------------------------
def enclosing_function(site: Site) -> Optional[ast.AST]:
    node = site.parents.get(id(site.call))
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        node = site.parents.get(id(node))
    return node


def parameters(fn: ast.AST) -> Set[str]:
    args = fn.args  # type: ignore[attr-defined]
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return set(names)


def is_layer_call(fn: ast.AST) -> bool:
    """A method ``call(self, ..., training=...)``: Keras 3's ``Layer.__call__`` fills that argument from the outer
    call when it is not given, as Keras 2's call context did."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or fn.name != "call":
        return False
    args = fn.args.posonlyargs + fn.args.args
    return bool(args) and args[0].arg == "self" and "training" in parameters(fn)


def branch_kind(node: Optional[ast.AST], fn: Optional[ast.AST], site: Site) -> Optional[str]:
    """CALLABLE (a ``lambda:``, a local ``def``), VALUE (something K.in_train_phase would not call), or None."""
    if isinstance(node, ast.Lambda):
        args = node.args
        plain = not (args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)
        return CALLABLE if plain else None
    if isinstance(node, (ast.BinOp, ast.UnaryOp, ast.Compare, ast.Constant, ast.List, ast.Tuple)):
        return VALUE
    if isinstance(node, ast.Call):
        return VALUE if _backend_op(node, site) else None
    if isinstance(node, ast.Name) and fn is not None:
        return _name_kind(node.id, fn, site)
    return None


def _backend_op(call: ast.Call, site: Site) -> bool:
    """``K.op(...)`` through the same backend alias as the call being rewritten: a tensor."""
    func, own = call.func, site.call.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and isinstance(own, ast.Attribute)
            and isinstance(own.value, ast.Name) and func.value.id == own.value.id
            and func.attr not in _TAKES_CALLABLES)


def _name_kind(name: str, fn: ast.AST, site: Site) -> Optional[str]:
    """How ``name`` is bound in ``fn`` (nested scopes that rebind it are skipped): only by local ``def``s, only by
    assignments of tensors, or a parameter that the function computes with (a function cannot be an operand)."""
    defs = values = 0
    used_as_tensor = False
    for node in _scope_nodes(fn, name):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            defs += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return None
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (a.asname or a.name.split(".")[0]) == name for a in node.names):
            return None
        elif isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            parent = site.parents.get(id(node))
            if isinstance(parent, (ast.Assign, ast.AnnAssign)) and node is not getattr(parent, "value", None) \
                    and branch_kind(parent.value, None, site) == VALUE:
                values += 1
            else:
                return None  # a for target, an unpacking, an augmented or unknown assignment...
        elif isinstance(node, (ast.BinOp, ast.UnaryOp)):
            operands = (node.left, node.right) if isinstance(node, ast.BinOp) else (node.operand,)
            used_as_tensor |= any(isinstance(o, ast.Name) and o.id == name for o in operands)
        elif isinstance(node, ast.Call) and node.args and _backend_op(node, site):
            first = node.args[0]
            used_as_tensor |= isinstance(first, ast.Name) and first.id == name
    is_parameter = name in parameters(fn)
    if defs:
        return CALLABLE if not values and not is_parameter else None
    if values and not is_parameter or used_as_tensor:
        return VALUE
    return None


def _rebound(name: str, fn: ast.AST) -> bool:
    """``name`` is assigned (or deleted) in ``fn`` itself: ``if training is None: training = K.learning_phase()``."""
    return any(isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
               or isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names
               for node in _scope_nodes(fn, name))


def _scope_nodes(fn: ast.AST, name: str):
    """The nodes of ``fn``'s body where ``name`` means ``fn``'s variable: nested functions, lambdas and classes
    that bind ``name`` themselves are skipped (their definition statement is kept)."""
    body = fn.body if isinstance(fn.body, list) else [fn.body]  # type: ignore[attr-defined]
    todo = list(body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) and _binds(node, name):
            continue
        todo.extend(ast.iter_child_nodes(node))


def _binds(fn: ast.AST, name: str) -> bool:
    if name in parameters(fn):
        return True
    return any(isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in ast.walk(fn))
