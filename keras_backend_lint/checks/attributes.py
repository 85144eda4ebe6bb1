"""KBL201-KBL204 on attribute access: ``K.mean``, ``keras.backend.tf``, ``tf.keras.backend._BACKEND``."""
from __future__ import annotations

import ast
from typing import Iterator

from ..bindings import ModuleInfo
from ..report import Violation
from ..surface import ApiSurface
from .common import BACKEND_MODULES, Settings, expr_text
from .names import check_name


def check_attributes(info: ModuleInfo, settings: Settings, api: ApiSurface) -> Iterator[Violation]:
    for event in info.attributes:
        node = event.node
        assert isinstance(node, ast.Attribute)
        qnames = info.resolve_expr(node.value, event.scope)
        if not qnames:
            continue
        surfaces = set()
        for qname in qnames:
            surface = BACKEND_MODULES.get(qname)
            if surface is None:
                break
            surfaces.add(surface)
        else:
            ctx = event.context
            if ctx.guards(node.attr) or ctx.catches_for("attr"):
                continue  # hasattr()/version-guarded or try/except AttributeError: a deliberate compatibility shim
            found = check_name(api, settings, frozenset(surfaces), node.attr, node, expr_text(node))
            if found is not None:
                yield found
