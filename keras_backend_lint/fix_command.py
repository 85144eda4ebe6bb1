"""``keras-backend-lint fix``: rewrite files in place (or print a diff) with the libcst fixer.

Exit status: 0 nothing changed, 1 something changed or would change (also when a file could not be read, parsed or
written: it is reported on stderr and skipped), 2 usage error (bad option, bad --keras-version, missing path).
"""
from __future__ import annotations

import argparse
import difflib
import os
import sys
from typing import Iterable, Iterator, List, Optional, TextIO

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "site-packages", "build", "dist",
    "node_modules", "__pycache__", ".mypy_cache", ".pytest_cache", ".eggs", ".ipynb_checkpoints",
})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", default=["."], help="files or folders ('-' reads stdin)")
    parser.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    parser.add_argument("--select", default=None, help="comma list of codes or prefixes to fix")
    parser.add_argument("--ignore", default=None, help="comma list of codes or prefixes not to fix")
    parser.add_argument("--keras-version", default=None, help="target Keras version or range (default: installed)")


def _codes(text: Optional[str]) -> Optional[List[str]]:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _iter_python_files(paths: Iterable[str]) -> Iterator[str]:
    from .discovery import is_special_file  # FIFOs and devices named *.py would block the run

    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs
                    if d not in SKIP_DIRS and not d.endswith(".egg-info")
                    and not os.path.exists(os.path.join(root, d, "pyvenv.cfg"))
                )
                for name in sorted(files):
                    if name.endswith((".py", ".pyi", ".ipynb")) and not is_special_file(os.path.join(root, name)):
                        yield os.path.join(root, name)
        else:
            yield path


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from .atomic import WriteError, write
    from .engine import default_settings
    from .fixer import fix_source
    from .sourcefile import SourceError, decode, read
    from .versions import TargetError, resolve_target

    try:
        settings = default_settings(resolve_target(args.keras_version))
    except TargetError as exc:
        stderr.write(f"keras-backend-lint: error: {exc}\n")
        return 2
    select, ignore = _codes(args.select), _codes(args.ignore)
    paths = list(args.paths) or ["."]
    for path in paths:
        if path != "-" and not os.path.exists(path):
            stderr.write(f"keras-backend-lint: error: {path}: no such file or directory\n")
            return 2
    changed = problems = 0
    for path in _iter_python_files(paths):
        if path.endswith(".ipynb"):  # notebooks: fixed cell by cell, the JSON kept byte for byte elsewhere
            from .notebook_commands import fix_path

            did, trouble = fix_path(path, settings, stdout, stderr, unsafe=args.unsafe_fixes, select=select,
                                    ignore=ignore, diff=args.diff)
            changed, problems = changed + did, problems + trouble
            continue
        try:
            if path == "-":
                raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
                source = decode(raw, "<stdin>")
            else:
                source = read(path)
        except SourceError as exc:
            stderr.write(f"{path}: {exc}\n")
            problems += 1
            continue
        try:
            fixed = fix_source(source.text, settings, unsafe=args.unsafe_fixes, select=select, ignore=ignore)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            line = getattr(exc, "lineno", None)
            where = f"{path}:{line}" if line else path
            msg = " ".join((getattr(exc, "msg", None) or str(exc) or "too deeply nested for Python's parser").split())
            stderr.write(f"{where}: cannot parse, skipped: {msg}\n")
            problems += 1
            continue
        except Exception as exc:  # containment: an internal error on one file never aborts the run
            from .rules import internal_error

            stderr.write(f"{path}: not fixed: KBL000 {internal_error(exc)}\n")
            problems += 1
            continue
        if path == "-":
            if args.diff:
                stdout.write(_diff(source.text, fixed, "<stdin>"))
            else:
                stdout.write(fixed)
            changed += fixed != source.text
            continue
        if fixed == source.text:
            continue
        changed += 1
        if args.diff:
            stdout.write(_diff(source.text, fixed, path))
            continue
        try:
            write(path, source.encode(fixed), source.stamp)
        except WriteError as exc:
            stderr.write(f"{path}: {exc}\n")
            problems += 1
            continue
        stderr.write(f"fixed {path}\n")
    return 1 if changed or problems else 0


def _diff(before: str, after: str, path: str) -> str:
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(True), after.splitlines(True), fromfile=path, tofile=path
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="keras-backend-lint fix", description=__doc__.splitlines()[0])
    add_arguments(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return run(args, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
