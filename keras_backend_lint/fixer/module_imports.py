"""Import statements and ``keras.*`` paths the fixer rewrites: removed backend submodules (KBL101), private
``tensorflow.python.keras`` (KBL105), missing ``keras.*`` modules (KBL106) and attribute chains through them
(KBL108)."""
from __future__ import annotations

import ast
from typing import Optional

from .arguments import CallEdit
from .plan import NOT_FIXED, Planner, root_name

#: backend submodules whose public names ``keras.backend`` re-exported: binding the name to ``keras.backend``
#: instead keeps every use that still exists there and breaks none that did not already break
_REEXPORTED = ("tensorflow_backend", "common")


def _submodule_imports(planner: Planner, todo, outcome) -> None:
    """KBL101 on ``import keras.backend.tensorflow_backend as K`` / ``from keras.backend import common as C``:
    the binding becomes ``from keras import backend as K``; its uses are fixed like any ``K.x``."""
    for event in planner.info.imports:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL101")
        if key not in todo or len(node.names) != 1:
            continue
        alias = node.names[0]
        if isinstance(node, ast.Import):
            module, bound = alias.name, alias.asname
        else:
            module, bound = f"{node.module}.{alias.name}" if not node.level else "", alias.asname or alias.name
        sub = module.rpartition(".")[2]
        if not bound or module.rpartition(".")[0] != "keras.backend" or sub not in _REEXPORTED:
            continue
        if bound == "backend":
            planner.plan.import_rewrites[planner.lines.pos(node)] = "from keras import backend"
        else:
            planner.plan.import_rewrites[planner.lines.pos(node)] = f"from keras import backend as {bound}"
        outcome[key] = None


_PRIVATE = "tensorflow.python.keras"


def _private_tf_keras_imports(planner: Planner, todo, outcome) -> None:
    """KBL105 (one finding per file): every ``tensorflow.python.keras.X`` import becomes ``tensorflow.keras.X`` when
    each imported name is public there in every release of the target. Unsafe: TensorFlow's private copy is not
    the Keras that tf.keras gives (Keras 3 on TensorFlow >= 2.16), so classes and defaults may differ."""
    keys = [key for key in todo if key[2] == "KBL105"]
    if not keys:
        return
    from .plan import UNSAFE_KIND

    reason = "tensorflow.python.keras is a private copy of Keras 2; tf.keras of the target may differ in behaviour"
    rewrites = {}
    for event in planner.info.imports:
        node = event.node
        text = _public_import(planner, node)
        if text is None:
            continue
        if text.startswith("!"):
            for key in keys:
                outcome[key] = (NOT_FIXED, text[1:])
            return
        rewrites[planner.lines.pos(node)] = (node, text)
    if not rewrites:
        return
    if not planner.unsafe:
        for key in keys:
            outcome[key] = (UNSAFE_KIND, reason)
        return
    for pos, (node, text) in rewrites.items():
        if isinstance(node, ast.ImportFrom):  # only the module changes: names, parentheses and comments stay
            planner.plan.import_modules[pos] = text
        else:
            planner.plan.import_rewrites[pos] = text
    for key in keys:
        outcome[key] = None


def _public_import(planner: Planner, node) -> Optional[str]:
    """The public module of a private tf.keras from-import (or the whole new ``import ... as`` statement); None
    when the statement is not one; '!reason' when it cannot be rewritten."""
    from ..keras_api import load_keras_api

    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level or not (module == _PRIVATE or module.startswith(_PRIVATE + ".")):
            return None
        public = "tensorflow.keras" + module[len(_PRIVATE):]
        wanted = [(public, alias.name) for alias in node.names]
    else:
        names = [a.name for a in node.names if a.name == _PRIVATE or a.name.startswith(_PRIVATE + ".")]
        if not names:
            return None
        if len(node.names) != 1 or not node.names[0].asname:
            return "!only `import tensorflow.python.keras.X as Y` and from-imports are rewritten"
        public = "tensorflow.keras" + names[0][len(_PRIVATE):]
        wanted = [(public.rpartition(".")[0], public.rpartition(".")[2])]
    if any(alias.name == "*" for alias in node.names):
        return "!a star import from tensorflow.python.keras; import the names from tensorflow.keras"
    api = load_keras_api()
    for release in planner.settings.target.releases:
        index = api.index.get(release.label)
        for module, name in wanted:
            if not _public(api, "tf", f"{module}.{name}", index):
                return f"!{module}.{name} is not public in tf.keras for Keras {release.label}"
    if isinstance(node, ast.ImportFrom):
        return public  # the new module of the from-import
    return f"import {public} as {node.names[0].asname}"


