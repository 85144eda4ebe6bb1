"""Precision and recall of "attribute missing in the target" on real code, against the real Keras modules.

    python benchmarks/evaluate.py                       # the corpus the rules were built on, both targets
    python benchmarks/evaluate.py --part holdout        # the held-out part: counts only, nothing to read
    python benchmarks/evaluate.py --markdown            # also print the docs/evaluation.md table
    python benchmarks/evaluate.py --root DIR --truth-json FILE   # any folder, truth from a JSON file (tests)

The truth is independent of our data and our resolver:

* an own, deliberately simple reference finder (``find_refs``): flat per file (no scopes), a name is the backend
  only when *every* binding of it anywhere in the file is an import of the backend; references are ``K.name``,
  ``keras.backend.name``, ``tf.keras.backend.name``, ``from keras.backend import name``, imports of
  ``keras.backend.<submodule>``, and uses through a removed backend submodule (``import
  keras.backend.tensorflow_backend as KTF``), through ``tf.compat.v1.keras.backend`` and through a project module
  that re-exports the backend (``project_exports``: a flat, path-based map). References inside ``try`` with an
  AttributeError/ImportError/ModuleNotFoundError/NameError handler or under ``if hasattr(..., "name")`` are
  compatibility shims, counted separately and not part of the truth (a broad ``except Exception`` is no shim);
* ``hasattr(module, name)`` (or an import, for submodules) on the real module, in a subprocess per environment:
  Keras 3.15.1 (``/work/main/.venv``, or ``KBL_EVAL_K3``; KERAS_BACKEND=numpy; ``tf.keras.backend`` of TF >= 2.16
  is ``keras._tf_keras.keras.backend``, which also judges ``tf.compat.v1.keras.backend`` uses since TF 2.16+ refuses
  that import) and keras 2.15.0 + tensorflow-cpu 2.15 (``/work/venvs/k215``, or ``KBL_EVAL_K215``).

The checker's side is ``check_tree(tree, settings, text=source)`` (the walk the plugin and the CLI do) with the
target ``3.15`` or ``2.15``; the full walk without ``text`` must give the same findings (checked per file).
A finding "claims missing" when it is
KBL101/KBL102/KBL201/KBL202, or KBL203/KBL204 whose message says "missing for Keras". Every finding is judged
against the truth, also the ones the simple finder cannot see (``K = keras.backend`` aliases and the like), so
precision covers all findings and recall covers all references either side found.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, NamedTuple, Optional, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

KERAS, TF, TF1 = "keras", "tf", "tf1"
ATTR, IMPORT, SUBMODULE = "attr", "import", "submodule"
FAMILY = {ATTR: "KBL2xx", IMPORT: "KBL1xx", SUBMODULE: "KBL1xx"}

TARGETS = {
    # target text for parse_target -> (python of the truth env, env vars, module per surface). tf.compat.v1.keras
    # raises on TensorFlow 2.16+ with Keras 3, so for 3.15 its uses are judged against the tf.keras.backend the user
    # switches to (what the checker documents); with Keras 2.15 it is the real tf.compat.v1.keras.backend
    "3.15": (os.environ.get("KBL_EVAL_K3", "/work/main/.venv/bin/python"), {"KERAS_BACKEND": "numpy"},
             {KERAS: "keras.backend", TF: "keras._tf_keras.keras.backend", TF1: "keras._tf_keras.keras.backend"}),
    "2.15": (os.environ.get("KBL_EVAL_K215", "/work/venvs/k215/bin/python"),
             {"TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""},
             {KERAS: "keras.backend", TF: "tensorflow.keras.backend", TF1: "tensorflow.compat.v1.keras.backend"}),
}


class Ref(NamedTuple):
    path: str
    line: int
    col: int  # 0-based; -1 for imports (keyed by line and name)
    surface: str
    name: str
    kind: str  # attr | import | submodule
    #: how the name was bound, for the new reference kinds: "submodule", "tf1", "reexport" ("" otherwise)
    via: str = ""

    @property
    def key(self) -> Tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.name, FAMILY[self.kind])


# -- the independent reference finder -----------------------------------------------------------------------------
#: what an imported dotted path is, for the finder
_ROLES = {
    "keras.backend": ("backend", KERAS),
    "tensorflow.keras.backend": ("backend", TF),
    "tensorflow.compat.v1.keras.backend": ("backend", TF1, "tf1"),
    # the old per-backend modules: once the import is switched to keras.backend, every use must be there
    "keras.backend.tensorflow_backend": ("backend", KERAS, "submodule"),
    "keras.backend.theano_backend": ("backend", KERAS, "submodule"),
    "keras.backend.cntk_backend": ("backend", KERAS, "submodule"),
    "keras": ("package", KERAS),
    "tensorflow.keras": ("package", TF),
    "tensorflow": ("tf", TF),
}
#: only these handlers mark a deliberate fallback; a broad except hides the breakage (issue 12)
_SHIM_HANDLERS = {"AttributeError", "ImportError", "ModuleNotFoundError", "NameError"}


def module_name(rel: str) -> Tuple[str, bool]:
    """(dotted module, is a package __init__) for a path inside a corpus folder (``src/`` layouts too)."""
    parts = rel.split("/")[1:] or [rel]  # drop the corpus folder label
    if len(parts) > 1 and parts[0] == "src":
        parts = parts[1:]
    is_package = parts[-1] == "__init__.py"
    parts = parts[:-1] if is_package else parts[:-1] + [parts[-1][:-3]]
    return ".".join(parts), is_package


def _absolute(node: ast.ImportFrom, module: Optional[Tuple[str, bool]]) -> Optional[str]:
    if not node.level:
        return node.module
    if module is None:
        return None
    parts = module[0].split(".") if module[0] else []
    if not module[1]:
        parts = parts[:-1]
    if node.level - 1 > len(parts):
        return None
    base = parts[:len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else [])) or None


def project_exports(trees: Dict[str, ast.AST]) -> Dict[str, tuple]:
    """``pkg.mod.K`` -> role for module-level names a project module binds to the backend (flat, per folder; two
    passes so that ``pkg/__init__.py`` passing ``K`` on from ``pkg/backend.py`` counts too)."""
    exports: Dict[str, tuple] = {}
    for _ in range(2):
        for path, tree in trees.items():
            label = path.split("/", 1)[0]
            module = module_name(path)
            for name, role in _roles(tree, exports, module, label).items():
                if role and role[0] == "backend":
                    exports[f"{label}|{module[0]}.{name}"] = role
    return exports


def _roles(tree: ast.AST, exports=None, module=None, label=None) -> Dict[str, Optional[tuple]]:
    """name -> (role, surface[, via]) when every binding of the name in the file agrees, else None."""
    seen: Dict[str, set] = defaultdict(set)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    seen[a.asname].add(_ROLES.get(a.name))
                else:
                    top = a.name.split(".")[0]
                    seen[top].add(_ROLES.get(top))
        elif isinstance(node, ast.ImportFrom):
            absolute = _absolute(node, module)
            for a in node.names:
                full = f"{node.module}.{a.name}" if node.module and not node.level else None
                role = _ROLES.get(full) if full else None
                if role is None and exports and absolute:  # a project module re-exporting the backend
                    role = exports.get(f"{label}|{absolute}.{a.name}")
                    role = role and ("backend", role[1], "reexport")
                seen[a.asname or a.name].add(role)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            seen[node.id].add(None)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            seen[node.name].add(None)
        elif isinstance(node, ast.arg):
            seen[node.arg].add(None)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            seen[node.name].add(None)
    return {name: (next(iter(v)) if len(v) == 1 else None) for name, v in seen.items()}


def _shim_guarded(node: ast.AST, name: str, parents: Dict[ast.AST, ast.AST]) -> bool:
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Try) and child in parent.body:
            for handler in parent.handlers:
                if handler.type is None:
                    return True
                types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                for t in types:
                    if getattr(t, "id", getattr(t, "attr", None)) in _SHIM_HANDLERS:
                        return True
        if isinstance(parent, (ast.If, ast.IfExp)) and child is not parent.test:
            for sub in ast.walk(parent.test):
                if (isinstance(sub, ast.Call) and getattr(sub.func, "id", None) == "hasattr" and len(sub.args) == 2
                        and isinstance(sub.args[1], ast.Constant) and sub.args[1].value == name):
                    return True
        child, parent = parent, parents.get(parent)
    return False


def find_refs(tree: ast.AST, path: str, exports=None) -> Tuple[List[Ref], List[Ref]]:
    """(references, shim-guarded references) to backend names in one parsed file."""
    roles = _roles(tree, exports, module_name(path), path.split("/", 1)[0])
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    refs: List[Ref] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            surface = _backend_expr(node.value, roles)
            if surface:
                role = roles.get(node.value.id) if isinstance(node.value, ast.Name) else None
                via = role[2] if role and len(role) > 2 else ("tf1" if surface == TF1 else "")
                refs.append(Ref(path, node.lineno, node.col_offset, surface, node.attr, ATTR, via))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module in ("keras.backend", "tensorflow.keras.backend"):
                surface = KERAS if node.module == "keras.backend" else TF
                for a in node.names:
                    if a.name != "*":
                        refs.append(Ref(path, node.lineno, -1, surface, a.name, IMPORT))
            elif node.module.startswith("keras.backend."):
                refs.append(Ref(path, node.lineno, -1, KERAS, node.module.split(".")[2], SUBMODULE))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("keras.backend."):
                    refs.append(Ref(path, node.lineno, -1, KERAS, a.name.split(".")[2], SUBMODULE))
    kept, guarded = [], []
    nodes = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.ImportFrom, ast.Import)):
            nodes.setdefault((node.lineno, node.col_offset if isinstance(node, ast.Attribute) else -1), node)
    for ref in refs:
        node = nodes.get((ref.line, ref.col))
        (guarded if node is not None and _shim_guarded(node, ref.name, parents) else kept).append(ref)
    return kept, guarded


def _backend_expr(expr: ast.AST, roles) -> Optional[str]:
    """The surface when ``expr`` is ``K``, ``keras.backend``, ``tf.keras.backend`` (simple spellings only)."""
    if isinstance(expr, ast.Name):
        role = roles.get(expr.id)
        return role[1] if role and role[0] == "backend" else None
    if isinstance(expr, ast.Attribute) and expr.attr == "backend":
        base = expr.value
        if isinstance(base, ast.Name):
            role = roles.get(base.id)
            return role[1] if role and role[0] == "package" else None
        if isinstance(base, ast.Attribute) and base.attr == "keras" and isinstance(base.value, ast.Name):
            role = roles.get(base.value.id)
            return TF if role and role[0] == "tf" else None
        # tf.compat.v1.keras.backend
        chain = []
        while isinstance(base, ast.Attribute):
            chain.append(base.attr)
            base = base.value
        if chain == ["keras", "v1", "compat"] and isinstance(base, ast.Name):
            role = roles.get(base.id)
            return TF1 if role and role[0] == "tf" else None
    return None


# -- the truth: the real modules ----------------------------------------------------------------------------------
_PROBE = r"""
import importlib, json, sys, warnings
warnings.simplefilter("ignore")
modules, queries = json.load(sys.stdin)
out = {}
loaded = {}
for surface, modname in modules.items():
    try:
        loaded[surface] = importlib.import_module(modname)
    except Exception as exc:
        loaded[surface] = None
        sys.stderr.write(f"cannot import {modname}: {exc}\n")
