"""Whether a replacement exists, with the same meaning, in every release the target covers (ranges!)."""
from __future__ import annotations

#: ``keras.<namespace>.<name>`` paths whose names the data lists per Keras 3 release
_NAMESPACES = ("ops", "config", "random", "utils", "losses", "activations")


def unavailable_in_target(path: str, target) -> bool:
    """True when ``path`` (``keras.ops.mean``, ``keras.config.floatx``, ``keras.Variable``...) is missing from some
    release of the target. Non-Keras paths (``tensorflow``, ``numpy``) exist independently of Keras."""
    return bool(_missing(path, target))


def missing_releases(path: str, target) -> str:
    """The releases of the target lacking ``path``, as a label (``2.12-2.15``), or ''."""
    from ..surface import describe, load

    missing = _missing(path, target)
    return describe(missing, load().releases) if missing else ""


def _missing(path: str, target) -> list:
    if path != "keras" and not path.startswith("keras."):
        return []
    parts = path.split(".")
    out = []
    for release in target.releases:
        if release.version.major < 3:
            out.append(release)  # Keras 2 had none of keras.ops / keras.config / keras.random / keras.Variable
        elif len(parts) >= 3 and parts[1] in _NAMESPACES:
            names = release.namespaces.get(parts[1])
            if names is not None and parts[2] not in names:
                out.append(release)
    return out
