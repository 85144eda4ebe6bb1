"""The KBL5xx rules over dependency files, and KBL504 over the Python files that set TF_USE_LEGACY_KERAS.

Run by the CLI only: flake8 never sees dependency files. ``# noqa`` / ``# noqa: KBL501`` on the reported line is
honoured in every format with ``#`` comments (all but the JSON ``Pipfile.lock``).
"""
from __future__ import annotations

import ast
import os
import warnings
from typing import FrozenSet, Iterable, List, Optional, Sequence

from .. import pairing, rules
from ..backends import supported_backends
from ..output import Finding
from ..versions import Target
from . import read
from .model import DEAD_BACKENDS, KERAS, TENSORFLOW_NAMES, TF_KERAS, Declared, DependencyFile
from .target import display

LEGACY_ENV = "TF_USE_LEGACY_KERAS"


def check_dependency_files(paths: Iterable[str], target: Target, enabled: FrozenSet[str]) -> List[Finding]:
    out: List[Finding] = []
    for path in paths:
        dep_file = read(path)
        found = list(file_findings(dep_file, target))
        found = [f for f in found if f.code in enabled]
        if found and not path.endswith("Pipfile.lock"):  # JSON has no comments
            found = _noqa(found)
        out.extend(found)
    return out


def _noqa(found: List[Finding]) -> List[Finding]:
    from ..cli import _noqa_filter

    kept: List[Finding] = []
    for path in sorted({f.path for f in found}):
        try:
            with open(path, encoding="utf-8-sig", errors="replace") as fh:
                text = fh.read()
        except OSError:
            text = ""
        kept.extend(_noqa_filter(text, [f for f in found if f.path == path]))
    return kept


def _finding(rule: rules.Rule, declared_or_problem, **fields: object) -> Finding:
    item = declared_or_problem
    return Finding(item.path, item.line, item.col, rule.code, rule.format(**fields), rules.NO_FIX, item.col)


def file_findings(dep_file: DependencyFile, target: Target) -> Iterable[Finding]:
    for problem in dep_file.problems:
        yield _finding(rules.KBL500, problem, format=dep_file.format, error=problem.message)
    keras, tf_keras = dep_file.first(KERAS), dep_file.first(TF_KERAS)
    tensorflow = dep_file.first(*TENSORFLOW_NAMES)
    if keras and tensorflow:
        finding = _keras_tensorflow(keras, tensorflow)
        if finding:
            yield finding
    if tf_keras and tensorflow:
        finding = _tf_keras_tensorflow(tf_keras, tensorflow)
        if finding:
            yield finding
    for declared in dep_file.find(*DEAD_BACKENDS):
        if not any(declared.name in supported_backends(r.version) for r in target.releases):
            yield _finding(rules.KBL503, declared, name=declared.text, target=target.label, backend=declared.name)


def _other(declared: Declared, other: Declared) -> str:
    if declared.path == other.path:
        return f"line {other.line}"
    return f"{display(other.path)}:{other.line}"


def _entries(name: str, spec_text: str) -> List[pairing.Entry]:
    spec = pairing.parse_spec(spec_text)
    return pairing.matching(name, spec) if spec is not None else []


def _keras_tensorflow(keras: Declared, tensorflow: Declared) -> Optional[Finding]:
    tf_entries = _entries(tensorflow.name, tensorflow.spec)
    keras_versions = [e.version for e in _entries(KERAS, keras.spec)]
    if not tf_entries or not keras_versions:
        return None  # a version the data does not know: nothing to say
    if any(pairing.tf_gives_keras(tf, k) for tf in tf_entries for k in keras_versions):
        return None
    if all(tf.version >= pairing.FIRST_KERAS3_TF for tf in tf_entries) and all(k.major < 3 for k in keras_versions):
        problem = "give two Kerases: there tf.keras is Keras 3 but import keras is Keras 2"
        hint = "for Keras 2 code declare tf-keras and set TF_USE_LEGACY_KERAS=1, else use keras>=3"
    else:
        newest = tf_entries[-1]
        need = newest.requires.get(KERAS)
        minor = f"{newest.version.major}.{newest.version.minor}"
        if need is None:
            problem = f"cannot work together: tf.keras is part of tensorflow {minor} and keras{keras.spec} is not"
            hint = "use tf.keras, or a standalone keras below 2.6"
        else:
            problem = f"cannot be installed together: tensorflow {minor} requires keras{need}"
            hint = f"pin keras{need}"
    return _finding(rules.KBL501, keras, keras=keras.text, tensorflow=tensorflow.text,
                    other=_other(keras, tensorflow), problem=problem, hint=hint)


