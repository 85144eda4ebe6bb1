"""Variable updates: ``K.update(x, v)`` and friends are methods of the variable in Keras 3."""
from __future__ import annotations

import ast

from . import Outcome, Site, fixed, rewrite

_METHODS = {"update": "assign", "set_value": "assign", "update_add": "assign_add", "update_sub": "assign_sub"}
_VALUE = {"update": "new_x", "set_value": "value", "update_add": "increment", "update_sub": "decrement"}


@rewrite(*_METHODS)
def update(site: Site) -> Outcome:
    text = f'{site.atom("x")}.{_METHODS[site.name]}({site.arg(_VALUE[site.name])})'
    if isinstance(site.parent, ast.Expr):
        return fixed(text)
    return fixed(text, f"the value of K.{site.name}(...) is used here and differs from what .assign returns",
                 unsafe=True)


@rewrite("batch_get_value")
def batch_get_value(site: Site) -> Outcome:
    return fixed(
        f'[{site.spell("keras.ops.convert_to_numpy")}(value) for value in {site.arg("tensors")}]',
        "python scalars in the list come back as numpy arrays",
        unsafe=True,
    )
