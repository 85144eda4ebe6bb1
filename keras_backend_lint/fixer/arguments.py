"""Binding a ``K.*`` call to the OLD signature and emitting it for the NEW one (``replacements.py`` params)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple

from ..replacements import IMPLICIT_PARAMS, Replacement


@dataclass
class CallEdit:
    """Replace a call's function and map its arguments; or, with ``template``, replace the whole call.

    ``template`` is a ``str.format`` string over ``{0}``, ``{1}``... (the call's original arguments by index, as
    rewritten by any nested edit) and literal text; the executor renders it from the libcst arguments.
    """

    target: str  # spelled function, e.g. ops.mean
    args: Optional[List[Tuple[int, Optional[str]]]] = None  # per original arg: keep-positional (None) / keyword name
    drop: FrozenSet[int] = frozenset()  # indices of original args to drop
    extra: List[Tuple[str, str]] = field(default_factory=list)  # appended keyword=value (source text)
    template: Optional[str] = None


def norm(text: str) -> str:
    try:
        return ast.unparse(ast.parse(text, mode="eval"))
    except SyntaxError:
        return text.strip()


def identity(entry: Replacement, name: str) -> bool:
    """True when the new function takes the old arguments unchanged (a bare reference can be replaced)."""
    if entry.kind != "call" or entry.target is None or entry.rewrite:
        return False
    params = entry.params
    if any((name, p.name) in IMPLICIT_PARAMS for p in params):
        return False
    for index, param in enumerate(params):
        if param.new_name != param.name:
            return False
        if index >= len(entry.new_positional) or entry.new_positional[index] != param.new_name:
            return False
        if param.default is not None and norm(param.default) != norm(param.new_default or ""):
            return False
        if param.default is None and param.new_default not in ("", None):
            return False
    return True


def bind(entry: Replacement, name: str, call: ast.Call) -> Optional[Dict[str, Tuple[int, ast.expr]]]:
    """OLD parameter name -> (index of the argument in source order, expression); None when unbindable
    (``*args``/``**kwargs``, unknown keywords, too many positionals, a parameter given twice)."""
    params = [p for p in entry.params if (name, p.name) not in IMPLICIT_PARAMS]
    by_name = {p.name for p in params}
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    if len(call.args) > len(params):
        return None
    bound: Dict[str, Tuple[int, ast.expr]] = {}
    for index, arg in enumerate(call.args):
        bound[params[index].name] = (index, arg)
    for offset, kw in enumerate(call.keywords):
        if kw.arg not in by_name or kw.arg in bound:
            return None
        bound[kw.arg] = (len(call.args) + offset, kw.value)
    return bound


def map_call(entry: Replacement, name: str, call: ast.Call) -> Optional[CallEdit]:
    """The argument mapping for ``entry``; None when that cannot keep behaviour."""
    implicit = {p.name for p in entry.params if (name, p.name) in IMPLICIT_PARAMS}
    params = [p for p in entry.params if p.name not in implicit]
    bound = bind(entry, name, call)
    if bound is None:
        return None
    by_name = {p.name: i for i, p in enumerate(params)}
    args: List[Tuple[int, Optional[str]]] = []
    drop = set()
    positional_ok = True
    for index, arg in enumerate(call.args):
        param = params[index]
        if param.new_name is None:
            if param.default is None or norm(ast.unparse(arg)) != norm(param.default):
                return None
            drop.add(index)
            positional_ok = False
            continue
        if positional_ok and index < len(entry.new_positional) and entry.new_positional[index] == param.new_name:
            args.append((index, None))
        else:
            positional_ok = False
            args.append((index, param.new_name))
    for offset, kw in enumerate(call.keywords):
        index = len(call.args) + offset
        param = params[by_name[kw.arg]]
        if param.new_name is None:
            if param.default is None or norm(ast.unparse(kw.value)) != norm(param.default):
                return None
            drop.add(index)
            continue
        args.append((index, param.new_name))
    extra: List[Tuple[str, str]] = []
    for param in entry.params:
        if param.name in bound:
            continue
        if param.default is None:
            return None  # a required argument is missing: the old call was broken, leave it alone
        if param.new_name is None:
            continue
        if param.new_default == "" or norm(param.default) != norm(param.new_default or "None"):
            extra.append((param.new_name, param.default))
    return CallEdit(entry.target or "", args, frozenset(drop), extra)