for surface, name, kind in queries:
    mod = loaded.get(surface)
    if mod is None:
        out[f"{surface}|{name}|{kind}"] = None
        continue
    present = hasattr(mod, name)
    if not present and kind != "attr":
        try:
            importlib.import_module(modules[surface] + "." + name)
            present = True
        except Exception:
            present = False
    out[f"{surface}|{name}|{kind}"] = present
json.dump(out, sys.stdout)
"""


def probe(target: str, queries: Iterable[Tuple[str, str, str]]) -> Dict[Tuple[str, str, str], Optional[bool]]:
    """Presence of each (surface, name, kind) on the real modules of the target's throwaway environment."""
    python, env_extra, modules = TARGETS[target]
    queries = sorted(set(queries))
    env = dict(os.environ, **env_extra)
    proc = subprocess.run([python, "-c", _PROBE], input=json.dumps([modules, queries]), capture_output=True,
                          text=True, env=env, check=True, cwd="/tmp")
    raw = json.loads(proc.stdout)
    return {tuple(k.split("|")): v for k, v in raw.items()}  # type: ignore[misc]


# -- the checker's side ---------------------------------------------------------------------------------------------
class Finding(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    message: str
    surface: str
    name: str
    kind: str
    claims_missing: bool

    @property
    def key(self):
        return (self.path, self.line, self.col, self.name, FAMILY[self.kind])


_SURFACE_IN_MESSAGE = re.compile(r" (?:is not in|is private to|reached through|imported from) (\S+?)[;, ]")
_RELEVANT = {"KBL101", "KBL102", "KBL201", "KBL202", "KBL203", "KBL204"}


def to_finding(path: str, v) -> Optional[Finding]:
    if v.code not in _RELEVANT:
        return None
    head = v.message.split(" ", 1)[0]
    # the surface as the message template puts it (not anywhere in the message: hints name other modules)
    match = _SURFACE_IN_MESSAGE.search(v.message)
    spelled = match.group(1) if match else "keras.backend"
    surface = {"tf.keras.backend": TF, "tf.compat.v1.keras.backend": TF1}.get(spelled, KERAS)
    if v.code == "KBL101" and not head.startswith("keras.backend."):
        return None  # tensorflow.compat.v1.keras under Keras 3: an import verdict, not a backend name
    if v.code == "KBL101":
        name, kind, col = head.split(".")[2], SUBMODULE, -1
    elif v.code == "KBL102":
        name, kind, col = head, IMPORT, -1
    else:
        name, kind, col = head.rpartition(".")[2], ATTR, v.col
    claims = v.code in ("KBL101", "KBL102", "KBL201", "KBL202") or "missing for Keras" in v.message
    return Finding(path, v.line, col, v.code, v.message, surface, name, kind, claims)


def run_checker(files: Dict[str, ast.AST], target: str, texts: Optional[Dict[str, str]] = None,
                paths: Optional[Dict[str, Path]] = None) -> Tuple[List[Finding], float, List[str]]:
    """Findings as the plugin and the CLI compute them (with the source text: the pre-selected walk), the time,
    and the files where the full walk (no text) gives a different list: the pre-selection must change nothing."""
    from keras_backend_lint.engine import Settings, check_tree
    from keras_backend_lint.reexports import ProjectIndex, project_for
    from keras_backend_lint.versions import parse_target

    settings = Settings(parse_target(target))
    # re-exports resolved as the CLI does: one index over the files of the run
    index = ProjectIndex(frozenset(os.path.realpath(p) for p in (paths or {}).values()))
    out: List[Finding] = []
    differ: List[str] = []
    seconds = 0.0
    for path, tree in files.items():
        text = (texts or {}).get(path)
        project = project_for(str(paths[path]), index) if paths and path in paths else None
        started = time.perf_counter()
        found = check_tree(tree, settings, text=text, project=project)
        seconds += time.perf_counter() - started
        if text is not None and found != check_tree(tree, settings, project=project):
            differ.append(path)
        for v in found:
            f = to_finding(path, v)
            if f is not None:
                out.append(f)
    return out, seconds, differ


# -- corpus reading -----------------------------------------------------------------------------------------------
def parse_files(
    roots: Dict[str, Path]
) -> Tuple[Dict[str, ast.AST], Dict[str, Tuple[int, int]], List[str], Dict[str, str]]:
    """(trees by relative path, per-package (files, failures), failed paths, source text by path, file by path)."""
    trees, counts, failed, texts, paths = {}, {}, [], {}, {}
    for label, root in roots.items():
        n = bad = 0
        for path in sorted(root.rglob("*.py")):
            n += 1
            rel = f"{label}/{path.relative_to(root)}"
            raw = path.read_bytes()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    trees[rel] = ast.parse(raw, filename=rel)
                texts[rel] = raw.decode("utf-8", "replace")
                paths[rel] = path
            except (SyntaxError, ValueError):
                bad += 1
                failed.append(rel)
        counts[label] = (n, bad)
    return trees, counts, failed, texts, paths


# -- comparison -------------------------------------------------------------------------------------------------------
class Result(NamedTuple):
    target: str
    table: Dict[str, Dict[str, int]]  # family -> tp/fp/fn/tn/unknown
    disagreements: List[dict]
    guarded: int
    by_surface: Dict[str, Dict[str, int]]
    refs: int
    findings: int
    seconds: float
    #: files where the pre-selected walk (with text, as plugin/CLI run) and the full walk disagree
    preselection_differs: List[str]
    #: references of the new kinds (uses through removed submodules, tf.compat.v1.keras.backend, re-exports)
    by_via: Dict[str, Dict[str, int]]


_OUTCOME = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}


