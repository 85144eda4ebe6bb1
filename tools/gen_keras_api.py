#!/usr/bin/env python3
"""Generate ``keras_backend_lint/data/keras_api.json``: the public ``keras.*`` module tree of every release.

For every release that ``tools/gen_api_surface.py`` selects, and for standalone ``keras`` and ``tf.keras``, the
modules that ``import keras.X.Y`` can import and the public names each exposes, stored as index intervals into
the release list. Also derives ``moved``: where an old path's object is public elsewhere (same defining object in
the last release that had the old path), which the import rules use for messages and fixes.

It reuses the downloads, the cache and the static analysis of ``gen_api_surface.py`` and never imports Keras.

    python tools/gen_keras_api.py            # writes the JSON
    python tools/gen_keras_api.py --check    # exit 1 when the committed file is stale

See docs/data.md ("The keras.* module tree").
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import time
from typing import Dict, List, Optional, Set, Tuple

from packaging.version import Version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_api_surface as base  # noqa: E402

DEFAULT_OUT = os.path.join(base.REPO_ROOT, "keras_backend_lint", "data", "keras_api.json")
GENERATOR = "tools/gen_keras_api.py"
SCHEMA = 1
KERAS, TF = "keras", "tf"
#: where tf.keras's generated API lives inside the keras wheel (2.6-2.15, 3.0-3.2 and 3.10+, 3.3-3.9); TF < 2.6
#: (Keras <= 2.4) is not covered, see docs/data.md
TF_API_ROOTS = ("keras.api._v2.keras", "keras._tf_keras.keras", "keras.api._tf_keras.keras")
#: implementation trees and generated copies that are not the public ``keras.*`` modules
SKIPPED_PREFIXES = ("keras.src", "keras.api")

# (module, name) -> defining object, e.g. ("keras.engine.topology", "Layer") -> "keras.engine.base_layer.Layer"
Origins = Dict[Tuple[str, str], str]


def tf_api_root(tree: base.Tree) -> Optional[str]:
    for root in TF_API_ROOTS:
        if tree.module_path(root) is not None:
            return root
    return None


def _is_public_module(mod: str) -> bool:
    parts = mod.split(".")
    if any(p.startswith("_") for p in parts[1:]):
        return False
    if any(p == "tests" or p.endswith("_test") or p == "testing_infra" for p in parts):
        return False
    return True


def module_tree(tree: base.Tree, flavour: str, version: Version) -> Optional[Dict[str, str]]:
    """Public module name -> the module of the wheel that implements it; None when the flavour is not covered."""
    if flavour == KERAS:
        # Keras 3.3-3.9: the generated API is keras/api/, put on keras.__path__ by keras/__init__.py
        root = "keras.api" if version.major >= 3 and tree.is_package("keras.api") else "keras"
        public_root = "keras"
    else:
        root = tf_api_root(tree)  # type: ignore[assignment]
        public_root = "tensorflow.keras"
        if root is None:
            return None
    out: Dict[str, str] = {"keras": "keras"} if flavour == KERAS else {}
    for path in tree.files:
        if not path.endswith(".py"):
            continue
        mod = path[:-3].replace("/", ".")
        if mod.endswith(".__init__"):
            mod = mod[: -len(".__init__")]
        if mod != root and not mod.startswith(root + "."):
            continue
        public = public_root + mod[len(root):]
        if flavour == KERAS and (public.startswith(SKIPPED_PREFIXES) or mod.startswith("keras.src")):
            continue
        if _is_public_module(public) and public not in out:
            out[public] = mod
    return out


class Release:
    """The analysis of one wheel: modules, names, which module namespaces cannot be known, definition origins."""

    def __init__(self, tree: base.Tree, version: Version) -> None:
        self.tree = tree
        self.version = version
        self.an = base.Analyzer(tree)
        self._asts: Dict[str, Optional[ast.Module]] = {}
        self._origins: Dict[Tuple[str, str], str] = {}
        self._open: Dict[str, bool] = {}

    def _ast(self, mod: str) -> Optional[ast.Module]:
        if mod not in self._asts:
            src = self.an.source(mod) if self.an._tree_for(mod) is not None else None
            parsed = None
            if src:
                try:
                    parsed = ast.parse(src)
                except SyntaxError:
                    parsed = ast.parse(base._py2_fixups(src))
            self._asts[mod] = parsed
        return self._asts[mod]

    def _abs(self, mod: str, node: ast.ImportFrom) -> str:
        pkg = mod if self.tree.is_package(mod) else mod.rpartition(".")[0]
        return base._Exec(self.an, mod, pkg, {}, set())._abs(node)

    def is_open(self, mod: str, seen: Optional[Set[str]] = None) -> bool:
        """Whether the names of ``mod`` cannot be known statically: a star import from outside the wheel (Keras
        2.4's ``from tensorflow.keras.layers import *``) or a module ``__getattr__``."""
        if mod in self._open:
            return self._open[mod]
        seen = seen or set()
        seen.add(mod)
        result = False
        module = self._ast(mod)
        for node in _statements(module.body if module else []):
            if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
                result = True
            elif isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                source = self._abs(mod, node)
                if self.an._tree_for(source) is None or (source not in seen and self.is_open(source, seen)):
                    result = True
        self._open[mod] = result
        return result

    def origin(self, mod: str, name: str, depth: int = 0) -> str:
        """The defining place of ``mod.name``: follows ``from x import y``, star imports and ``a = b`` aliases."""
        key = (mod, name)
        if key in self._origins:
            return self._origins[key]
        here = f"{mod}.{name}"
        result = here
        module = self._ast(mod)
        if module is not None and depth < 30:
            found = None
            stars: List[str] = []
            for node in _statements(module.body):
                if isinstance(node, ast.ImportFrom):
                    source = self._abs(mod, node)
                    for alias in node.names:
                        if alias.name == "*":
                            stars.append(source)
                        elif (alias.asname or alias.name) == name:
                            found = ("from", source, alias.name)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.asname == name:
                            found = ("module", alias.name, "")
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
                    found = ("here", "", "")
                elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
                    value = node.value
                    aliased = isinstance(value, ast.Name) and value.id != name
                    found = ("alias", value.id, "") if aliased else ("here", "", "")  # type: ignore[union-attr]
            if found is None:
                for source in stars:
                    if name in self.an.star_names(source):
                        found = ("from", source, name)
                        break
            if found is not None:
                kind, target, attr = found
                if kind == "from":
                    if self.an.is_module(target, attr):
                        result = f"{target}.{attr}"
                    elif self.an._tree_for(target) is None:
                        result = f"{target}.{attr}"
                    else:
                        result = self.origin(target, attr, depth + 1)
                elif kind == "module":
                    result = target
                elif kind == "alias":
                    result = self.origin(mod, target, depth + 1)
        self._origins[key] = result
        return result

    def closure(self, root: str) -> Set[str]:
        """Modules imported at module level, transitively, by ``import root`` (they are bound on their parents)."""
        seen: Set[str] = set()
        todo = [root]
        while todo:
            mod = todo.pop()
            if mod in seen or self.an._tree_for(mod) is not self.tree:
                continue
            seen.add(mod)
            for imported in self.an.namespace(mod)[1]:
                parts = imported.split(".")
                todo.extend(".".join(parts[:i]) for i in range(1, len(parts) + 1))
        return seen

    def flavour(self, flavour: str) -> Optional[Dict[str, dict]]:
        """Public module -> {"names": {name: origin}, "open": bool}; None when the flavour is not covered."""
        modules = module_tree(self.tree, flavour, self.version)
        if modules is None:
            return None
        root = modules.get("keras" if flavour == KERAS else "tensorflow.keras")
        loaded = self.closure(root) if root else set()
        out: Dict[str, dict] = {}
        for public, source in sorted(modules.items()):
            env = self.an.namespace(source)[0]
            names = {n for n in env if not (n.startswith("__") and n.endswith("__"))}
            prefix = source + "."
            names.update(m[len(prefix):].split(".")[0] for m in loaded if m.startswith(prefix))
            names = {n for n in names if not (n.startswith("__") and n.endswith("__"))}
            out[public] = {
                "names": {n: self._public_origin(source, n, modules) for n in sorted(names)},
                "open": self.is_open(source),
            }
        return out

    def _public_origin(self, source: str, name: str, modules: Dict[str, str]) -> str:
        return self.origin(source, name)


def _statements(body: List[ast.stmt]):
    """Module-level statements in order, including those inside if/try/with/for bodies."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                break
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                if field == "handlers":
                    for handler in inner:
                        yield from _statements(handler.body)
                else:
                    yield from _statements(inner)


# -- intervals ------------------------------------------------------------------------------------------------------
def intervals(indices: List[int]) -> str:
    """[0, 1, 2, 5] -> "0-2,5" (indices into the release list)."""
    parts: List[str] = []
    run: List[int] = []
    for i in sorted(indices):
        if run and i != run[-1] + 1:
            parts.append(_run(run))
            run = []
        run.append(i)
    if run:
        parts.append(_run(run))
    return ",".join(parts)


def _run(run: List[int]) -> str:
    return str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}"


# -- moves ------------------------------------------------------------------------------------------------------------
def derive_moves(per_release: List[Optional[Dict[str, dict]]]) -> Dict[str, str]:
    """Old path -> new path of the same object, for paths missing in some later release.

    Same object: in the last release that has the old path, the new path has the same defining origin. The new path
    must exist in more later releases than the old one; among several, the one present in the most later releases
    wins, then a parent package of the old module, then the fewest dots, then the same name, then alphabetical.
    """
    paths: Dict[str, List[int]] = {}
    for index, release in enumerate(per_release):
        for mod, entry in (release or {}).items():
            for name in entry["names"]:
                paths.setdefault(f"{mod}.{name}", []).append(index)
    modules_ever = {mod for release in per_release for mod in (release or {})}
    moves: Dict[str, str] = {}
    last_index = len(per_release) - 1
    by_origin: Dict[int, Dict[str, List[str]]] = {}
    for path, present in sorted(paths.items()):
        last = present[-1]
        if last == last_index:
            continue
        mod, _, name = path.rpartition(".")
        if name.startswith("_"):
            continue
        # the newest release that has the path and knows its defining object (Keras 2.4 re-exports TensorFlow's)
        reference = None
        for index in reversed(present):
            entry = per_release[index][mod]  # type: ignore[index]
            if not entry["open"] and not entry["names"][name].startswith("tensorflow"):
                reference = index
                break
        if reference is None:
            continue
        release = per_release[reference]
        assert release is not None
        origin = release[mod]["names"][name]
        if not origin.startswith("keras.") or origin in release or origin in modules_ever:
            continue  # only objects Keras defines (not np, tf, absolute_import) and not modules
        if reference not in by_origin:
            index_: Dict[str, List[str]] = {}
            for other_mod, entry in release.items():
                if not entry["open"]:
                    for other_name, other_origin in entry["names"].items():
                        index_.setdefault(other_origin, []).append(f"{other_mod}.{other_name}")
            by_origin[reference] = index_
        best = None
        for candidate in by_origin[reference].get(origin, []):
            other_mod, _, other_name = candidate.rpartition(".")
            if other_mod == mod or not _same_name(name, other_name):
                continue
            later = sum(1 for i in paths.get(candidate, []) if i > last)
            if not later:
                continue
            score = (-later, not mod.startswith(other_mod + "."), other_mod.count("."), other_name != name, candidate)
            if best is None or score < best[0]:
                best = (score, candidate)
        if best is not None:
            moves[path] = best[1]
    return moves


def _same_name(old: str, new: str) -> bool:
    """The same spelling, or a lower-case alias of a class (``adam = Adam``); ``GRUV1`` is not ``GRU``."""
    return old == new or (old.islower() and old == new.lower())


def generate(cache_dir: str) -> dict:
    files = base.pypi_files("keras")
    versions = base.select_releases(files)
    per: Dict[str, List[Optional[Dict[str, dict]]]] = {KERAS: [], TF: []}
    for v in versions:
        f = base.pick_file(files[str(v)])
        path = base.cached_download(f["url"], f["filename"], cache_dir)
        t0 = time.time()
        release = Release(base.Tree.from_archive(path), v)
        for flavour in (KERAS, TF):
            per[flavour].append(release.flavour(flavour))
        base.log("keras %s: %.1fs" % (v, time.time() - t0))
    data: dict = {"schema": SCHEMA, "generator": GENERATOR, "releases": [str(v) for v in versions]}
    for flavour in (KERAS, TF):
        releases = per[flavour]
        covered = [i for i, r in enumerate(releases) if r is not None]
        modules: Dict[str, List[int]] = {}
        opened: Dict[str, List[int]] = {}
        names: Dict[str, Dict[str, List[int]]] = {}
        for index, release in enumerate(releases):
            for mod, entry in (release or {}).items():
                modules.setdefault(mod, []).append(index)
                if entry["open"]:
                    opened.setdefault(mod, []).append(index)
                for name in entry["names"]:
                    names.setdefault(mod, {}).setdefault(name, []).append(index)
        data[flavour] = {
            "covered": intervals(covered),
            "modules": {m: intervals(i) for m, i in modules.items()},
            "open": {m: intervals(i) for m, i in opened.items()},
            # one string per module, split only when a file asks about that module: "Dense;merge=1-9;..."
            # (a name present whenever its module is present has no interval: most names)
            "names": {
                m: ";".join(n if i == modules[m] else f"{n}={intervals(i)}" for n, i in sorted(ns.items()))
                for m, ns in names.items()
            },
            "moved": derive_moves(releases),
        }
    return data


def dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", default=DEFAULT_OUT)
    p.add_argument("--cache-dir", default=os.environ.get("KBL_CACHE_DIR", base.DEFAULT_CACHE))
    p.add_argument("--check", action="store_true", help="exit 1 when the output file differs")
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    base._VERBOSE = not args.quiet
    t0 = time.time()
    text = dumps(generate(args.cache_dir))
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as fh:
                old = fh.read()
        except OSError:
            old = ""
        if old != text:
            base.log("%s is stale" % args.output)
            return 1
        base.log("%s is up to date" % args.output)
        return 0
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    base.log("wrote %s (%d bytes) in %.1fs" % (args.output, len(text.encode()), time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
