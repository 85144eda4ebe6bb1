"""Collect real functions that compute on tensors with ``K.*`` from the corpus, as differential test data.

    python tools/collect_real_functions.py [--limit N]      # scan, try inputs under Keras 2, write the cases
    python tools/collect_real_functions.py --holdout DIR    # the same over the held-out packages, into DIR
    KBL_REAL_FUNCTIONS_DIR=DIR $KBL_TF_PYTHON tools/real_functions_keras2.py --goldens
    KBL_REAL_FUNCTIONS_DIR=DIR python benchmarks/real_functions.py --totals

Step 1 (here, any Python): every top-level function or method of the non-held-out corpus (``corpus.KERAS_CORPUS``)
that calls the Keras backend is cut out with what it needs from its module (imports of keras/tensorflow/numpy/math...,
module constants, helper functions); functions that need anything else (package-internal imports, classes,
globals set elsewhere) are dropped. Step 2 (``tools/real_functions_keras2.py`` under the Keras 2.15 interpreter,
``KBL_TF_PYTHON``, default ``/work/venvs/k215/bin/python``): for each one, try candidate input shapes and value
kinds until it runs eagerly, then freeze that choice. Each kept function becomes
``tests/data/real_functions/<id>.py``: a header naming the package, version, original path and line, and a
``# kbl-case:`` JSON line with the call and its inputs; the goldens are then written by
``real_functions_keras2.py --goldens``. Held-out packages are read only by ``--holdout``, which writes into a
scratch folder and prints counts, never code (their numbers are reported apart, nobody looks at their functions).
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
import textwrap
from pathlib import Path
from typing import Dict, Iterable, List, Set

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
                elif node.level == 0 and full == "tensorflow.keras" and not alias.asname:  # keras.backend.f(...)
                    out["keras"] = "from tensorflow import keras"
                elif node.level and own_keras and full == "backend":
                    out[name] = "from keras import backend" + (f" as {name}" if name != "backend" else "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in BACKEND_MODULES and alias.asname:
                    out[alias.asname] = f"import {alias.name} as {alias.asname}"
                elif alias.name == "keras" and not alias.asname:  # keras.backend.f(...) spelled out
                    out["keras"] = "import keras"
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
    bound = _bound_names(node) if isinstance(node, (ast.FunctionDef, ast.Lambda, ast.Module)) else set()
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


def excerpt(root: str, tree: ast.Module, text: str, aliases: Dict[str, str]) -> str:
    """``root`` (the function, or the method and its ``_Self``) after the imports, constants and helpers it needs
    from its module, those in source order."""
    index = _module_index(tree)
    imports: Dict[str, str] = {}
    stmts: Dict[int, ast.stmt] = {}
    todo, seen = [ast.parse(root)], set()
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
    parts.append(root)
    return "\n".join(parts).strip("\n") + "\n"


def _segment(node, lines: List[str]) -> str:
    return textwrap.dedent("\n".join(lines[_first_line(node) - 1:node.end_lineno]))


def method_root(cls: ast.ClassDef, method: ast.FunctionDef, lines: List[str]) -> str:
    """The method as a function plus a ``_Self`` class holding the attributes it reads, set by the statements of
    the class's own ``__init__`` with its default arguments."""
    if method.decorator_list:
        raise Dropped("decorated method")
    members = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    attrs = []
    for node in ast.walk(method):
        if isinstance(node, ast.Name) and node.id == "self":
            parent_ok = any(isinstance(a, ast.Attribute) and a.value is node for a in ast.walk(method))
            if not parent_ok:
                raise Dropped("uses self other than self.attribute")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            if not isinstance(node.ctx, ast.Load):
                raise Dropped(f"sets self.{node.attr}")
            if node.attr in members:
                raise Dropped(f"calls self.{node.attr}")
            attrs.append(node.attr)
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "super" for n in ast.walk(method)):
        raise Dropped("calls super()")
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    body, used_params = [], set()
    for attr in dict.fromkeys(attrs):
        found = None
        for stmt in init.body if init else []:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                target = stmt.targets[0]
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and \
                        target.value.id == "self" and target.attr == attr:
                    found = stmt
        if found is None:
            raise Dropped(f"self.{attr} is not set by a plain statement of __init__")
        body.append("        " + _segment(found, lines).replace("\n", "\n        "))
        used_params |= {n.id for n in ast.walk(found.value) if isinstance(n, ast.Name)}
    params, required = [], []  # required: no default in the class; the case gives them (spec "self_args")
    if init:
        args = init.args
        defaults = [None] * (len(args.args) - len(args.defaults)) + list(args.defaults)
        pairs = list(zip(args.args[1:], defaults[1:])) + list(zip(args.kwonlyargs, args.kw_defaults))
        for arg, default in pairs:
            if arg.arg not in used_params:
                continue
            if default is None:
                required.append(arg.arg)
            else:
                params.append(f"{arg.arg}={ast.get_source_segment(chr(10).join(lines), default)}")
    if required:
        params.append("*")
        params.extend(required)
    head = (f"class _Self:\n    \"\"\"`self` of {cls.name}: the attributes {method.name} reads, set as "
            f"{cls.name}.__init__ sets them.\"\"\"\n\n")
    if body:
        init_src = f"    def __init__(self{''.join(', ' + p for p in params)}):\n" + "\n".join(body) + "\n"
    else:
        init_src = "    pass\n"
    return head + init_src + "\n\n" + _segment(method, lines)


