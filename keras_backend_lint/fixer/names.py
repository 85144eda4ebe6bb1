"""Which names a file binds and loads, and how to spell a Keras 3 / TensorFlow path in it."""
from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from ..checks.common import LEAKED_MODULES

#: an import the fixer adds: (module, object or None, asname or None)
ImportSpec = Tuple[str, Optional[str], Optional[str]]

#: modules reached through the backend (KBL204) that the fixer imports directly: module -> preferred (shortest)
#: alias, derived from the checker's table; Theano/CNTK and private TensorFlow modules are not worth importing
DIRECT_MODULES = {
    module: alias
    for alias, module in sorted(LEAKED_MODULES.items(), key=lambda item: -len(item[0]))
    if "." not in module and module not in ("theano", "cntk")
}


class Names:
    """Every binding and load of every name in the file, scope-blind (the fixer's conservative questions)."""

    def __init__(self, tree: ast.AST) -> None:
        self.bindings: Dict[str, List[Optional[str]]] = {}  # name -> [qualified import name or None]
        self.loads: Dict[str, List[ast.Name]] = {}
        #: star imports; a new import placed after the last of them cannot be shadowed by one
        self.stars: List[ast.ImportFrom] = []
        #: per name, how many of its bindings are ``name = None`` (an optional import that failed) and how many are
        #: ``global``/``nonlocal`` declarations (which bind nothing themselves)
        self.none_assigned: Dict[str, int] = {}
        self.declared: Dict[str, int] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads.setdefault(node.id, []).append(node)
                else:
                    self._bind(node.id, None)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    if alias.name == "*":
                        self.stars.append(node)  # type: ignore[arg-type]
                        continue
                    if isinstance(node, ast.Import):
                        if alias.asname:
                            self._bind(alias.asname, alias.name)
                        else:
                            top = alias.name.split(".", 1)[0]
                            self._bind(top, top)
                    elif node.level or not node.module:
                        self._bind(alias.asname or alias.name, None)
                    else:
                        self._bind(alias.asname or alias.name, f"{node.module}.{alias.name}")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self._bind(node.name, None)
            elif isinstance(node, ast.arg):
                self._bind(node.arg, None)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                self._bind(node.name, None)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    self._bind(name, None)
                    self.declared[name] = self.declared.get(name, 0) + 1
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if isinstance(node.value, ast.Constant) and node.value.value is None:
                    name = node.targets[0].id
                    self.none_assigned[name] = self.none_assigned.get(name, 0) + 1
            elif type(node).__name__ in ("MatchAs", "MatchStar") and getattr(node, "name", None):
                self._bind(node.name, None)
            elif type(node).__name__ == "MatchMapping" and getattr(node, "rest", None):
                self._bind(node.rest, None)

    def _bind(self, name: str, qname: Optional[str]) -> None:
        self.bindings.setdefault(name, []).append(qname)

    def free(self, name: str) -> bool:
        """Neither bound nor loaded anywhere. Star imports are the planner's business: it places new imports
        after the last one, so that a name they might export cannot shadow ours."""
        return name not in self.bindings and name not in self.loads

    def only(self, name: str) -> Optional[str]:
        """The module the name is bound to when every binding in the file is an import of that one module."""
        values = self.bindings.get(name)
        if not values or None in values or len(set(values)) != 1:
            return None
        return values[0]


Spelling = Tuple[str, Optional[ImportSpec]]


class Aliases:
    """How to spell a Keras 3 / TensorFlow path in this file, and which import that needs."""

    def __init__(self, names: Names, unguarded: Optional[Set[str]] = None) -> None:
        self.names = names
        #: names bound by module-level, unconditional imports: the only existing bindings safe to reuse anywhere
        self.unguarded = unguarded
        self.chosen: Dict[str, Optional[Spelling]] = {}

    def _module(self, module: str, preferred: str, from_parent: Optional[Tuple[str, str]] = None):
        """(alias text, import to add or None) for ``module``; None when no safe spelling exists."""
        if module in self.chosen:
            return self.chosen[module]
        found = None
        existing = sorted(
            n for n in self.names.bindings
            if self.names.only(n) == module and (self.unguarded is None or n in self.unguarded)
        )
        if existing:
            found = (existing[0], None)
        elif self.names.free(preferred):
            if from_parent:
                asname = None if preferred == from_parent[1] else preferred
                found = (preferred, (from_parent[0], from_parent[1], asname))
            elif "." in module or preferred != module:
                found = (preferred, (module, None, preferred))
            else:
                found = (preferred, (module, None, None))
        self.chosen[module] = found
        return found

    def spell(self, target: str) -> Optional[Spelling]:
        """``keras.ops.mean`` -> ("ops.mean", ("keras", "ops", None)) or None."""
        if target == "keras.ops" or target.startswith("keras.ops."):
            ops = self._module("keras.ops", "ops", ("keras", "ops"))
            if ops is not None:
                return ops[0] + target[len("keras.ops"):], ops[1]
        if target == "keras" or target.startswith("keras."):
            keras = self._module("keras", "keras")
            if keras is None:
                return None
            return keras[0] + target[len("keras"):], keras[1]
        module = target
        preferred = DIRECT_MODULES.get(module)
        if preferred is None:
            return None
        spelled = self._module(module, preferred)
        if spelled is None and preferred != module:
            spelled = self._module(module + "#plain", module)  # e.g. tf taken: import tensorflow
            if spelled is not None:
                spelled = (spelled[0], (module, None, None))
        return spelled
