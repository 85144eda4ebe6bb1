"""Precision and recall of KBL106-KBL108 (``keras.*`` modules and names missing in the target) on real code.

    python benchmarks/evaluate_imports.py                 # the corpus (benchmarks/corpus.py), both targets
    python benchmarks/evaluate_imports.py --holdout       # the held-out packages only (never read them by hand)
    python benchmarks/evaluate_imports.py --markdown      # also print the docs/evaluation.md table

The truth is independent of our data and our resolver:

* an own, deliberately simple reference finder (``find_refs``), flat per file: ``import keras.a.b``,
  ``from keras.a import b`` (and ``tensorflow.keras``), and attribute chains on a name whose every binding in the
  file is ``import keras`` / ``import tensorflow as tf`` (``keras.utils.np_utils.to_categorical``). The backend
  and ``keras.src`` are left out (other rules, not public API). References inside ``try`` with an
  ImportError/AttributeError/broad handler or under an ``if`` that tests a version or ``hasattr`` are shims and
  are not part of the truth;
* the real packages, in a fresh subprocess per environment: ``importlib.import_module`` for modules, ``from m
  import n`` semantics for names (attribute, else submodule import) and, for attribute chains, ``getattr`` link by
  link after a bare ``import keras`` (in its own process, so no other import binds submodules). Keras 3.15.1
  (``KERAS_BACKEND=numpy``; ``tensorflow.keras`` is ``keras._tf_keras.keras`` there, as on TF >= 2.16) and Keras
  2.15 + TensorFlow 2.15.

Each reference's truth is the *first* failing link (a module that cannot be imported hides the names imported
from it). The checker's side is ``check_tree(tree, settings, text=source)``; a KBL106/KBL107/KBL108 finding claims
the path in its message is missing. Every finding is judged against the truth, also those the simple finder
cannot see, so precision covers all findings.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import warnings
from collections import Counter
from pathlib import Path
from typing import Dict, List, NamedTuple, Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

TARGETS = {
    "3.15": ("/work/main/.venv/bin/python", {"KERAS_BACKEND": "numpy"}, "keras._tf_keras.keras"),
    "2.15": ("/work/venvs/k215/bin/python", {"TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""},
             "tensorflow.keras"),
}
CODES = ("KBL106", "KBL107", "KBL108")
_SHIMS = {"ImportError", "ModuleNotFoundError", "AttributeError", "Exception", "BaseException"}
_ROOTS = ("keras", "tensorflow.keras")


class Ref(NamedTuple):
    path: str
    line: int
    kind: str  # module | from | chain
    module: str  # the module imported, or the chain's root module (keras / tensorflow)
    names: Tuple[str, ...]  # imported names, or the chain's attributes


def _wanted(module: str) -> bool:
    if not any(module == r or module.startswith(r + ".") for r in _ROOTS):
        return False
    return not (module.startswith(("keras.backend", "tensorflow.keras.backend", "keras.src"))
                or module in ("keras.backend", "tensorflow.keras.backend"))


def _shielded(stack: List[ast.AST]) -> bool:
    for node in stack:
        if isinstance(node, ast.Try):
            for handler in node.handlers:
                names = [] if handler.type is None else (
                    handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type])
                if handler.type is None or any(getattr(n, "id", getattr(n, "attr", "")) in _SHIMS for n in names):
                    return True
        if isinstance(node, (ast.If, ast.IfExp)):
            text = ast.dump(node.test).lower()
            if "version" in text or "hasattr" in text or "keras3" in text or "is_keras" in text:
                return True
    return False


def find_refs(path: str, tree: ast.AST) -> Tuple[List[Ref], int]:
    """References and the number of shims left out."""
    refs: List[Ref] = []
    shims = 0
    roots: Dict[str, Optional[str]] = {}  # name -> "keras" / "tensorflow", None when bound to anything else

    def bind(name: str, value: Optional[str]) -> None:
        roots[name] = value if roots.get(name, value) == value else None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if alias.asname:
                    bind(alias.asname, alias.name if alias.name in ("keras", "tensorflow") else None)
                else:
                    bind(top, top if top in ("keras", "tensorflow") else None)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bind(alias.asname or alias.name, None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(node.name, None)
        elif isinstance(node, ast.arg):
            bind(node.arg, None)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bind(node.id, None)

    def visit(node: ast.AST, stack: List[ast.AST]) -> None:
        nonlocal shims
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _wanted(alias.name):
                    if _shielded(stack):
                        shims += 1
                    else:
                        refs.append(Ref(path, node.lineno, "module", alias.name, ()))
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module and _wanted(node.module):
            names = tuple(a.name for a in node.names if a.name != "*")
            if _shielded(stack):
                shims += 1
            else:
                refs.append(Ref(path, node.lineno, "from", node.module, names))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            attrs = []
            inner: ast.AST = node
            while isinstance(inner, ast.Attribute):
                attrs.append(inner.attr)
                inner = inner.value
            if isinstance(inner, ast.Name) and roots.get(inner.id):
                chain = tuple(reversed(attrs))
                root = roots[inner.id]
                if root == "tensorflow" and chain[0] != "keras" or len(chain) < 2 and root == "tensorflow":
                    pass
                elif not _wanted(".".join((root,) + chain[:2])):
                    pass
                elif _shielded(stack):
                    shims += 1
                else:
                    refs.append(Ref(path, node.lineno, "chain", root, chain))
                return  # the inner links are part of this chain
        for child in ast.iter_child_nodes(node):
            visit(child, stack + [node])

    visit(tree, [])
    return refs, shims


# -- the truth --------------------------------------------------------------------------------------------------------
_PROBE = r'''
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
tf_root, mode, queries = json.loads(sys.stdin.read())
def real(module):
    return tf_root + module[len("tensorflow.keras"):] if module.startswith("tensorflow.keras") else module
def importable(module):
    try:
        importlib.import_module(real(module))
        return True
    except Exception:
        return False
out = {}
for q in queries:
    kind, module, names = q
    key = json.dumps(q)
    if kind == "module":
        out[key] = None if importable(module) else module
    elif kind == "from":
        if not importable(module):
            out[key] = [module]
            continue
        mod = importlib.import_module(real(module))
        out[key] = [module + "." + n for n in names if not hasattr(mod, n) and not importable(module + "." + n)]
    else:
        root = names[0] if module == "tensorflow" else None
        try:
            obj = importlib.import_module(real("tensorflow.keras") if module == "tensorflow" else "keras")
        except Exception:
            out[key] = "import-failed"
            continue
        path = "tensorflow.keras" if module == "tensorflow" else "keras"
        rest = names[1:] if module == "tensorflow" else names
        failed = None
        for name in rest:
            if not hasattr(obj, name):
                failed = path + "." + name
                break
            obj = getattr(obj, name)
            path = path + "." + name
            if not hasattr(obj, "__path__") and type(obj).__name__ != "module":
                break  # past the modules: attributes of classes are not ours to judge
        out[key] = failed
print(json.dumps(out))
'''


def probe(target: str, queries: List[tuple], mode: str) -> Dict[str, object]:
    python, env, tf_root = TARGETS[target]
    payload = json.dumps([tf_root, mode, queries])
    proc = subprocess.run([python, "-c", _PROBE], input=payload, capture_output=True, text=True, timeout=1800,
                          env=dict(os.environ, **env))
    if proc.returncode:
        raise SystemExit(f"probe failed in {python}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def truth_for(target: str, refs: List[Ref]) -> Dict[Ref, Set[str]]:
    """Ref -> the failing paths (empty: nothing fails)."""
    imports = sorted({(r.kind, r.module, r.names) for r in refs if r.kind != "chain"})
    chains = sorted({(r.kind, r.module, r.names) for r in refs if r.kind == "chain"})
    answers = probe(target, [list(q) for q in imports], "imports") if imports else {}
    answers.update(probe(target, [list(q) for q in chains], "chains") if chains else {})
    out: Dict[Ref, Set[str]] = {}
    for ref in refs:
        answer = answers[json.dumps([ref.kind, ref.module, list(ref.names)])]
        if answer == "import-failed":
            out[ref] = set()
        elif isinstance(answer, list):
            out[ref] = set(answer)
        else:
            out[ref] = {answer} if answer else set()
    return out


# -- our side ---------------------------------------------------------------------------------------------------------
_CLAIM = {
    "KBL106": re.compile(r"^module (\S+) cannot be imported for"),
    "KBL107": re.compile(r"^(\S+) cannot be imported from (\S+) for"),
    "KBL108": re.compile(r"^(\S+) is not in"),
}


def claim_ref(path: str, line: int, code: str, claimed: str) -> Ref:
    """The reference a finding is about, for findings the simple finder did not see (judged the same way)."""
    if code == "KBL106":
        return Ref(path, line, "module", claimed, ())
    if code == "KBL107":
        module, _, name = claimed.rpartition(".")
        return Ref(path, line, "from", module, (name,))
    root = "tensorflow" if claimed.startswith("tensorflow.") else "keras"
    return Ref(path, line, "chain", root, tuple(claimed.split(".")[1:]))


def claims(text: str, tree: ast.AST, target: str) -> Set[Tuple[int, str, str]]:
    from keras_backend_lint.engine import Settings, check_tree
    from keras_backend_lint.versions import parse_target

    out = set()
    for v in check_tree(tree, Settings(parse_target(target)), text=text):
        if v.code not in CODES:
            continue
        match = _CLAIM[v.code].match(v.message)
        if match is None:
            continue
        path = f"{match.group(2)}.{match.group(1)}" if v.code == "KBL107" else match.group(1)
        out.add((v.line, path, v.code))
    return out


class Result(NamedTuple):
    target: str
    tp: int
    fp: int
    fn: int
    refs: int
    shims: int
    false_positives: List[str]
    false_negatives: List[str]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(files: Dict[str, Path], target: str) -> Result:
    parsed = {}
    refs: List[Ref] = []
    shims = 0
    for name, path in files.items():
        try:
            text = path.read_text("utf-8", errors="replace")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError):
            continue
        parsed[name] = (text, tree)
        found, left_out = find_refs(name, tree)
        refs.extend(found)
        shims += left_out
    ours = {(name, line, p, code) for name, (text, tree) in parsed.items()
            for line, p, code in claims(text, tree, target)}
    # every finding is judged too, also those the simple finder cannot see (aliases, `from keras import layers`)
    truth = truth_for(target, refs + [claim_ref(name, line, code, p) for name, line, p, code in sorted(ours)])
    true_paths = {(r.path, r.line, p) for r, paths in truth.items() for p in paths}
    claimed = {(name, line, p) for name, line, p, _ in ours}
    tp = len(claimed & true_paths)
    fp_items = sorted(claimed - true_paths)
    fn_items = sorted(true_paths - claimed)
    return Result(target, tp, len(fp_items), len(fn_items), len(refs), shims,
                  [f"{p}:{line}: {path}" for p, line, path in fp_items],
                  [f"{p}:{line}: {path}" for p, line, path in fn_items])


def corpus_files(holdout: bool) -> Dict[str, Path]:
    import corpus

    packages = corpus.HOLDOUT if holdout else corpus.KERAS_CORPUS
    out = {}
    for pkg, folder in corpus.ensure(packages).items():
        for path in corpus.python_files(folder):
            out[f"{pkg.folder}/{path.relative_to(folder)}"] = path
    return out


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="store_true", help="the held-out packages instead of the corpus")
    parser.add_argument("--root", type=Path, help="evaluate this folder instead")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS))
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--show", action="store_true", help="list false positives and negatives")
    args = parser.parse_args(argv)
    if args.root:
        files = {str(p.relative_to(args.root)): p for p in sorted(args.root.rglob("*.py"))}
    else:
        files = corpus_files(args.holdout)
    results = [evaluate(files, t) for t in (args.target or list(TARGETS))]
    ok = True
    for r in results:
        print(f"Keras {r.target}: {r.refs} references ({r.shims} shims left out); TP {r.tp} FP {r.fp} FN {r.fn}; "
              f"precision {r.precision:.3f} recall {r.recall:.3f}")
        if args.show or (r.fp or r.fn) and not args.holdout:  # held-out files are not looked at unless asked
            for item in r.false_positives[:40]:
                print("  FP", item)
            for item in r.false_negatives[:40]:
                print("  FN", item)
        ok = ok and r.precision >= 0.99 and r.recall >= 0.98
    if args.markdown:
        print("\n| target | references | shims left out | TP | FP | FN | precision | recall |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in results:
            print(f"| Keras {r.target} | {r.refs} | {r.shims} | {r.tp} | {r.fp} | {r.fn} | {r.precision:.3f} | "
                  f"{r.recall:.3f} |")
    print(Counter(c for r in results for c in ("ok" if not (r.fp or r.fn) else "diff",)))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