def compare(target: str, trees, texts, truth_fn=probe, paths=None) -> Result:
    refs, guarded = [], 0
    exports = project_exports(trees)
    for path, tree in trees.items():
        kept, shims = find_refs(tree, path, exports)
        refs.extend(kept)
        guarded += len(shims)
    findings, seconds, differ = run_checker(trees, target, texts, paths)
    queries = {(r.surface, r.name, r.kind) for r in refs} | {(f.surface, f.name, f.kind) for f in findings}
    truth = truth_fn(target, queries)
    by_key_ref = {r.key: r for r in refs}
    by_key_finding: Dict[tuple, Finding] = {}
    for f in findings:
        if f.key not in by_key_finding or f.claims_missing:
            by_key_finding[f.key] = f
    table: Dict[str, Counter] = defaultdict(Counter)
    by_surface: Dict[str, Counter] = defaultdict(Counter)
    by_via: Dict[str, Counter] = defaultdict(Counter)
    disagreements = []
    for key in sorted(set(by_key_ref) | set(by_key_finding)):
        ref, finding = by_key_ref.get(key), by_key_finding.get(key)
        item = finding or ref
        present = truth.get((item.surface, item.name, item.kind))
        family = FAMILY[item.kind]
        claimed = bool(finding and finding.claims_missing)
        if present is None:
            table[family]["unknown"] += 1
            by_surface[_SPELL[item.surface]]["unknown"] += 1
            continue
        missing = not present
        outcome = _OUTCOME[(claimed, missing)]
        table[family][outcome] += 1
        by_surface[_SPELL[item.surface]][outcome] += 1
        if ref is not None and ref.via:
            by_via[ref.via][outcome] += 1
        if outcome in ("fp", "fn"):
            line_text = texts.get(item.path, "").splitlines()[item.line - 1].strip() if item.path in texts else ""
            disagreements.append(dict(
                kind=outcome, family=family, path=item.path, line=item.line, name=item.name, surface=item.surface,
                code=finding.code if finding else None, message=finding.message if finding else None,
                seen_by_finder=ref is not None, source=line_text[:160],
            ))
    return Result(target, {k: dict(v) for k, v in table.items()}, disagreements, guarded,
                  {k: dict(v) for k, v in by_surface.items()}, len(refs), len(findings), seconds, differ,
                  {k: dict(v) for k, v in by_via.items()})


