"""KBL201-KBL204 (and KBL102 for imported names): one backend name looked up in the target's releases."""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import FrozenSet, Optional

from .. import rules
from ..report import Violation, violation
from ..surface import ApiSurface
from .advice import keras3_advice, unknown_name_advice
from .keras2_hints import KERAS2_ADVICE
from .common import (
    DISPLAY,
    LEAKED_MODULES,
    Settings,
    hint_for,
    last_clause,
    missing_releases,
    submodule_hint,
    target_label,
)

_PRIVATE_HINTS = {
    "_BACKEND": "use keras.config.backend()",
    "_get_available_gpus": "use tf.config.list_logical_devices('GPU')",
    "_SESSION": "use tf.compat.v1.keras.backend.get_session()",
    "_LEARNING_PHASE": "pass training=True/False to the layer call",
    "_get_session": "use tf.compat.v1.keras.backend.get_session()",
}


def check_name(
    api: ApiSurface,
    settings: Settings,
    surfaces: FrozenSet[str],
    name: str,
    node: ast.AST,
    expr: str,
    imported: bool = False,
) -> Optional[Violation]:
    """The finding for ``name`` on the backend; with several possible surfaces, only one they all agree on."""
    found = [_check_one(api, settings, surface, name, node, expr, imported) for surface in sorted(surfaces)]
    first = found[0]
    if first is None or any(f is None or f.code != first.code for f in found[1:]):
        return None
    return first


def _check_one(
    api: ApiSurface, settings: Settings, surface: str, name: str, node: ast.AST, expr: str, imported: bool
) -> Optional[Violation]:
    verdict = _verdict(api, settings, surface, name, imported)
    if verdict is None:
        return None
    rule, fix, fields = verdict
    base = expr.rpartition(".")[0] or "keras.backend"
    if rule is rules.KBL202 and fields["suggestion"]:
        fields = dict(fields, suggestion=fields["suggestion"].replace(_EXPR, base))
    if _EXPR in fields.get("hint", ""):
        fields = dict(fields, hint=fields["hint"].replace(_EXPR, base))
    if rule is rules.KBL102:
        return violation(rule, node, fix, name=name, **fields)
    return violation(rule, node, fix, expr=expr, **fields)


_EXPR = "\0"  # stands for the expression in cached message fields


@lru_cache(maxsize=4096)
def _verdict(api: ApiSurface, settings: Settings, surface: str, name: str, imported: bool):
    """(rule, fix, message fields) for a name on a surface; the same for every occurrence, so computed once.

    Fields that depend on the expression hold ``_EXPR``, replaced per occurrence by ``_check_one``.
    """
    if name.startswith("__") and name.endswith("__"):
        return None  # module dunders (__name__, __file__) always exist
    target = settings.target
    has_data = surface in ("keras", "tf", "tf1")
    missing = missing_releases(api, target, surface, name) if has_data else []
    missing_text = f" and missing for Keras {target_label(api, missing)}" if missing else ""
    display = DISPLAY[surface]
    module = _leaked_module(api, surface, name)
    if module is not None:
        # a leaked module; a backend submodule that is gone in the target cannot be imported directly either
        gone = missing and module.startswith("keras.backend.")
        hint = submodule_hint(name, target) if gone else f"import {module} directly"
        return rules.KBL204, rules.SAFE, dict(module=module, surface=display, missing=missing_text, hint=hint)
    if name.startswith("_"):
        if target.includes_keras3:
            hint = _PRIVATE_HINTS.get(name) or keras3_advice(name, rules.KBL203.code)
        else:  # keras.config does not exist there
            hint = KERAS2_ADVICE.get(name) or _PRIVATE_HINTS.get(name) or "use the public API"
        if hint.startswith("see "):
            hint = "use the public API"
        # K._BACKEND is keras.config.backend() (the fixer spells it when the target has Keras 3 only)
        fix = rules.SAFE if name == "_BACKEND" and all(r.version.major >= 3 for r in target.releases) else rules.NO_FIX
        return rules.KBL203, fix, dict(surface=display, missing=missing_text, hint=hint)
    if not has_data:
        return None
    # tf.keras in TensorFlow 1.x mirrored standalone Keras's backend (the data starts at TF 2), so a name that
    # standalone Keras ever had is "missing", not "never existed", on tf.keras.backend too
    if not api.ever(surface, name) and not api.ever("keras", name):
        candidates = [n for n in api.ever_names(surface) if not n.startswith("_") or name.startswith("_")]
        suggestion = unknown_name_advice(name, candidates, target).replace("{expr}", _EXPR)
        return rules.KBL202, rules.NO_FIX, dict(surface=display, suggestion=suggestion)
    if not missing:
        return None
    fields = dict(
        target=target_label(api, missing),
        last=last_clause(api, surface, name, missing),
        hint=hint_for(api, name, target, missing, keep=f"{_EXPR}.{name}"),
        surface=display,
    )
    # a rewrite to keras.* is only right where every release of the target is Keras 3
    fix = _fix_kind(name) if target.keras3_only else rules.NO_FIX
    return (rules.KBL102 if imported else rules.KBL201), fix, fields


def _fix_kind(name: str) -> str:
    from ..replacements import replacement_for  # only loaded once something is reported

    entry = replacement_for(name)
    return entry.safety if entry is not None and entry.target else rules.NO_FIX


def _leaked_module(api: ApiSurface, surface: str, name: str) -> Optional[str]:
    """The real module behind ``K.<name>`` when some release leaked a module there, else None."""
    if name not in api.all_modules:
        return None
    if name in api.all_submodules and surface == "keras":
        return f"keras.backend.{name}"
    return LEAKED_MODULES.get(name)
