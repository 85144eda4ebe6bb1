"""Time of ``fix`` and ``check`` against file size: a linear tool doubles its time when the file doubles.

    python benchmarks/fix_size.py                     # 20k, 40k, 80k lines
    python benchmarks/fix_size.py --lines 2000 4000   # any sizes (the smoke test uses tiny ones)

Each size is one generated module: a backend import and ten-line functions, each with one ``K.mean`` (a finding
with a safe fix). ``fix`` runs in place through the CLI (read, check, fix, write) in this process,
``check`` likewise; the ratio column is time / time of the previous size (≈ 2 for linear, ≈ 4 for quadratic).
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from typing import List, Optional, Sequence

os.environ.setdefault("KERAS_BACKEND", "numpy")
#: ten lines, one finding with a safe fix (about the density of real legacy code)
BLOCK = (
    "def f{i}(x, y):\n"
    "    \"\"\"Scale and reduce.\"\"\"\n"
    "    a = x * 2 + y\n"
    "    b = [a, a + 1]\n"
    "    c = sum(b) / len(b)\n"
    "    if c is None:\n"
    "        raise ValueError(c)\n"
    "    d = K.mean(c, axis=1)\n"
    "    return d\n"
    "\n"
)


def module(lines: int) -> str:
    header = "from keras import backend as K\n\n"
    blocks = max(1, (lines - 2) // 10)
    return header + "".join(BLOCK.format(i=i) for i in range(blocks))


def _time(argv: Sequence[str]) -> float:
    from keras_backend_lint.cli import main

    start = time.perf_counter()
    main(list(argv), io.StringIO(), io.StringIO())
    return time.perf_counter() - start


def measure(lines: int, target: str = "3") -> dict:
    text = module(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "big.py")
        with open(path, "w") as handle:
            handle.write(text)
        check = _time(["check", "--isolated", "-q", "--keras-version", target, "-j", "1", path])
        fix = _time(["fix", "--isolated", "-q", "--keras-version", target, path])
        with open(path) as handle:
            changed = handle.read() != text
    return {"lines": text.count("\n"), "check": check, "fix": fix, "changed": changed}


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[20_000, 40_000, 80_000])
    args = parser.parse_args(argv)
    print(f"{'lines':>8} {'check s':>9} {'ratio':>6} {'fix s':>9} {'ratio':>6}  rewritten")
    previous = None
    for lines in args.lines:
        row = measure(lines)
        ratios = ("", "")
        if previous:
            ratios = (f"{row['check'] / previous['check']:.1f}", f"{row['fix'] / previous['fix']:.1f}")
        print(f"{row['lines']:>8} {row['check']:>9.2f} {ratios[0]:>6} {row['fix']:>9.2f} {ratios[1]:>6}  "
              f"{'yes' if row['changed'] else 'NO'}", flush=True)
        previous = row
    return 0


if __name__ == "__main__":
    sys.exit(main())