_SPELL = {KERAS: "keras.backend", TF: "tf.keras.backend", TF1: "tf.compat.v1.keras.backend"}


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def metrics(counts: Dict[str, int]) -> Tuple[float, float]:
    tp, fp, fn = counts.get("tp", 0), counts.get("fp", 0), counts.get("fn", 0)
    return ratio(tp, tp + fp), ratio(tp, tp + fn)


def summarise(results: List[Result], counts, failed, details: bool = True) -> str:
    lines = []
    files = sum(n for n, _ in counts.values())
    bad = sum(b for _, b in counts.values())
    lines.append(f"files: {files}, parse failures: {bad} ({100 * ratio(bad, files):.1f}%)")
    for label, (n, b) in counts.items():
        if b:
            lines.append(f"  {label}: {b}/{n} files do not parse on Python {sys.version_info[0]}.{sys.version_info[1]}")
    ok = True
    for res in results:
        lines.append(f"\ntarget Keras {res.target}: {res.refs} references by the independent finder, "
                     f"{res.guarded} shim-guarded (excluded), {res.findings} relevant findings, "
                     f"checker {res.seconds:.2f}s")
        lines.append(f"  {'family':8} {'TP':>5} {'FP':>4} {'FN':>4} {'TN':>6} {'unk':>4} "
                     f"{'precision':>9} {'recall':>7}")
        total: Counter = Counter()
        for family in sorted(res.table):
            c = res.table[family]
            total.update(c)
            p, r = metrics(c)
            lines.append(f"  {family:8} {c.get('tp', 0):5} {c.get('fp', 0):4} {c.get('fn', 0):4} {c.get('tn', 0):6} "
                         f"{c.get('unknown', 0):4} {p:9.4f} {r:7.4f}")
        p, r = metrics(total)
        lines.append(f"  {'all':8} {total['tp']:5} {total['fp']:4} {total['fn']:4} {total['tn']:6} "
                     f"{total['unknown']:4} "
                     f"{p:9.4f} {r:7.4f}  {'PASS' if p >= 0.99 and r >= 0.98 else 'FAIL'} (goal P>=0.99, R>=0.98)")
        ok &= p >= 0.99 and r >= 0.98 and not res.preselection_differs
        lines.append(f"  pre-selected walk (as plugin/CLI) vs full walk: {len(res.preselection_differs)} files differ"
                     + "".join(f"\n    {path}" for path in res.preselection_differs))
        for surface in sorted(res.by_surface):
            c = res.by_surface[surface]
            p, r = metrics(c)
            lines.append(f"  by surface {surface:17} TP {c.get('tp', 0)} FP {c.get('fp', 0)} FN {c.get('fn', 0)} "
                         f"TN {c.get('tn', 0)} unknown {c.get('unknown', 0)}  P {p:.4f} R {r:.4f}")
        for via in sorted(res.by_via):
            c = res.by_via[via]
            p, r = metrics(c)
            lines.append(f"  new kind {via:10} TP {c.get('tp', 0)} FP {c.get('fp', 0)} FN {c.get('fn', 0)} "
                         f"TN {c.get('tn', 0)} unknown {c.get('unknown', 0)}  P {p:.4f} R {r:.4f}")
        for d in res.disagreements if details else ():
            lines.append(f"  {d['kind'].upper()} {d['path']}:{d['line']} {_SPELL[d['surface']]}.{d['name']} "
                         f"[{d['code'] or 'no finding'}{'' if d['seen_by_finder'] else ', not seen by finder'}] "
                         f"{d['source']}")
    return "\n".join(lines), ok


