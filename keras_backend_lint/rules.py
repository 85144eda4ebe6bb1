"""The rule catalogue: the single source of truth for every code.

The checker, the flake8 adapter, the fixer, the CLI (``rules``/``explain``), the generated docs headers and the
meta-tests all read this module; nothing else spells a code or a message.
"""
from __future__ import annotations

from typing import Dict, Tuple

SAFE = "safe"
UNSAFE = "unsafe"
NO_FIX = "none"
#: "sometimes": the rule's fix kind depends on the name (see replacements.py); docs list which names are safe.
VARIES = "varies"


class Rule:
    """One entry of the catalogue. A plain class: flake8 imports this module in every run, and a frozen dataclass
    costs a millisecond to define; a rule is a constant, equal only to itself."""

    __slots__ = ("code", "name", "message", "summary", "fix", "default_enabled")

    def __init__(self, code: str, name: str, message: str, summary: str, fix: str = NO_FIX,
                 default_enabled: bool = True) -> None:
        self.code = code
        self.name = name
        #: ``str.format`` template; the fields are filled by the check that reports it
        self.message = message
        self.summary = summary
        self.fix = fix
        self.default_enabled = default_enabled

    def __repr__(self) -> str:
        return f"Rule({self.code}: {self.name})"

    @property
    def family(self) -> str:
        return self.code[:4] + "xx"

    def format(self, **fields: object) -> str:
        return self.message.format(**fields)


ISSUES_URL = "https://github.com/keras-backend-lint/keras-backend-lint/issues"

