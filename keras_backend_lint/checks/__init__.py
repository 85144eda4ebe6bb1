"""The checks, each a pure function of (module info, settings, API surface) yielding violations."""
from __future__ import annotations

from .attributes import check_attributes
from .common import Settings
from .imports import check_imports
from .keras_imports import check_keras_imports
from .layers import check_layer_calls
from .selection import check_backend_comparisons, check_backend_env

CHECKS = (
    check_imports,
    check_keras_imports,
    check_attributes,
    check_backend_comparisons,
    check_backend_env,
    check_layer_calls,
)

__all__ = ["CHECKS", "Settings"]
