"""How much of the migration the fixer does: default-on findings before and after ``fix``, per rule and package.

    python benchmarks/fix_coverage.py [--target 3] [--holdout] [--markdown]

A finding counts as resolved when checking the fixed file no longer reports it (counted per file and rule:
before minus after, never below zero), so the number does not trust the fixer's own bookkeeping. The fixer's
account of what it left (needs --unsafe-fixes / no automatic fix / not fixed at this call site) is printed too,
with the most common reasons. ``--holdout`` measures the held-out packages instead (reported apart).
Goals (issue 11): safe fixes resolve >= 75% of the findings, safe + unsafe >= 90%.
"""
from __future__ import annotations

import argparse
import ast
import sys
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from keras_backend_lint.cli import enabled_codes  # noqa: E402
from keras_backend_lint.engine import Settings, check_tree  # noqa: E402
from keras_backend_lint.fixer import fix_text  # noqa: E402
from keras_backend_lint.versions import parse_target  # noqa: E402

GOALS = {"safe": 0.75, "unsafe": 0.90}


def _findings(text: str, settings: Settings):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = ast.parse(text)
    return check_tree(tree, settings, text=text)


def measure(files: List[Tuple[str, Path]], settings: Settings):
    """per (package, code): [before, resolved safe, resolved safe+unsafe]; the fixer's left accounts; skipped."""
    table: Dict[Tuple[str, str], List[int]] = defaultdict(lambda: [0, 0, 0])
    left: Dict[str, Counter] = {"safe": Counter(), "unsafe": Counter()}
    skipped: List[str] = []
    for package, path in files:
        try:
            text = path.read_text("utf-8")
            before = Counter(v.code for v in _findings(text, settings))
        except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
            continue  # not Python 3 source: nothing to fix, nothing counted
        if not before:
            continue
        for code, n in before.items():
            table[(package, code)][0] += n
        for column, unsafe in ((1, False), (2, True)):
            try:
                result = fix_text(text, settings, unsafe=unsafe)
                after = Counter(v.code for v in _findings(result.text, settings))
            except (SyntaxError, ValueError) as exc:
                skipped.append(f"{path}: {exc}")
                continue
            for code, n in before.items():
                table[(package, code)][column] += max(0, n - after.get(code, 0))
            for v, kind, reason in result.left:
                left["unsafe" if unsafe else "safe"][(kind, v.code, _short(reason))] += 1
    return table, left, skipped


def _short(reason: str) -> str:
    return reason if len(reason) <= 90 else reason[:87] + "..."


def _pct(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "-"


def report(table, left, skipped, markdown: bool) -> Tuple[float, float]:
    by_code: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
    by_package: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])
    for (package, code), row in table.items():
        for i in range(3):
            by_code[code][i] += row[i]
            by_package[package][i] += row[i]
    total = [sum(r[i] for r in by_code.values()) for i in range(3)]
    out = []
    for title, rows in (("rule", by_code), ("package", by_package)):
        out.append(f"| {title} | findings | safe fixes | safe + unsafe |")
        out.append("| --- | ---: | ---: | ---: |")
        for key in sorted(rows, key=lambda k: (-rows[k][0], k)):
            n, s, u = rows[key]
            out.append(f"| {key} | {n} | {s} ({_pct(s, n)}) | {u} ({_pct(u, n)}) |")
        out.append(f"| **all** | **{total[0]}** | **{total[1]} ({_pct(total[1], total[0])})** | "
                   f"**{total[2]} ({_pct(total[2], total[0])})** |")
        out.append("")
    text = "\n".join(out)
    print(text if markdown else text.replace("**", ""))
    for mode in ("safe", "unsafe"):
        print(f"\nleft after the {'safe' if mode == 'safe' else 'safe + unsafe'} pass, most common reasons:")
        for (kind, code, reason), n in left[mode].most_common(15):
            print(f"  {n:5}  {kind:9} {code}  {reason}")
    if skipped:
        print(f"\n{len(skipped)} file(s) skipped by the fixer:")
        for line in skipped[:20]:
            print("  " + line)
    safe = total[1] / total[0] if total[0] else 1.0
    unsafe = total[2] / total[0] if total[0] else 1.0
    return safe, unsafe


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="3")
    parser.add_argument("--holdout", action="store_true", help="measure the held-out packages instead")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    settings = Settings(parse_target(args.target), codes=enabled_codes())
    packages = corpus.HOLDOUT if args.holdout else corpus.KERAS_CORPUS
    folders = corpus.ensure(packages)
    files = [(pkg.name, p) for pkg, folder in folders.items() for p in corpus.python_files(folder)]
    table, left, skipped = report_input = measure(files, settings)
    safe, unsafe = report(*report_input, markdown=args.markdown)
    ok = safe >= GOALS["safe"] and unsafe >= GOALS["unsafe"]
    print(f"\n{'PASS' if ok else 'FAIL'}  safe {safe:.1%} (goal {GOALS['safe']:.0%}), "
          f"safe + unsafe {unsafe:.1%} (goal {GOALS['unsafe']:.0%})")
    del table, left, skipped
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
