"""Theano-era dimension ordering: ``'th'``/``'tf'`` are ``'channels_first'``/``'channels_last'``."""
from __future__ import annotations

import ast

from . import Outcome, Site, escape, fixed, literal, rewrite

_FORMATS = {"th": "channels_first", "tf": "channels_last"}


@rewrite("image_dim_ordering")
def image_dim_ordering(site: Site) -> Outcome:
    getter = f'{site.spell("keras.config.image_data_format")}()'
    compare = site.parent
    if isinstance(compare, ast.Compare) and len(compare.ops) == 1 and isinstance(compare.ops[0], (ast.Eq, ast.NotEq)):
        other = compare.comparators[0] if compare.left is site.call else compare.left
        value = literal(other)
        if value in _FORMATS:
            op = "==" if isinstance(compare.ops[0], ast.Eq) else "!="
            mapped = repr(_FORMATS[value])
            text = f"{getter} {op} {mapped}" if compare.left is site.call else f"{mapped} {op} {getter}"
            return fixed(text, node=compare)
    # anywhere else the old value itself, computed from the new setting
    return fixed(f"('th' if {getter} == 'channels_first' else 'tf')")


@rewrite("set_image_dim_ordering")
def set_image_dim_ordering(site: Site) -> Outcome:
    setter = site.spell("keras.config.set_image_data_format")
    value = literal(site.given("dim_ordering"))
    if value in _FORMATS:
        return fixed(f"{setter}({_FORMATS[value]!r})")
    mapping = escape("{'th': 'channels_first', 'tf': 'channels_last'}")
    return fixed(
        f'{setter}({mapping}[{site.arg("dim_ordering")}])',
        "a value other than 'th'/'tf' raises KeyError instead of ValueError",
        unsafe=True,
    )
