#!/usr/bin/env python
"""The long fuzz run of issue 7: ``python tools/fuzz_long.py [EXAMPLES] [-k EXPR]``.

Runs ``tests/test_fuzz.py`` with ``KBL_FUZZ_EXAMPLES`` examples per property (default 5000; CI runs 100), random
seeds (``KBL_FUZZ_RANDOM=1``) and Hypothesis statistics, then prints the wall time. Extra arguments go to pytest,
e.g. ``-k fixer`` for the fixer properties only. Equivalent to::

    KBL_FUZZ_EXAMPLES=5000 KBL_FUZZ_RANDOM=1 pytest tests/test_fuzz.py -p no:cacheprovider --hypothesis-show-statistics
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list) -> int:
    examples = "5000"
    if argv and argv[0].isdigit():
        examples, argv = argv[0], argv[1:]
    env = dict(os.environ, KBL_FUZZ_EXAMPLES=examples, KBL_FUZZ_RANDOM="1")
    command = [sys.executable, "-m", "pytest", str(ROOT / "tests" / "test_fuzz.py"), "-p", "no:cacheprovider",
               "--hypothesis-show-statistics", "--durations=0", "-q", *argv]
    start = time.monotonic()
    code = subprocess.call(command, env=env, cwd=str(ROOT))
    print(f"fuzz_long: {examples} examples per property, exit {code}, {time.monotonic() - start:.0f} s")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
