"""The dependency-file readers and KBL5xx rules over the corpus packages' own dependency files.

    python benchmarks/deps_corpus.py            # the building part
    python benchmarks/deps_corpus.py --holdout  # the held-out part, reported apart (counts only)

For each unpacked package (benchmarks/.corpus/src/<name>-<version>/) it reads the dependency files in the package's
top directory (the sdist's root, where `keras-backend-lint check` would look), and counts formats, unreadable
files (KBL500), the target the declarations give, and KBL501-KBL503 findings. A traceback anywhere is a failure.
"""
from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import corpus  # noqa: E402
from keras_backend_lint.deps import discover, read  # noqa: E402
from keras_backend_lint.deps.check import file_findings  # noqa: E402
from keras_backend_lint.deps.target import target_from_files  # noqa: E402
from keras_backend_lint.versions import resolve_target  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--holdout", action="store_true", help="the held-out packages instead")
    args = parser.parse_args(argv)
    packages = corpus.HOLDOUT if args.holdout else corpus.KERAS_CORPUS
    formats: collections.Counter = collections.Counter()
    codes: collections.Counter = collections.Counter()
    with_target = 0
    present = 0
    for package in packages:
        folder = corpus.SRC / package.folder
        if not folder.is_dir():
            continue
        present += 1
        inner = [p for p in folder.iterdir() if p.is_dir()]
        root = inner[0] if len(inner) == 1 and not discover(str(folder)) else folder  # the sdist's own folder
        files = [read(p) for p in discover(str(root))]
        for dep_file in files:
            formats[dep_file.format] += 1
        target = target_from_files(files)
        fallback = target or resolve_target("3")
        found = [f for dep_file in files for f in file_findings(dep_file, fallback)]
        codes.update(f.code for f in found)
        with_target += target is not None
        if not args.holdout:
            print(f"{package.folder:<40} {len(files)} file(s)  target: {target or '-'}  "
                  f"{' '.join(sorted(f.code for f in found)) or 'no findings'}")
    part = "held-out" if args.holdout else "building"
    print(f"{part}: {present} packages, dependency files {sum(formats.values())} ({dict(sorted(formats.items()))}), "
          f"target from declarations in {with_target}, findings {dict(sorted(codes.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