def _tf_keras_tensorflow(tf_keras: Declared, tensorflow: Declared) -> Optional[Finding]:
    tf_entries = _entries(tensorflow.name, tensorflow.spec)
    tfk_entries = _entries(TF_KERAS, tf_keras.spec)
    if not tf_entries or not tfk_entries:
        return None
    if any(pairing.tf_keras_fits(e, tf.version) for e in tfk_entries for tf in tf_entries):
        return None
    newest = tfk_entries[-1]
    need = newest.requires.get(pairing.TENSORFLOW)
    minor = f"{newest.version.major}.{newest.version.minor}"
    problem = f"tf-keras {minor} requires tensorflow{need}" if need else f"tf-keras {minor} is for tensorflow {minor}"
    return _finding(rules.KBL502, tf_keras, tf_keras=tf_keras.text, tensorflow=tensorflow.text,
                    other=_other(tf_keras, tensorflow), problem=problem)


# --- KBL504: TF_USE_LEGACY_KERAS in code ----------------------------------------------------------------------


def legacy_env_findings(py_files: Sequence[str], project_files: Sequence[DependencyFile]) -> List[Finding]:
    """KBL504 where Python code sets TF_USE_LEGACY_KERAS while the project declares TensorFlow or Keras (so its
    dependencies are known) but no tf-keras."""
    declares_keras = any(f.first(KERAS, *TENSORFLOW_NAMES) for f in project_files)
    if not declares_keras or any(f.first(TF_KERAS) for f in project_files):
        return []
    names = ", ".join(display(f.path) for f in project_files if f.first(KERAS, *TENSORFLOW_NAMES))
    out: List[Finding] = []
    for path in py_files:
        if not os.path.isfile(path):  # FIFOs and devices are never read (the Python check reports them)
            continue
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        if LEGACY_ENV.encode() not in data:
            continue
        for line, col in _legacy_env_sets(data):
            message = rules.KBL504.format(files=names)
            out.append(Finding(path, line, col + 1, rules.KBL504.code, message, rules.NO_FIX, col + 1))
    return out


def _legacy_env_sets(data: bytes) -> List[tuple]:
    """(line, col) of ``os.environ["TF_USE_LEGACY_KERAS"] = ...``, ``os.environ.setdefault(...)``,
    ``os.environ.update(TF_USE_LEGACY_KERAS=...)`` and ``os.putenv(...)``, found syntactically."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # the Python check reports E999 for this file
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _is_name(target.slice) and not _off(node.value):
                    found.append((node.lineno, node.col_offset))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr = node.func.attr
            if attr in ("setdefault", "putenv", "__setitem__") and node.args and _is_name(node.args[0]):
                found.append((node.lineno, node.col_offset))
            elif attr == "update" and any(k.arg == LEGACY_ENV for k in node.keywords):
                found.append((node.lineno, node.col_offset))
    return sorted(set(found))


def _off(value: ast.expr) -> bool:
    """``= "0"`` turns legacy Keras off: no tf-keras needed."""
    return isinstance(value, ast.Constant) and str(value.value).strip().lower() in ("0", "false", "")


def _is_name(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == LEGACY_ENV


def read_all(paths: Sequence[str]) -> List[DependencyFile]:
    return [read(p) for p in paths]


# --- what the CLI calls ---------------------------------------------------------------------------------------


def split_paths(files: Sequence[str]) -> tuple:
    """(Python files, dependency files) among the files discovery yields; ``setup.py`` is both."""
    from . import is_dependency_file

    # a named file that does not exist stays with the Python files, whose E902 error exits 2 like any missing path
    deps = [f for f in files if is_dependency_file(f) and os.path.lexists(f)]
    deps_set = set(deps)
    python = [f for f in files if f not in deps_set or f.endswith((".py", ".pyi"))]
    return python, deps


def environment_findings(
    paths: Sequence[str], explicit_deps: Sequence[str], py_files: Sequence[str], start: str, target: Target,
    enabled: FrozenSet[str],
) -> tuple:
    """(findings, number of non-Python dependency files checked).

    The dependency files named, or directly inside the directories given, are checked with the KBL5xx rules;
    KBL504 looks at ``py_files`` against the declarations of the project holding ``start``.
    """
    from . import discover, project_directory

    checked: List[str] = list(explicit_deps)
    for path in paths:
        if os.path.isdir(path):
            checked.extend(p for p in discover(path) if p not in checked)
    findings = check_dependency_files(checked, target, enabled) if any(c.startswith("KBL5") for c in enabled) else []
    if rules.KBL504.code in enabled:
        directory = project_directory(start)
        project = list(discover(directory)) if directory else []
        known = {os.path.realpath(p) for p in project}
        project.extend(p for p in checked if os.path.realpath(p) not in known)
        found = legacy_env_findings(py_files, read_all(project))
        findings.extend(_noqa(found) if found else [])
    return findings, len([p for p in checked if not p.endswith(".py")])  # setup.py is counted as Python
