"""What a message advises instead of a missing backend name, for a Keras 3 target, a Keras 2 target, or a range
that spans both (where no single spelling works and the message names the split)."""
from __future__ import annotations

from typing import List, Optional

from ..surface import ApiSurface, Release, short
from ..versions import Target
from .keras2_hints import KERAS2_ADVICE

#: what to do instead of importing a backend submodule that is gone
SUBMODULE_HINTS = {
    "tensorflow_backend": "import tensorflow directly, or use keras.ops",
    "theano_backend": "Theano is not supported any more; use keras.ops",
    "cntk_backend": "CNTK is not supported any more; use keras.ops",
    "common": "use keras.config (epsilon, floatx, image_data_format)",
    "load_backend": "use keras.config.backend()",
}
#: the same for targets without Keras 3 (no keras.ops or keras.config there)
SUBMODULE_HINTS_KERAS2 = {
    "tensorflow_backend": "import tensorflow directly",
    "theano_backend": "Theano is not supported any more; use keras.backend or tensorflow",
    "cntk_backend": "CNTK is not supported any more; use keras.backend or tensorflow",
    "common": "use keras.backend.epsilon(), floatx() or image_data_format()",
    "load_backend": "use keras.backend.backend()",
}
#: K.random_* and dropout: keras.random draws from a global seed generator without ``seed=``, which JAX refuses
#: while tracing (jax.jit); eager code and the TensorFlow backend are unaffected, so the rewrite stays safe
RANDOM_NAMES = frozenset(
    {"random_normal", "random_uniform", "truncated_normal", "random_bernoulli", "random_binomial", "dropout"}
)
RANDOM_NOTE = (
    "without seed= it raises under JAX tracing (jax.jit): pass seed=keras.random.SeedGenerator() kept on the layer"
)


def rule_url(code: str) -> str:
    from ..output import rule_url as url  # the documentation's address lives with the output formats

    return url(code)


def keras3_advice(name: str, code: str = "KBL201") -> str:
    if name in SUBMODULE_HINTS:
        return SUBMODULE_HINTS[name]
    from ..replacements import replacement_hint  # the table is only needed once something is reported

    hint = replacement_hint(name)
    if hint and name in RANDOM_NAMES:
        hint = f"{hint}; {RANDOM_NOTE}"
    return hint or f"see {rule_url(code)} for the replacement"


def keras2_advice(api: ApiSurface, name: str, missing: List[Release], code: str = "KBL201") -> str:
    """Advice for Keras 2 releases that lack ``name``."""
    if name in SUBMODULE_HINTS_KERAS2:
        return SUBMODULE_HINTS_KERAS2[name]
    added = _added_after(api, name, missing)
    if added is not None and name not in ("image_dim_ordering", "set_image_dim_ordering"):
        return f"require keras>={short(added)}, where it was added"
    if name in KERAS2_ADVICE:
        return KERAS2_ADVICE[name]
    if name.startswith("_"):
        return "use the public API"
    return f"use the TensorFlow function it wrapped (tf.*); see {rule_url(code)}"


def _added_after(api: ApiSurface, name: str, missing: List[Release]) -> Optional[Release]:
    """The first Keras 2 release after the newest missing one that has the name (on either surface)."""
    newest = max(r.version for r in missing)
    for release in api.releases:
        if release.version > newest and release.version.major == 2 and (
            release.has("keras", name) or release.has("tf", name)
        ):
            return release
    return None


def advice(api: ApiSurface, target: Target, name: str, missing: List[Release], keep: str, code: str = "KBL201") -> str:
    """The hint for ``name`` missing in ``missing`` (releases of ``target``); ``keep`` is how the user spells the
    name (for "keep K.mean" where the older part of a range still has it)."""
    if target.keras3_only:  # no Keras 2 release in the target
        return keras3_advice(name, code)
    missing2 = [r for r in missing if r.version.major < 3]
    older = keras2_advice(api, name, missing2, code) if missing2 else f"keep {keep}"
    if not target.includes_keras3:
        return older
    newer = keras3_advice(name, code)
    if newer == older:
        return newer
    return split(target, newer, older)


def split(target: Target, newer: str, older: str) -> str:
    return f"no single spelling covers Keras {target.label}: for Keras 3 {newer}; for Keras 2 {older}"


#: names people write expecting another function, where a spelling-distance guess would mislead
INTENDED = {"resize": "resize_images"}


def unknown_name_advice(name: str, candidates, target: Target) -> str:
    """KBL202's ending: a suggestion only when the name looks like a typo of a real one (one edit, two for long
    names), else what to use instead for the target."""
    close = INTENDED.get(name)
    if close is None:
        for candidate in sorted(candidates):
            if abs(len(candidate) - len(name)) <= 2 and _edits(name, candidate) <= (2 if len(name) >= 10 else 1):
                close = candidate
                break
    if close is not None:
        return "; did you mean {expr}." + close
    from .layers import _TF_TO_OPS  # TensorFlow op names and their keras.ops counterparts

    ops = _TF_TO_OPS.get(name) if "." not in name else None
    if ops is not None:
        if not target.includes_keras3:
            return f"; it is TensorFlow's tf.{name}: use tf.{name}"
        return f"; it is TensorFlow's tf.{name}: use keras.ops.{ops}"
    if not target.includes_keras3:
        return "; use the TensorFlow function (tf.*) that does this, or define it in your code"
    return "; use a keras.ops or keras.config function that does this, or define it in your code"


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (a transposition counts as one edit)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
