"""KBL301-KBL302: backend selection (``K.backend() == 'theano'``, ``os.environ['KERAS_BACKEND']``)."""
from __future__ import annotations

import ast
from functools import lru_cache
from typing import Iterator, List, Optional

from .. import rules
from ..backends import supported_backends
from ..bindings import Event, ModuleInfo
from ..report import Violation, violation
from ..surface import ApiSurface
from ..versions import Target
from .common import BACKEND_MODULES, Settings, expr_text

#: calls that return the active backend's name
_BACKEND_GETTERS = frozenset({f"{m}.backend" for m in BACKEND_MODULES} | {"keras.config.backend"})
#: private module constants holding the same (old multi-backend Keras)
_BACKEND_CONSTANTS = frozenset({f"{m}._BACKEND" for m in BACKEND_MODULES})
_ENV_KEY = "KERAS_BACKEND"


def _is_backend_name(node: ast.AST, event: Event, info: ModuleInfo) -> bool:
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        qnames = info.resolve_expr(node.func, event.scope)
        return bool(qnames) and all(q in _BACKEND_GETTERS for q in qnames)
    if isinstance(node, ast.Attribute):
        qnames = info.resolve_expr(node, event.scope)
        return bool(qnames) and all(q in _BACKEND_CONSTANTS for q in qnames)
    return False


def _strings(node: ast.AST) -> Optional[List[str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = []
        for elt in node.elts:
            if not (isinstance(elt, ast.Constant) and isinstance(elt.value, str)):
                return None
            values.append(elt.value)
        return values
    return None


def _unsupported_everywhere(settings: Settings, name: str) -> bool:
    return _unsupported_in(settings.target, name)


@lru_cache(maxsize=1024)  # the same few backend names, compared in file after file
def _unsupported_in(target: Target, name: str) -> bool:
    return all(name not in supported_backends(r.version) for r in target.releases)


def check_backend_comparisons(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    for event in info.compares:
        node = event.node
        assert isinstance(node, ast.Compare)
        operands = [node.left] + list(node.comparators)
        for op, left, right in zip(node.ops, operands, operands[1:]):
            if _is_backend_name(left, event, info):
                getter, other = left, right
            elif _is_backend_name(right, event, info) and isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
                getter, other = right, left
            else:
                continue
            values = _strings(other)
            if not values:
                continue
            membership = isinstance(op, (ast.In, ast.NotIn))
            if membership != (len(values) > 1 or not isinstance(other, ast.Constant)):
                continue
            if not all(_unsupported_everywhere(settings, v) for v in values):
                continue
            always = isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot))
            shown = values[0] if len(values) == 1 and isinstance(other, ast.Constant) else tuple(values)
            yield violation(
                rules.KBL301,
                node,
                rules.SAFE,
                expr=expr_text(getter),
                value=shown,
                target=settings.target.label,
                result="true" if always else "false",
                advice="remove the condition and keep the code it guards" if always else "remove the code it guards",
            )
            break


def _env_value(event: Event, info: ModuleInfo) -> Optional[ast.AST]:
    """The value written to KERAS_BACKEND by this node (an ast node), or None when it writes something else."""
    node = event.node

    def is_environ(expr: ast.AST) -> bool:
        qnames = info.resolve_expr(expr, event.scope)
        return bool(qnames) and all(q == "os.environ" for q in qnames)

    if isinstance(node, ast.Assign):
        for target in node.targets:
            if (
                isinstance(target, ast.Subscript)
                and is_environ(target.value)
                and _is_key(target.slice)
            ):
                return node.value
        return None
    assert isinstance(node, ast.Call)
    func = node.func
    assert isinstance(func, ast.Attribute)
    if func.attr in ("setdefault", "__setitem__") and is_environ(func.value):
        if len(node.args) == 2 and _is_key(node.args[0]):
            return node.args[1]
    elif func.attr == "putenv":
        qnames = info.resolve_expr(func, event.scope)
        if qnames == frozenset({"os.putenv"}) and len(node.args) == 2 and _is_key(node.args[0]):
            return node.args[1]
    elif func.attr == "update" and is_environ(func.value):
        for kw in node.keywords:
            if kw.arg == _ENV_KEY:
                return kw.value
        if node.args and isinstance(node.args[0], ast.Dict):
            for key, value in zip(node.args[0].keys, node.args[0].values):
                if key is not None and _is_key(key):
                    return value
    return None


def _is_putenv(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "putenv"


def _is_key(node: ast.AST) -> bool:
    if isinstance(node, ast.Index):  # pragma: no cover - Python 3.8 style subscripts
        node = node.value  # type: ignore[attr-defined]
    return isinstance(node, ast.Constant) and node.value == _ENV_KEY


def _keras_imports(info: ModuleInfo) -> List[Event]:
    found = []
    for event in info.imports:
        node = event.node
        if isinstance(node, ast.Import):
            if any(a.name == "keras" or a.name.startswith("keras.") for a in node.names):
                found.append(event)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            if node.module == "keras" or node.module.startswith("keras."):
                found.append(event)
    return found


def check_backend_env(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    if not info.env_writes:
        return
    keras_imports = _keras_imports(info)
    for event in info.env_writes:
        value = _env_value(event, info)
        if value is None:
            continue
        problems = []
        if _is_putenv(event.node):
            # os.putenv changes the C environment only; keras reads os.environ, which putenv never updates
            problems.append(
                "is set with os.putenv, which does not change os.environ (what keras reads); "
                "assign os.environ['KERAS_BACKEND'] before the first keras import"
            )
        name = value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
        if name is not None and _unsupported_everywhere(settings, name):
            choices = sorted(supported_backends(settings.target.newest.version))
            problems.append(
                f"is set to {name!r}, which Keras {settings.target.label} does not support "
                f"(supported: {', '.join(choices)})"
            )
        earlier = None if _is_putenv(event.node) else _imported_before(event, keras_imports)
        if earlier is not None:
            problems.append(
                f"is set after keras was imported (line {earlier.node.lineno}), so it has no effect; "
                "set it before the first keras import"
            )
        if problems:
            yield violation(rules.KBL302, event.node, problem=" and ".join(problems))


def _imported_before(event: Event, keras_imports: List[Event]) -> Optional[Event]:
    """A keras import that certainly ran before this write: at module level, or earlier in the same scope."""
    line = event.node.lineno
    for imp in keras_imports:
        if imp.node.lineno >= line:
            continue
        if imp.context.top_level and imp.scope.kind == "module":
            return imp
        if imp.scope is event.scope:
            return imp
    return None
