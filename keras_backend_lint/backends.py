"""Which backends each Keras release can run on (KBL301/KBL302).

Small reviewed table rather than generated data: it comes from each release's backend loader (``load_backend``
for 2.x, ``keras/src/backend/__init__.py`` for 3.x), and it changes rarely.
"""
from __future__ import annotations

from functools import lru_cache
from typing import FrozenSet, Tuple

from packaging.version import Version

#: Keras versions -> the backends they run on; made into ``SpecifierSet`` objects on first use (importing
#: packaging.specifiers costs a flake8 run more than every other part of this module)
_TABLE: Tuple[Tuple[str, FrozenSet[str]], ...] = (
    ("<2.0.5", frozenset({"tensorflow", "theano"})),
    (">=2.0.5,<2.4", frozenset({"tensorflow", "theano", "cntk"})),
    (">=2.4,<3", frozenset({"tensorflow"})),
    (">=3,<3.8", frozenset({"tensorflow", "jax", "torch", "numpy"})),
    (">=3.8", frozenset({"tensorflow", "jax", "torch", "numpy", "openvino"})),
)


@lru_cache(maxsize=1)
def _specifiers():
    from packaging.specifiers import SpecifierSet

    return tuple((SpecifierSet(spec), names) for spec, names in _TABLE)


@lru_cache(maxsize=256)  # asked once per release per backend comparison: packaging's matching is not free
def supported_backends(version: Version) -> FrozenSet[str]:
    for spec, names in _specifiers():
        if spec.contains(version, prereleases=True):
            return names
    return frozenset()