def markdown(results: List[Result], counts) -> str:
    files = sum(n for n, _ in counts.values())
    bad = sum(b for _, b in counts.values())
    out = [f"Files: {files} ({bad} do not parse on Python 3.11: {100 * ratio(bad, files):.1f}%)", "",
           "| target | family | TP | FP | FN | TN | precision | recall |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for res in results:
        total: Counter = Counter()
        for family in sorted(res.table):
            c = res.table[family]
            total.update(c)
            p, r = metrics(c)
            out.append(f"| {res.target} | {family} | {c.get('tp', 0)} | {c.get('fp', 0)} | {c.get('fn', 0)} | "
                       f"{c.get('tn', 0)} | {p:.4f} | {r:.4f} |")
        p, r = metrics(total)
        out.append(f"| {res.target} | all | {total['tp']} | {total['fp']} | {total['fn']} | {total['tn']} | "
                   f"**{p:.4f}** | **{r:.4f}** |")
    return "\n".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="evaluate this folder instead of the downloaded corpus")
    parser.add_argument("--truth-json", type=Path,
                        help="truth from a JSON file {target: {'surface|name|kind': bool}} instead of the envs")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="default: all")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", type=Path, help="write the full results here")
    parser.add_argument("--part", choices=("build", "holdout", "all"), default="build",
                        help="the corpus the rules were built on (default), the held-out part (counts only: its "
                        "disagreements are not printed, nobody reads those files), or both")
    args = parser.parse_args(argv)
    details = True
    if args.root:
        roots = {args.root.name: args.root}
    else:
        import corpus

        packages = {"build": corpus.KERAS_CORPUS, "holdout": corpus.HOLDOUT,
                    "all": corpus.KERAS_CORPUS + corpus.HOLDOUT}[args.part]
        details = args.part == "build"
        roots = {pkg.folder: folder for pkg, folder in corpus.ensure(packages).items()}
    truth_fn = probe
    if args.truth_json:
        fixed = json.loads(args.truth_json.read_text("utf-8"))

        def fixed_truth(target, queries):
            table = fixed.get(target, {})
            return {q: table.get("|".join(q)) for q in queries}

        truth_fn = fixed_truth

    trees, counts, failed, texts, paths = parse_files(roots)
    results = [compare(t, trees, texts, truth_fn, paths) for t in (args.target or list(TARGETS))]
    text, ok = summarise(results, counts, failed, details)
    print(text)
    if failed and details:
        print("\nparse failures:\n  " + "\n  ".join(failed))
    if args.markdown:
        print("\n" + markdown(results, counts))
    if args.json:
        args.json.write_text(json.dumps(dict(counts=counts, failed=failed, results=[r._asdict() for r in results]),
                                        indent=1), "utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
