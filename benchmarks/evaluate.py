"""Precision and recall of "attribute missing in the target" on real code, against the real Keras modules.

    python benchmarks/evaluate.py                       # corpus from benchmarks/corpus.py, both targets
    python benchmarks/evaluate.py --markdown            # also print the docs/evaluation.md table
    python benchmarks/evaluate.py --root DIR --truth-json FILE   # any folder, truth from a JSON file (tests)

The truth is independent of our data and our resolver:

* an own, deliberately simple reference finder (``find_refs``): flat per file (no scopes), a name is the backend
  only when *every* binding of it anywhere in the file is an import of the backend; references are ``K.name``,
  ``keras.backend.name``, ``tf.keras.backend.name``, ``from keras.backend import name`` and imports of
  ``keras.backend.<submodule>``. References inside ``try`` with a broad/Import/AttributeError handler or under
  ``if hasattr(..., "name")`` are compatibility shims, counted separately and not part of the truth;
* ``hasattr(module, name)`` (or an import, for submodules) on the real module, in a subprocess per environment:
  ``/tmp/venv-k3`` (keras==3.15.1, KERAS_BACKEND=numpy; ``tf.keras.backend`` of TF >= 2.16 is
  ``keras._tf_keras.keras.backend``) and ``/tmp/venv-k215`` (keras==2.15.0 + tensorflow-cpu 2.15, Python 3.11).

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

KERAS, TF = "keras", "tf"
ATTR, IMPORT, SUBMODULE = "attr", "import", "submodule"
FAMILY = {ATTR: "KBL2xx", IMPORT: "KBL1xx", SUBMODULE: "KBL1xx"}

TARGETS = {
    # target text for parse_target -> (python of the throwaway env, env vars, module per surface)
    "3.15": ("/tmp/venv-k3/bin/python", {"KERAS_BACKEND": "numpy"},
             {KERAS: "keras.backend", TF: "keras._tf_keras.keras.backend"}),
    "2.15": ("/tmp/venv-k215/bin/python", {"TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""},
             {KERAS: "keras.backend", TF: "tensorflow.keras.backend"}),
}


class Ref(NamedTuple):
    path: str
    line: int
    col: int  # 0-based; -1 for imports (keyed by line and name)
    surface: str
    name: str
    kind: str  # attr | import | submodule

    @property
    def key(self) -> Tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.name, FAMILY[self.kind])


# -- the independent reference finder -----------------------------------------------------------------------------
#: what an imported dotted path is, for the finder
_ROLES = {
    "keras.backend": ("backend", KERAS),
    "tensorflow.keras.backend": ("backend", TF),
    "keras": ("package", KERAS),
    "tensorflow.keras": ("package", TF),
    "tensorflow": ("tf", TF),
}
_SHIM_HANDLERS = {"AttributeError", "ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _roles(tree: ast.AST) -> Dict[str, Optional[Tuple[str, str]]]:
    """name -> (role, surface) when every binding of the name in the file agrees, else None."""
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
            for a in node.names:
                full = f"{node.module}.{a.name}" if node.module and not node.level else None
                seen[a.asname or a.name].add(_ROLES.get(full) if full else None)
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


def find_refs(tree: ast.AST, path: str) -> Tuple[List[Ref], List[Ref]]:
    """(references, shim-guarded references) to backend names in one parsed file."""
    roles = _roles(tree)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    refs: List[Ref] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            surface = _backend_expr(node.value, roles)
            if surface:
                refs.append(Ref(path, node.lineno, node.col_offset, surface, node.attr, ATTR))
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
    if spelled == "tf.compat.v1.keras.backend":
        return None  # no data for that surface; never a "missing" claim
    surface = TF if spelled == "tf.keras.backend" else KERAS
    if v.code == "KBL101":
        name, kind, col = head.split(".")[2], SUBMODULE, -1
    elif v.code == "KBL102":
        name, kind, col = head, IMPORT, -1
    else:
        name, kind, col = head.rpartition(".")[2], ATTR, v.col
    claims = v.code in ("KBL101", "KBL102", "KBL201", "KBL202") or "missing for Keras" in v.message
    return Finding(path, v.line, col, v.code, v.message, surface, name, kind, claims)


def run_checker(files: Dict[str, ast.AST], target: str, texts: Optional[Dict[str, str]] = None
                ) -> Tuple[List[Finding], float, List[str]]:
    """Findings as the plugin and the CLI compute them (with the source text: the pre-selected walk), the time,
    and the files where the full walk (no text) gives a different list: the pre-selection must change nothing."""
    from keras_backend_lint.engine import Settings, check_tree
    from keras_backend_lint.versions import parse_target

    settings = Settings(parse_target(target))
    out: List[Finding] = []
    differ: List[str] = []
    seconds = 0.0
    for path, tree in files.items():
        text = (texts or {}).get(path)
        started = time.perf_counter()
        found = check_tree(tree, settings, text=text) if text is not None else check_tree(tree, settings)
        seconds += time.perf_counter() - started
        if text is not None and found != check_tree(tree, settings):
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
    """(trees by relative path, per-package (files, failures), failed paths, source text by path)."""
    trees, counts, failed, texts = {}, {}, [], {}
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
            except (SyntaxError, ValueError):
                bad += 1
                failed.append(rel)
        counts[label] = (n, bad)
    return trees, counts, failed, texts


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


_OUTCOME = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}


def compare(target: str, trees, texts, truth_fn=probe) -> Result:
    refs, guarded = [], 0
    for path, tree in trees.items():
        kept, shims = find_refs(tree, path)
        refs.extend(kept)
        guarded += len(shims)
    findings, seconds, differ = run_checker(trees, target, texts)
    queries = {(r.surface, r.name, r.kind) for r in refs} | {(f.surface, f.name, f.kind) for f in findings}
    truth = truth_fn(target, queries)
    by_key_ref = {r.key: r for r in refs}
    by_key_finding: Dict[tuple, Finding] = {}
    for f in findings:
        if f.key not in by_key_finding or f.claims_missing:
            by_key_finding[f.key] = f
    table: Dict[str, Counter] = defaultdict(Counter)
    by_surface: Dict[str, Counter] = defaultdict(Counter)
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
        if outcome in ("fp", "fn"):
            line_text = texts.get(item.path, "").splitlines()[item.line - 1].strip() if item.path in texts else ""
            disagreements.append(dict(
                kind=outcome, family=family, path=item.path, line=item.line, name=item.name, surface=item.surface,
                code=finding.code if finding else None, message=finding.message if finding else None,
                seen_by_finder=ref is not None, source=line_text[:160],
            ))
    return Result(target, {k: dict(v) for k, v in table.items()}, disagreements, guarded,
                  {k: dict(v) for k, v in by_surface.items()}, len(refs), len(findings), seconds, differ)


_SPELL = {KERAS: "keras.backend", TF: "tf.keras.backend"}


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def metrics(counts: Dict[str, int]) -> Tuple[float, float]:
    tp, fp, fn = counts.get("tp", 0), counts.get("fp", 0), counts.get("fn", 0)
    return ratio(tp, tp + fp), ratio(tp, tp + fn)


def summarise(results: List[Result], counts, failed) -> str:
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
        for d in res.disagreements:
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
    args = parser.parse_args(argv)
    if args.root:
        roots = {args.root.name: args.root}
    else:
        import corpus

        roots = {pkg.folder: folder for pkg, folder in corpus.ensure(corpus.KERAS_CORPUS).items()}
    truth_fn = probe
    if args.truth_json:
        fixed = json.loads(args.truth_json.read_text("utf-8"))

        def fixed_truth(target, queries):
            table = fixed.get(target, {})
            return {q: table.get("|".join(q)) for q in queries}

        truth_fn = fixed_truth

    trees, counts, failed, texts = parse_files(roots)
    results = [compare(t, trees, texts, truth_fn) for t in (args.target or list(TARGETS))]
    text, ok = summarise(results, counts, failed)
    print(text)
    if failed:
        print("\nparse failures:\n  " + "\n  ".join(failed))
    if args.markdown:
        print("\n" + markdown(results, counts))
    if args.json:
        args.json.write_text(json.dumps(dict(counts=counts, failed=failed, results=[r._asdict() for r in results]),
                                        indent=1), "utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
