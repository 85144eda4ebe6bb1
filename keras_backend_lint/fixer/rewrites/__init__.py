"""Per-call-site rewrites: names whose Keras 3 spelling is not "same call, mapped arguments".

Each module registers functions with ``@rewrite("name", ...)``. A rewrite sees one call site (the bound arguments,
where the result goes) and decides there whether an exact rewrite exists, and whether it is safe. Adding a fix is
one function in one of these modules plus the entry's ``rewrite=`` in ``replacements.py``.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple

from ...replacements import SAFE, UNSAFE, Replacement
from ..names import Names


class NotSpellable(Exception):
    """A module the rewrite needs has no free spelling in this file."""


@dataclass
class Site:
    name: str
    entry: Replacement
    call: ast.Call
    #: OLD parameter name -> (argument index in source order, expression)
    bound: Dict[str, Tuple[int, ast.expr]]
    parent: Optional[ast.AST]
    spell_fn: Callable[[str], Optional[str]]
    parents: Dict[int, ast.AST]
    #: every binding of every name in the file (the planner's, found once per file)
    names: Names

    def spell(self, target: str) -> str:
        """The file's spelling of a dotted Keras 3 path (``keras.ops.cast`` -> ``ops.cast``); records the import."""
        spelled = self.spell_fn(target)
        if spelled is None:
            raise NotSpellable(target)
        return escape(spelled)

    def arg(self, name: str, default: Optional[str] = None) -> str:
        """A placeholder for the bound argument (as written), else the (escaped) default text."""
        if name in self.bound:
            return "{%d}" % self.bound[name][0]
        if default is None:
            raise KeyError(name)
        return escape(default)

    def atom(self, name: str) -> str:
        """A placeholder for the bound argument, parenthesized unless atomic (for ``{x}.shape``)."""
        return "{%d:atom}" % self.bound[name][0]

    def given(self, name: str) -> Optional[ast.expr]:
        return self.bound[name][1] if name in self.bound else None


@dataclass
class Outcome:
    """``template`` replaces ``node`` (the call unless said otherwise); None: not fixed at this site (``reason``)."""

    template: Optional[str]
    safety: str = SAFE
    reason: str = ""
    node: Optional[ast.AST] = None


def fixed(template: str, reason: str = "", unsafe: bool = False, node: Optional[ast.AST] = None) -> Outcome:
    return Outcome(template, UNSAFE if unsafe else SAFE, reason, node)


def not_fixed(reason: str) -> Outcome:
    return Outcome(None, reason=reason)


def escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


RewriteFn = Callable[[Site], Outcome]
REWRITES: Dict[str, RewriteFn] = {}


def rewrite(*names: str) -> Callable[[RewriteFn], RewriteFn]:
    def register(fn: RewriteFn) -> RewriteFn:
        for name in names:
            if name in REWRITES:
                raise ValueError(f"two rewrites for {name!r}")
            REWRITES[name] = fn
        return fn

    return register


def literal(node: Optional[ast.AST]):
    """The Python value of a literal (numbers, strings, None, tuples of them, unary minus); ``...`` when not one."""
    if node is None:
        return ...
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return ...


def is_pure(node: ast.AST) -> bool:
    """Cheap to evaluate twice and without side effects: names, attribute chains, constants, constant subscripts."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return is_pure(node.value)
    if isinstance(node, ast.Subscript):
        return is_pure(node.value) and isinstance(node.slice, ast.Constant)
    return False


def used_as_operand(site: Site) -> bool:
    """The call's value flows straight into another expression (an argument, an operand), never into a name."""
    return isinstance(site.parent, (ast.Call, ast.BinOp, ast.UnaryOp, ast.Compare, ast.Subscript)) and not (
        isinstance(site.parent, ast.Call) and site.parent.func is site.call
    )


def load_all() -> Dict[str, RewriteFn]:
    from . import config, control, dtypes, math, phase, shapes, variables  # noqa: F401  (registration by import)

    return REWRITES