def _first_line(node) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _uses_backend(fn: ast.FunctionDef, aliases: Dict[str, str]) -> bool:
    """Calls ``K.f(...)`` through a backend alias or ``keras.backend.f(...)`` through an imported ``keras``."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id in aliases:
                return True
            if isinstance(owner, ast.Attribute) and owner.attr == "backend" and isinstance(owner.value, ast.Name) \
                    and aliases.get(owner.value.id) in ("import keras", "from tensorflow import keras"):
                return True
    return False


def candidates(packages=None, holdout=False):
    """Yield (package, relative path, function node, name, excerpt or Dropped) for every backend-using function;
    held-out packages only when asked for (``--holdout``, which never shows their code)."""
    for pkg in packages or corpus.KERAS_CORPUS:
        assert holdout or pkg.folder not in corpus.HOLDOUT_FOLDERS
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
            lines = text.splitlines()
            for fn, owner in _functions(tree):
                if fn.name.startswith("test") or not _uses_backend(fn, aliases):
                    continue
                name = f"{owner.name}.{fn.name}" if owner else fn.name
                static = [d for d in fn.decorator_list if isinstance(d, ast.Name) and d.id == "staticmethod"]
                try:
                    if static and len(fn.decorator_list) == 1:
                        root = "\n".join(lines[fn.lineno - 1:fn.end_lineno])
                        root, name = textwrap.dedent(root), f"{owner.name}_{fn.name}"
                        owner = None
                    else:
                        root = method_root(owner, fn, lines) if owner else _segment(fn, lines)
                    cut = excerpt(root, tree, text, aliases)
                    if BUILDS_MODELS.search(cut):
                        raise Dropped("builds layers or models (random weights, not backend arithmetic)")
                    yield pkg, rel, fn, name, cut
                except Dropped as exc:
                    yield pkg, rel, fn, name, exc


SKIPPED_METHODS = {"__init__", "build", "get_config", "compute_output_shape", "compute_mask", "get_updates"}


def _functions(tree: ast.Module):
    """Top-level functions (owner None) and methods of top-level classes (owner the class)."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node, None
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name not in SKIPPED_METHODS:
                    yield item, node


def case_id(pkg, rel: str, name: str) -> str:
    inner = rel.split("/", 1)[1]
    inner = re.sub(r"^[^/]*-\d[^/]*/", "", inner)  # sdists nest a second name-version folder
    stem = re.sub(r"\.py$", "", inner).replace("/__init__", "")
    return re.sub(r"[^A-Za-z0-9_]+", "_", f"{pkg.name}__{stem}__{name}").strip("_")


def infer_inputs(found: List[dict], quiet: bool = False) -> List[dict]:
    """The candidates that run under Keras 2, with their inputs; a worker that dies (TensorFlow aborts on some
    shapes) is restarted after the candidate it died on."""
    specs, todo = {}, list(found)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    with tempfile.TemporaryDirectory() as work:
        while todo:
            path = Path(work) / "candidates.json"
            path.write_text(json.dumps(todo))
            done = subprocess.run([TF_PYTHON, str(ROOT / "tools" / "real_functions_keras2.py"), "--infer", str(path)],
                                  env=env, capture_output=True, text=True)
            for line in done.stdout.splitlines():
                if line.startswith("{"):
                    row = json.loads(line)
                    specs[row["id"]] = row
                    if row.get("dropped") and not quiet:
                        print(f"drop {row['id']}: {row['dropped'][:200]}", file=sys.stderr)
            todo = [c for c in todo if c["id"] not in specs]
            if todo:
                if not quiet:
                    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
                    print(f"drop {todo[0]['id']}: the Keras 2 worker died: {last[:200]}", file=sys.stderr)
                todo = todo[1:]
    return [dict(c, spec=specs[c["id"]]["spec"]) for c in found if specs.get(c["id"], {}).get("spec")]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="stop after N candidates (debugging)")
    parser.add_argument("--report", action="store_true", help="only list candidates and why some were dropped")
    parser.add_argument("--holdout", type=Path, metavar="DIR",
                        help="collect from the held-out packages into DIR (a scratch folder, never committed), "
                             "printing only counts; then run the other two steps with KBL_REAL_FUNCTIONS_DIR=DIR")
    args = parser.parse_args(argv)
    if args.holdout and args.report:
        parser.error("--report would show held-out code")
    data_dir = args.holdout or DATA
    found, dropped = [], []
    packages = corpus.HOLDOUT if args.holdout else None
    for pkg, rel, fn, name, result in candidates(packages, holdout=bool(args.holdout)):
        if isinstance(result, Dropped):
            dropped.append(f"{rel}:{fn.lineno} {name}: {result}")
            continue
        found.append({"id": case_id(pkg, rel, name), "package": pkg.name, "version": pkg.version,
                      "path": rel.split("/", 1)[1], "line": fn.lineno, "function": fn.name, "qualname": name,
                      "source": result})
        if args.limit and len(found) >= args.limit:
            break
    print(f"{len(found)} candidates, {len(dropped)} dropped", file=sys.stderr)
    if args.report:
        print("\n".join(dropped))
        return 0
    kept = infer_inputs(found, quiet=bool(args.holdout))
    data_dir.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob("*.py"):
        if not old.name.startswith("synthetic_"):
            old.unlink()
    for case in kept:
        what = f"function {case['function']}"
        if "." in case["qualname"]:
            given = " and the case's self_args" if case["spec"].get("self_args") else ""
            what = f"method {case['qualname']}, `self` rebuilt by its __init__ from default arguments{given}"
        header = (f"# {case['package']} {case['version']}: {case['path']} line {case['line']} ({what})\n"
                  "# A short excerpt of public code, used unchanged as test data for the fixer; licence of the "
                  "original package.\n"
                  f"# kbl-case: {json.dumps(case['spec'], sort_keys=True)}\n")
        (data_dir / f"{case['id']}.py").write_text(header + case["source"], "utf-8")
    print(f"kept {len(kept)} of {len(found)}; now run: {TF_PYTHON} tools/real_functions_keras2.py --goldens",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
