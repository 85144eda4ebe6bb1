"""KBL101-KBL105: imports of the backend, its submodules and private TensorFlow Keras."""
from __future__ import annotations

import ast
from typing import Iterator, List, Optional

from .. import rules
from ..bindings import ModuleInfo
from ..report import Violation, violation
from ..surface import KERAS, ApiSurface, short
from .common import BACKEND_MODULES, Settings, submodule_hint, target_label
from .names import check_name


def check_imports(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    standalone: Optional[ast.AST] = None
    tf_keras: Optional[ast.AST] = None
    mix_reported = False
    for event in info.imports:
        node = event.node
        guarded = event.context.catches_for("import") or event.context.guards("*")
        for module, names in _imported(node):
            if module.startswith("tensorflow.python.keras") or module == "tensorflow.python" and "keras" in names:
                if not guarded:
                    yield violation(rules.KBL105, node, module="tensorflow.python.keras")
                continue
            if guarded:
                continue
            if _is_tf1_keras(module, names):
                found = _tf1_keras(node, settings, api)
                if found is not None:
                    yield found
                    continue
            yield from _backend_import(node, module, names, settings, api)
        kind = _flavour(node)
        if kind is None or guarded:
            continue
        if kind == "keras":
            standalone = standalone or node
        else:
            tf_keras = tf_keras or node
        if standalone is not None and tf_keras is not None and not mix_reported:
            mix_reported = True
            first, second = sorted((standalone, tf_keras), key=lambda n: (n.lineno, n.col_offset))
            yield violation(rules.KBL104, second, other=first.lineno)


def _imported(node: ast.AST) -> List[tuple]:
    """(module, [names]) pairs: for ``import a.b`` the module itself with no names."""
    if isinstance(node, ast.Import):
        return [(alias.name, []) for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level or not node.module:
        return []
    return [(node.module, [alias.name for alias in node.names])]


def _flavour(node: ast.AST) -> Optional[str]:
    modules = _imported(node)
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
