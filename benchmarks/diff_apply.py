"""``fix --diff`` on real code: every diff must apply with ``git apply`` and give exactly the in-place result.

For each file of the corpus that ``fix`` rewrites (safe fixes, or ``--unsafe``), the diff ``fix --diff`` prints
for it is applied with ``git apply -p0`` to a copy of the original bytes, and the result is compared byte for byte
with what ``fix`` writes in place (same encoding, BOM, line endings). Exit 1 on any difference.
Usage: ``python benchmarks/diff_apply.py [--unsafe] [--holdout]`` (after ``corpus.py``).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from keras_backend_lint import project as project_mod  # noqa: E402
from keras_backend_lint.fix_command import fix_one, unified_diff  # noqa: E402
from keras_backend_lint.sourcefile import SourceError, read  # noqa: E402


def _project(target: str):
    args = SimpleNamespace(isolated=True, config=None, select=None, ignore=None, extend_select=None,
                           per_file_ignores=None, exclude=None, extend_exclude=None, keras_version=target,
                           stdin_filename=None)
    return project_mod.load(args, ["."])


def check_file(path: Path, project, unsafe: bool, work: str) -> Optional[str]:
    """None when the diff applies and matches (or nothing changes), else the reason."""
    try:
        source = read(str(path))
    except SourceError:
        return None
    _, fixed = fix_one(str(path), source, project, unsafe)
    if fixed is None:
        return None
    diff = unified_diff(source.text, fixed, "f.py").encode(source.encoding, "backslashreplace")
    target = os.path.join(work, "f.py")
    with open(target, "wb") as handle:
        handle.write(source.raw)
    with open(os.path.join(work, "p.diff"), "wb") as handle:
        handle.write(diff)
    done = subprocess.run(["git", "apply", "-p0", "p.diff"], cwd=work, capture_output=True)
    if done.returncode:
        return "git apply: " + done.stderr.decode(errors="replace").strip().splitlines()[0]
    with open(target, "rb") as handle:
        if handle.read() != source.encode(fixed):
            return "applied diff differs from the in-place result"
    return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unsafe", action="store_true", help="also apply the unsafe fixes")
    parser.add_argument("--target", default="3")
    parser.add_argument("--holdout", action="store_true", help="run over the held-out packages instead")
    args = parser.parse_args(argv)
    project = _project(args.target)
    folders = corpus.ensure(corpus.HOLDOUT if args.holdout else corpus.KERAS_CORPUS)
    files = [p for folder in folders.values() for p in corpus.python_files(folder)]
    applied = failures = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        for path in files:
            problem = check_file(path, project, args.unsafe, work)
            if problem:
                failures += 1
                print(f"FAIL {path}: {problem}")
            elif problem == "":
                applied += 1
    verdict = "PASS" if not failures else "FAIL"
    print(f"{verdict}  {len(files)} files, {applied} diffs applied and equal to the in-place fix, {failures} failed "
          f"({time.perf_counter() - start:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
