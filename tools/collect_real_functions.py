"""Collect real functions that compute on tensors with ``K.*`` from the corpus, as differential test data.

    python tools/collect_real_functions.py [--limit N]      # scan, try inputs under Keras 2, write the cases

Step 1 (here, any Python): every top-level function of the non-held-out corpus (``corpus.KERAS_CORPUS``) that
calls the Keras backend is cut out with what it needs from its module (imports of keras/tensorflow/numpy/math...,
module constants, helper functions); functions that need anything else (package-internal imports, classes,
globals set elsewhere) are dropped. Step 2 (``tools/real_functions_keras2.py`` under the Keras 2.15 interpreter,
``KBL_TF_PYTHON``, default ``/work/venvs/k215/bin/python``): for each one, try candidate input shapes and value
kinds until it runs eagerly, then freeze that choice. Each kept function becomes
``tests/data/real_functions/<id>.py``: a header naming the package, version, original path and line, and a
``# kbl-case:`` JSON line with the call and its inputs; the goldens are then written by
``real_functions_keras2.py --goldens``. Held-out packages are never read.
"""
from __future__ import annotations

import argparse
import ast
import builtins
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

DATA = ROOT / "tests" / "data" / "real_functions"
TF_PYTHON = os.environ.get("KBL_TF_PYTHON", "/work/venvs/k215/bin/python")
#: modules an excerpt may import: what both Keras 2 and Keras 3 environments have
ALLOWED_ROOTS = {"keras", "tensorflow", "numpy", "math", "functools", "itertools", "operator", "collections",
                 "warnings", "__future__"}
BACKEND_MODULES = {"keras.backend", "tensorflow.keras.backend", "tensorflow.python.keras.backend"}
#: Keras's own sources (keras-2.2.4 sdist) import their backend relatively; the excerpt spells it absolutely
KERAS_OWN = "keras-2.2.4/Keras-2.2.4/keras/"
BUILTINS = set(dir(builtins))
BUILDS_MODELS = re.compile(r"\blayers\.[A-Z]\w*\(|\bModel\(|\bInput\(|\bSequential\(")