RULES: Tuple[Rule, ...] = (
    # KBL0xx: the tool itself
    Rule(
        "KBL000",
        "internal-error",
        "keras-backend-lint failed on this file ({error}); please report it at " + ISSUES_URL + " with the file",
        "An internal error while checking one file; the run goes on and the error is reported here",
    ),
    # KBL1xx: imports
    Rule(
        "KBL101",
        "backend-submodule-missing",
        "{module} cannot be imported for Keras {target}{last}; {hint}",
        "Import of a keras.backend submodule (tensorflow_backend, theano_backend, common, ...) missing in the target, "
        "or of tf.compat.v1.keras under Keras 3",
        fix=VARIES,
    ),
    Rule(
        "KBL102",
        "backend-import-missing",
        "{name} cannot be imported from {surface} for Keras {target}{last}; {hint}",
        "`from keras.backend import name` where the name is missing in the target",
        fix=VARIES,
    ),
    Rule(
        "KBL103",
        "backend-star-import",
        "star import from {module} hides which backend names are used; import the names explicitly or use keras.ops",
        "`from keras.backend import *`",
    ),
    Rule(
        "KBL104",
        "mixed-keras-imports",
        "standalone keras and tensorflow.keras are both imported (line {other}); for Keras {target} they are two "
        "separate copies of Keras whose layers and models do not mix: use one of them",
        "Standalone `keras` and `tensorflow.keras` imported in one module, for targets where they are two copies",
    ),
    Rule(
        "KBL105",
        "private-tf-keras-import",
        "{module} is private TensorFlow API{count}: a stale copy of Keras since TensorFlow 2.7 (not what tf.keras "
        "uses), announced for deletion from TensorFlow 2.12; {hint}",
        "Import from the private `tensorflow.python.keras` package",
        fix=UNSAFE,
    ),
    Rule(
        "KBL106",
        "keras-module-missing",
        "module {module} cannot be imported for Keras {target}{last}; {hint}",
        "Import of a `keras.*` or `tf.keras.*` module missing in the target (`keras.engine.topology`, ...)",
        fix=VARIES,
    ),
    Rule(
        "KBL107",
        "keras-name-missing",
        "{name} cannot be imported from {module} for Keras {target}{last}; {hint}",
        "`from keras.<module> import name` where the module lacks the name in the target",
        fix=VARIES,
    ),
    Rule(
        "KBL108",
        "keras-attribute-missing",
        "{expr} is not in {module} for Keras {target}{last}; {hint}",
        "`keras.<module>.name` reached through an imported keras module where the target lacks it",
        fix=VARIES,
    ),
    # KBL2xx: attribute use on the backend
    Rule(
        "KBL201",
        "backend-attribute-missing",
        "{expr} is not in {surface} for Keras {target}{last}; {hint}",
        "Backend attribute missing in the target Keras but present in some release",
        fix=VARIES,
    ),
    Rule(
        "KBL202",
        "backend-attribute-unknown",
        "{expr} is not in {surface} in any Keras release{suggestion}",
        "Backend attribute never present in any release (typo, keras-contrib or TensorFlow-only function)",
    ),
    Rule(
        "KBL203",
        "backend-private-attribute",
        "{expr} is private to {surface}{missing}; {hint}",
        "Private backend attribute such as `K._BACKEND` or `K._get_available_gpus`",
        fix=VARIES,
    ),
    Rule(
        "KBL204",
        "module-through-backend",
        "{expr} is the {module} module reached through {surface}{missing}; {hint}",
        "A module reached through the backend (`K.tf`, `K.np`, `K.tensorflow_backend`)",
        fix=SAFE,
    ),
    # KBL3xx: backend selection
    Rule(
        "KBL301",
        "dead-backend-comparison",
        "{expr} is compared with {value!r}, which Keras {target} cannot run on; the comparison is always {result}: "
        "{advice}",
        "Comparing `K.backend()` with 'theano', 'cntk' or another backend the target cannot select",
        fix=SAFE,
    ),
    Rule(
        "KBL302",
        "keras-backend-env",
        "environment variable KERAS_BACKEND {problem}",
        "`KERAS_BACKEND` set after keras was imported, or set to a backend the target does not support",
    ),
    # KBL4xx: custom-layer portability
    Rule(
        "KBL401",
        "backend-specific-op-in-layer",
        "{expr} in {layer}.{method} is {backend}-specific; use {hint} so the layer runs on every Keras 3 backend",
        "Backend-specific calls (`K.*` math or `tf.*` ops) inside a custom Layer's call/build when targeting Keras 3",
        default_enabled=False,
    ),
    # KBL5xx: the environment (dependency files; read by the CLI, never by flake8)
    Rule(
        "KBL500",
        "dependency-file-unreadable",
        "cannot read this {format}: {error}; fix it so the Keras and TensorFlow pins can be checked",
        "A dependency file (requirements, pyproject.toml, lock file, environment.yml, ...) that cannot be read",
    ),
    Rule(
        "KBL501",
        "keras-tensorflow-mismatch",
        "{keras} and {tensorflow} ({other}) {problem}; {hint}",
        "Declared keras and tensorflow that cannot be installed together or give two different Kerases",
    ),
    Rule(
        "KBL502",
        "tf-keras-mismatch",
        "{tf_keras} does not fit {tensorflow} ({other}): {problem}; pin tf-keras to the minor of tensorflow",
        "Declared tf-keras whose minor differs from the declared tensorflow's",
    ),
    Rule(
        "KBL503",
        "dead-backend-declared",
        "{name} is declared, but Keras {target} cannot run on the {backend} backend; remove it",
        "A Theano or CNTK dependency declared while the target Keras cannot select that backend",
    ),
    Rule(
        "KBL504",
        "legacy-keras-without-tf-keras",
        "environment variable TF_USE_LEGACY_KERAS is set, but {files} declares no tf-keras; "
        "declare tf-keras at the minor of tensorflow, or drop the variable",
        "`TF_USE_LEGACY_KERAS` set in code while the project's dependency files do not declare `tf-keras`",
    ),
)

BY_CODE: Dict[str, Rule] = {rule.code: rule for rule in RULES}
DEFAULT_DISABLED: Tuple[str, ...] = tuple(rule.code for rule in RULES if not rule.default_enabled)

KBL000 = BY_CODE["KBL000"]

KBL101, KBL102, KBL103, KBL104, KBL105 = (BY_CODE[c] for c in ("KBL101", "KBL102", "KBL103", "KBL104", "KBL105"))
KBL106, KBL107, KBL108 = (BY_CODE[c] for c in ("KBL106", "KBL107", "KBL108"))
KBL201, KBL202, KBL203, KBL204 = (BY_CODE[c] for c in ("KBL201", "KBL202", "KBL203", "KBL204"))
KBL301, KBL302 = BY_CODE["KBL301"], BY_CODE["KBL302"]
KBL401 = BY_CODE["KBL401"]
KBL500, KBL501, KBL502, KBL503, KBL504 = (BY_CODE[c] for c in ("KBL500", "KBL501", "KBL502", "KBL503", "KBL504"))


def internal_error(exc: BaseException) -> str:
    """KBL000's message for ``exc``, on one line whatever the exception's text holds."""
    detail = " ".join(str(exc).split())
    return KBL000.format(error=f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)