def _public(api, flavour: str, path: str, index: Optional[int]) -> bool:
    """Whether ``path`` (a name in a module, or a module) is public in the release at ``index`` of the data."""
    if index is None:
        return False
    module, _, name = path.rpartition(".")
    return bool(api.has_name(flavour, module, name, index) or api.has_module(flavour, path, index))


def _api_and_target(planner: Planner):
    """The keras.* module data and the target's releases as its release indices (None: not in the data)."""
    from ..keras_api import load_keras_api

    api = load_keras_api()
    return api, [api.index.get(r.label) for r in planner.settings.target.releases]


def _moved_attributes(planner: Planner, todo, outcome) -> None:
    """KBL108 on ``keras.layers.convolutional`` in ``keras.layers.convolutional.Conv2D``: the whole chain becomes
    the same object's path in the target (``keras.layers.Conv2D``), spelled through the same root name. Safe: the
    data's ``moved`` table pairs paths that lead to one defining object, and the new path must exist in every
    release of the target."""
    keys = {key for key in todo if key[2] == "KBL108"}
    if not keys:
        return
    from ..checks.keras_imports import flavour_of

    api, indices = _api_and_target(planner)
    for event in planner.info.attributes:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL108")
        if key not in keys or key in outcome:
            continue
        qnames = planner.info.resolve_expr(node, event.scope)
        if not qnames or len(qnames) != 1:
            continue
        (qname,) = qnames
        if not any(v.message.startswith(qname + " ") for v in todo[key]):
            continue  # a nested attribute at the same column
        outer = planner.parents.get(id(node))
        found = flavour_of(qname)
        if not isinstance(outer, ast.Attribute) or outer.value is not node or found is None:
            continue  # left with the message's advice, like every finding no fix handles
        flavour = found[0]
        new = api.moved(flavour, f"{qname}.{outer.attr}")
        root = root_name(node)
        base = planner.info.resolve_expr(root, event.scope) if root is not None else None
        if new is None or root is None or not base or len(base) != 1:
            continue  # left with the message's advice
        (prefix,) = base
        if not new.startswith(prefix + ".") or not all(_public(api, flavour, new, i) for i in indices):
            outcome[key] = (NOT_FIXED, f"{new} is not in every release of the target, or not reachable from {root.id}")
            continue
        planner.plan.refs[planner.lines.pos(outer)] = CallEdit(root.id + new[len(prefix):])
        outcome[key] = None


def _module_imports(planner: Planner, todo, outcome) -> None:
    """KBL106 on ``import keras.layers.core`` (binding ``keras``): it becomes ``import keras.layers``, the longest
    part of the path every release of the target has. The statement still binds ``keras`` and imports
    ``keras.layers``; only the missing module itself is no longer imported (its uses are KBL108, fixed where the
    object moved)."""
    keys = {key for key in todo if key[2] == "KBL106"}
    if not keys:
        return
    from ..checks.keras_imports import flavour_of

    api, indices = _api_and_target(planner)
    for event in planner.info.imports:
        node = event.node
        key = (node.lineno, node.col_offset, "KBL106")
        if key not in keys or key in outcome or not isinstance(node, ast.Import) or len(node.names) != 1:
            continue
        alias = node.names[0]
        found = flavour_of(alias.name)
        if alias.asname or found is None:
            continue
        parts = alias.name.split(".")
        root_len = 2 if alias.name.startswith("tensorflow.keras") else 1
        for size in range(len(parts) - 1, root_len - 1, -1):
            prefix = ".".join(parts[:size])
            if size == root_len or all(i is not None and api.has_module(found[0], prefix, i) for i in indices):
                planner.plan.import_rewrites[planner.lines.pos(node)] = f"import {prefix}"
                outcome[key] = None
                break