def backend_aliases(tree: ast.Module, own_keras: bool) -> Dict[str, str]:
    """Top-level names bound to the Keras backend module -> the import statement to use in the excerpt."""
    out = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}" if module else alias.name
                name = alias.asname or alias.name
                if node.level == 0 and full in BACKEND_MODULES:
                    out[name] = f"from {module} import {alias.name}" + (f" as {name}" if alias.asname else "")
                elif node.level and own_keras and full == "backend":
                    out[name] = "from keras import backend" + (f" as {name}" if name != "backend" else "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in BACKEND_MODULES and alias.asname:
                    out[alias.asname] = f"import {alias.name} as {alias.asname}"
    return out


def _bound_names(fn: ast.AST) -> Set[str]:
    bound = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node is not fn:
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound


def free_names(node: ast.AST) -> Set[str]:
    bound = _bound_names(node) if isinstance(node, (ast.FunctionDef, ast.Lambda)) else set()
    loads = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return loads - bound - BUILTINS


def _module_index(tree: ast.Module) -> Dict[str, List[ast.stmt]]:
    index: Dict[str, List[ast.stmt]] = {}
    for node in tree.body:
        names: Iterable[str] = ()
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [(a.asname or a.name).split(".")[0] for a in node.names]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        for name in names:
            index.setdefault(name, []).append(node)
    return index


class Dropped(Exception):
    """The function needs something an excerpt cannot carry."""


def _import_line(node, name: str) -> str:
    for alias in node.names:
        if (alias.asname or alias.name).split(".")[0] != name:
            continue
        if isinstance(node, ast.Import):
            if alias.name.split(".")[0] not in ALLOWED_ROOTS:
                raise Dropped(f"imports {alias.name}")
            return f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
        if node.level or (node.module or "").split(".")[0] not in ALLOWED_ROOTS:
            raise Dropped(f"imports from {'.' * node.level}{node.module}")
        return f"from {node.module} import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
    raise Dropped(name)


def excerpt(fn: ast.FunctionDef, tree: ast.Module, text: str, aliases: Dict[str, str]) -> str:
    """The function with the imports, constants and helpers it needs, in source order."""
    index = _module_index(tree)
    imports: Dict[str, str] = {}
    stmts: Dict[int, ast.stmt] = {}
    todo, seen = [fn], set()
    while todo:
        node = todo.pop()
        for name in sorted(free_names(node)):
            if name in seen:
                continue
            seen.add(name)
            if name in aliases:
                imports[name] = aliases[name]
                continue
            defs = index.get(name)
            if not defs or len(defs) > 1:
                raise Dropped(f"needs {name!r} ({'not defined at top level' if not defs else 'bound twice'})")
            node_def = defs[0]
            if isinstance(node_def, (ast.Import, ast.ImportFrom)):
                imports[name] = _import_line(node_def, name)
            elif isinstance(node_def, ast.ClassDef):
                raise Dropped(f"needs class {name}")
            else:
                stmts[node_def.lineno] = node_def
                todo.append(node_def)
    lines = text.splitlines()
    parts = [line for line in dict.fromkeys(imports.values())]
    for lineno in sorted(stmts):
        node = stmts[lineno]
        parts.append("")
        parts.append("\n".join(lines[_first_line(node) - 1:node.end_lineno]))
    parts.append("")
    parts.append("")
    parts.append("\n".join(lines[_first_line(fn) - 1:fn.end_lineno]))
    return "\n".join(parts).strip("\n") + "\n"


def _first_line(node) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _uses_backend(fn: ast.FunctionDef, aliases: Dict[str, str]) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if isinstance(node.func.value, ast.Name) and node.func.value.id in aliases:
                return True
    return False


def candidates(packages=None):
    """Yield (package, relative path, function node, excerpt or Dropped) for every backend-using function."""
    for pkg in packages or corpus.KERAS_CORPUS:
        assert pkg.folder not in corpus.HOLDOUT_FOLDERS
        root = corpus.SRC / pkg.folder
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(corpus.SRC).as_posix()
            text = path.read_text("utf-8", "replace")
            if "backend" not in text:
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                continue
            aliases = backend_aliases(tree, rel.startswith(KERAS_OWN))
            if not aliases:
                continue
            for fn in tree.body:
                if not isinstance(fn, ast.FunctionDef) or fn.name.startswith("test"):
                    continue
                if not _uses_backend(fn, aliases):
                    continue
                try:
                    cut = excerpt(fn, tree, text, aliases)
                    if BUILDS_MODELS.search(cut):
                        raise Dropped("builds layers or models (random weights, not backend arithmetic)")
                    yield pkg, rel, fn, cut
                except Dropped as exc:
                    yield pkg, rel, fn, exc


def case_id(pkg, rel: str, name: str) -> str:
    inner = rel.split("/", 1)[1]
    inner = re.sub(r"^[^/]*-\d[^/]*/", "", inner)  # sdists nest a second name-version folder
    stem = re.sub(r"\.py$", "", inner).replace("/__init__", "")
    return re.sub(r"[^A-Za-z0-9_]+", "_", f"{pkg.name}__{stem}__{name}").strip("_")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="stop after N candidates (debugging)")
    parser.add_argument("--report", action="store_true", help="only list candidates and why some were dropped")
    args = parser.parse_args(argv)
    found, dropped = [], []
    for pkg, rel, fn, result in candidates():
        if isinstance(result, Dropped):
            dropped.append(f"{rel}:{fn.lineno} {fn.name}: {result}")
            continue
        found.append({"id": case_id(pkg, rel, fn.name), "package": pkg.name, "version": pkg.version,
                      "path": rel.split("/", 1)[1], "line": fn.lineno, "function": fn.name, "source": result})
        if args.limit and len(found) >= args.limit:
            break
    print(f"{len(found)} candidates, {len(dropped)} dropped", file=sys.stderr)
    if args.report:
        print("\n".join(dropped))
        return 0
    with tempfile.TemporaryDirectory() as work:
        todo = Path(work) / "candidates.json"
        todo.write_text(json.dumps(found))
        done = subprocess.run([TF_PYTHON, str(ROOT / "tools" / "real_functions_keras2.py"), "--infer", str(todo)],
                              env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES=""))
        if done.returncode:
            return done.returncode
        kept = json.loads(todo.with_suffix(".out.json").read_text())
    DATA.mkdir(parents=True, exist_ok=True)
    for old in DATA.glob("*.py"):
        if not old.name.startswith("synthetic_"):
            old.unlink()
    for case in kept:
        header = (f"# {case['package']} {case['version']}: {case['path']} line {case['line']} "
                  f"(function {case['function']})\n"
                  "# A short excerpt of public code, used unchanged as test data for the fixer; licence of the "
                  "original package.\n"
                  f"# kbl-case: {json.dumps(case['spec'], sort_keys=True)}\n")
        (DATA / f"{case['id']}.py").write_text(header + case["source"], "utf-8")
    print(f"kept {len(kept)} of {len(found)}; now run: {TF_PYTHON} tools/real_functions_keras2.py --goldens",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
