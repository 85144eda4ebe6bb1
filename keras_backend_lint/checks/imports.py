"""KBL101-KBL105: imports of the backend, its submodules and private TensorFlow Keras."""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Iterator, List, Optional

from packaging.version import Version

from .. import rules
from ..bindings import ModuleInfo
from ..report import Violation, violation
from ..surface import KERAS, ApiSurface, Release, short
from ..versions import Target
from .common import BACKEND_MODULES, Settings, submodule_hint, target_label
from .names import check_name


def check_imports(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    standalone: Optional[ast.AST] = None
    tf_keras: Optional[ast.AST] = None
    # standalone keras and tf.keras are two copies only up to 2.3 (2.4 wraps tf.keras; from 2.6 tf.keras *is* the
    # keras package; with TensorFlow 2.16+ tf.keras is Keras 3): elsewhere a mix is style, not a breakage
    two_copies = _two_copies(settings.target)
    mix_reported = not two_copies
    private: List[ast.AST] = []
    for event in info.imports:
        node = event.node
        ctx = event.context
        guarded = ctx.catches and ctx.catches_for("import") or ctx.conditions and ctx.guards("*")
        imported = _imported(node)
        for module, names in imported:
            if module.startswith("tensorflow.python.keras") or module == "tensorflow.python" and "keras" in names:
                if not guarded:
                    private.append(node)
                continue
            if guarded:
                continue
            if module.startswith(_TF1) and _is_tf1_keras(module, names):
                found = _tf1_keras(node, settings, api)
                if found is not None:
                    yield found
                    continue
            if module in BACKEND_MODULES or module.startswith("keras.backend."):  # what _backend_import judges
                yield from _backend_import(node, module, names, settings, api)
        kind = _flavour(imported)
        if kind is None or guarded:
            continue
        if kind == "keras":
            standalone = standalone or node
        else:
            tf_keras = tf_keras or node
        if standalone is not None and tf_keras is not None and not mix_reported:
            mix_reported = True
            first, second = sorted((standalone, tf_keras), key=lambda n: (n.lineno, n.col_offset))
            yield violation(rules.KBL104, second, other=first.lineno, target=target_label(api, two_copies))
    if private:  # once per file: a block of 17 such imports is one migration step
        lines = sorted({n.lineno for n in private})
        count = f" (imported on {len(lines)} lines here)" if len(lines) > 1 else ""
        yield violation(rules.KBL105, private[0], module="tensorflow.python.keras", count=count, hint=_public(settings))


_SAME_KERAS_FROM = Version("2.4")


@lru_cache(maxsize=16)
def _two_copies(target: Target) -> List[Release]:
    return [r for r in target.releases if r.version < _SAME_KERAS_FROM]


def _public(settings: Settings) -> str:
    if settings.target.keras3_only:
        return "import from keras (tf.keras on TensorFlow 2.16+ is the same Keras 3)"
    if not settings.target.includes_keras3:
        return "import from tensorflow.keras"
    return "import from tensorflow.keras for Keras 2 and from keras for Keras 3"


def _imported(node: ast.AST) -> List[tuple]:
    """(module, [names]) pairs: for ``import a.b`` the module itself with no names."""
    if isinstance(node, ast.Import):
        return [(alias.name, []) for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level or not node.module:
        return []
    return [(node.module, [alias.name for alias in node.names])]


def _flavour(modules: List[tuple]) -> Optional[str]:
    """``keras`` or ``tf`` for an import (its ``_imported`` pairs) of standalone keras or tf.keras, else None."""
    for module, names in modules:
        if module == "keras" or module.startswith("keras."):
            return "keras"
        if module == "tensorflow.keras" or module.startswith("tensorflow.keras."):
            return "tf"
        if module == "tensorflow" and "keras" in names:
            return "tf"
    return None


def _backend_import(node: ast.AST, module: str, names: List[str], settings: Settings, api: ApiSurface):
    surface = BACKEND_MODULES.get(module)
    if surface is not None and isinstance(node, ast.ImportFrom):  # from keras.backend import x
        for alias in node.names:  # type: ignore[attr-defined]
            if alias.name == "*":
                yield violation(rules.KBL103, node, module=module)
            elif surface == KERAS and alias.name in api.all_submodules:
                found = _submodule(node, alias.name, settings, api, as_attribute=True)
                if found:
                    yield found
            else:
                found = check_name(api, settings, frozenset({surface}), alias.name, node, alias.name, imported=True)
                if found is not None and found.code != rules.KBL204.code:
                    yield found
        return
    # import keras.backend.tensorflow_backend / from keras.backend.common import epsilon
    prefix = "keras.backend."
    if module.startswith(prefix):
        sub = module[len(prefix):].split(".", 1)[0]
        found = _submodule(node, sub, settings, api, as_attribute=False)
        if found:
            yield found
        elif "*" in names:
            yield violation(rules.KBL103, node, module=module)
    elif "*" in names and module in ("tensorflow.keras.backend",):
        yield violation(rules.KBL103, node, module=module)


_TF1_KERAS = "tensorflow.compat.v1.keras"
#: what every module _is_tf1_keras accepts starts with
_TF1 = "tensorflow.compat.v1"


def _is_tf1_keras(module: str, names: List[str]) -> bool:
    return module == _TF1_KERAS or module.startswith(_TF1_KERAS + ".") or module == "tensorflow.compat.v1" and (
        "keras" in names
    )


def _tf1_keras(node: ast.AST, settings: Settings, api: ApiSurface):
    """KBL101 for ``tf.compat.v1.keras`` where the target has Keras 3: TensorFlow 2.16+ raises on import."""
    missing = [r for r in settings.target.releases if r.version.major >= 3]
    if not missing:
        return None
    return violation(
        rules.KBL101,
        node,
        module=_TF1_KERAS,
        target=target_label(api, missing),
        last=" (TensorFlow 2.16+ raises: not available with Keras 3)",
        hint="use tf.keras.backend or keras.ops (tf.compat.v1.keras needs tf-keras and TF_USE_LEGACY_KERAS=1)",
    )


def _submodule(node: ast.AST, sub: str, settings: Settings, api: ApiSurface, as_attribute: bool):
    """KBL101 when ``keras.backend.<sub>`` cannot be imported in some release of the target."""
    target = settings.target
    missing = [
        r for r in target.releases if sub not in r.submodules and not (as_attribute and r.has(KERAS, sub))
    ]
    if not missing:
        return None
    if not (sub in api.all_submodules):
        return None  # never a submodule: a plain name, reported by the name check if needed
    return violation(
        rules.KBL101,
        node,
        module=f"keras.backend.{sub}",
        target=target_label(api, missing),
        last=_submodule_last(api, sub, missing),
        hint=submodule_hint(sub, target),
    )


def _submodule_last(api: ApiSurface, sub: str, missing) -> str:
    first_missing = missing[0].version
    having = [r for r in api.releases if sub in r.submodules]
    before = [r for r in having if r.version < first_missing]
    if before:
        return f" (last in {short(before[-1])})"
    after = [r for r in having if r.version > first_missing]
    return f" (added in {short(after[0])})" if after else ""
