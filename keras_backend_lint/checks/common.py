"""Shared vocabulary of the checks: which qualified names are the backend, and what is missing in the target."""
from __future__ import annotations

import ast
from typing import List

from ..surface import KERAS, SURFACE_NAMES, TF, TF1, ApiSurface, Release, describe
from ..settings import Settings  # noqa: F401  (the checks' signatures name it)
from ..versions import Target

#: backend module paths, and the surface each one is (``tf1``: see ``surface.TF1``)
BACKEND_MODULES = {
    "keras.backend": KERAS,
    "tensorflow.keras.backend": TF,
    "tensorflow.compat.v2.keras.backend": TF,
    "tensorflow.compat.v1.keras.backend": TF1,
}
#: the old per-backend implementation modules: ``import keras.backend.tensorflow_backend as K`` works where the
#: submodule exists (KBL101 otherwise), and once the import is switched to ``keras.backend`` every use must be in
#: it, so uses are judged against the target's keras.backend
BACKEND_SUBMODULES = {
    f"keras.backend.{sub}": KERAS for sub in ("tensorflow_backend", "theano_backend", "cntk_backend", "common")
}
DISPLAY = dict(SURFACE_NAMES, tf1="tf.compat.v1.keras.backend")

#: modules that old backends import at module level and so leak as attributes (``K.tf``); name -> real module
LEAKED_MODULES = {
    "tf": "tensorflow",
    "np": "numpy",
    "os": "os",
    "sys": "sys",
    "json": "json",
    "warnings": "warnings",
    "collections": "collections",
    "itertools": "itertools",
    "threading": "threading",
    "weakref": "weakref",
    "math": "math",
    "T": "theano.tensor",
    "theano": "theano",
    "C": "cntk",
    "cntk": "cntk",
    "ctc": "tensorflow.python.ops.ctc_ops",
    "tensorflow": "tensorflow",
    "numpy": "numpy",
    "scipy": "scipy",
}


def submodule_hint(name: str, target: Target) -> str:
    """Advice for a backend submodule that is gone (``K.tensorflow_backend``, ``import keras.backend.common``)."""
    from .advice import SUBMODULE_HINTS, SUBMODULE_HINTS_KERAS2

    newer = SUBMODULE_HINTS.get(name, "use keras.ops")
    older = SUBMODULE_HINTS_KERAS2.get(name, "use keras.backend or tensorflow")
    if not target.includes_keras3:
        return older
    if target.keras3_only or newer.startswith(older):
        return newer
    from .advice import split

    return split(target, newer, older)


def missing_releases(api: ApiSurface, target: Target, surface: str, name: str) -> List[Release]:
    """Releases of the target whose surface lacks ``name`` (releases where the surface does not apply: skipped)."""
    return [r for r in target.releases if r.has(surface, name) is False]


def last_clause(api: ApiSurface, surface: str, name: str, missing: List[Release]) -> str:
    """`` (last in 2.15)`` or `` (first in 2.6)`` next to a missing name."""
    first_missing = missing[0].version
    before = api.last_having(surface, name, before=first_missing)
    if before is not None:
        return f" (last in {_short(before)})"
    after = api.first_having(surface, name, after=first_missing)
    if after is not None:
        return f" (added in {_short(after)})"
    if surface in (TF, TF1):
        return " (only in TensorFlow 1.x's tf.keras)"
    return ""


def _short(release: Release) -> str:
    return describe([release], [release])


def target_label(api: ApiSurface, releases: List[Release]) -> str:
    return describe(releases, api.releases)


def hint_for(api: ApiSurface, name: str, target: Target, missing: List[Release], keep: str) -> str:
    from .advice import advice

    return advice(api, target, name, missing, keep)


def expr_text(node: ast.AST) -> str:
    parts = []
    current = node
    # the common cases, K.mean / tf.keras.backend.x / K.backend(), without ast.unparse (which spells them the same)
    call = type(current) is ast.Call and not current.args and not current.keywords  # type: ignore[attr-defined]
    if call:
        current = current.func  # type: ignore[attr-defined]
    while type(current) is ast.Attribute:
        parts.append(current.attr)  # type: ignore[attr-defined]
        current = current.value  # type: ignore[attr-defined]
    if type(current) is ast.Name:
        parts.append(current.id)  # type: ignore[attr-defined]
        text = ".".join(reversed(parts))
        return text + "()" if call else text
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse is total on parsed trees; never let a message crash a run
        return "<expression>"
