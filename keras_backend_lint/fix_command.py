"""``keras-backend-lint fix``: rewrite files in place (or print a diff) with the libcst fixer.

The files, the target and the findings come from ``project.py``, exactly as for ``check``: the same
``pyproject.toml``, options, excludes, ``# noqa`` comments and per-file ignores. Only the findings ``check`` would
report are fixed; the summary on stderr (or ``--format json``) accounts for every one of them.

Exit status: 0 nothing changed, 1 something changed or would change (also when a file could not be read, parsed or
written: it is reported and skipped), 2 usage or configuration error (bad option, bad --keras-version, missing path).
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import warnings
from typing import List, Optional, Sequence, TextIO, Tuple

from .fix_report import FileOutcome, Summary
from .project import UsageError

PROG = "keras-backend-lint"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .project import add_common_arguments

    parser.add_argument("paths", nargs="*", default=["."], help="files or folders ('-' reads stdin)")
    add_common_arguments(parser, verb="fix")
    parser.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text: the summary on stderr; json: files and findings fixed/left on stdout")
    parser.add_argument("--add-todo", action="store_true",
                        help="leave '# TODO(keras3): <advice> <rule URL>' above each finding without an automatic fix")


def _fix_text(source: str, settings, unsafe: bool, findings, reexports=None):
    """The fixer, limited to the findings ``check`` keeps; it accounts for each one (fixed / left with a reason)."""
    from .fixer import fix_text

    return fix_text(source, settings, unsafe=unsafe, findings=findings, reexports=reexports)


def _allowed_roots(paths: Sequence[str]) -> List[str]:
    return [os.path.realpath(p) for p in paths if p != "-"]


def _inside(path: str, roots: Sequence[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def kept_findings(path: str, text: str, tree: ast.Module, project, reexports=None) -> list:
    """The findings ``check`` reports for this file: enabled codes, minus ``# noqa`` and per-file ignores
    (``reexports``: the run's index of project modules that re-export the backend, as ``check`` uses it)."""
    from .engine import check_tree
    from .project import suppressed_lines

    found = [v for v in check_tree(tree, project.settings(), text=text, project=reexports) if v.code in project.enabled]
    if not found:
        return []
    hidden = suppressed_lines(text)
    ignored = project.ignored_codes(path)
    return [v for v in found if not hidden(v.line, v.code) and not (ignored and v.code.startswith(ignored))]


def fix_one(
    path: str, source, project, unsafe: bool, add_todo: bool = False, reexports=None
) -> Tuple[FileOutcome, Optional[str]]:
    """Fix one decoded file; returns the outcome and the new text (None when nothing changes or it is skipped)."""
    from .cst_guard import cst_risk
    from .engine import needs_check

    outcome = FileOutcome(path)
    text = source.text
    if not needs_check(text, reexports):
        return outcome, None
    # a file whose only line ending is a lone CR: fix it with \n endings and put the CRs back, so that lines the
    # fixer adds get the file's own ending (Python reads the file the same way either way)
    lone_cr = "\r" in text and "\n" not in text
    work = text.replace("\r", "\n") if lone_cr else text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(work)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        outcome.skipped = f"cannot parse: {_reason(exc, work)}"
        return outcome, None
    try:
        findings = kept_findings(path, work, tree, project, reexports)
    except Exception as exc:  # containment: an internal error on one file never aborts the run
        from .rules import internal_error

        outcome.skipped = f"KBL000 {internal_error(exc)}"
        return outcome, None
    if not findings:
        return outcome, None
    manual = [v for v in findings if v.fix == "none"] if add_todo else []
    if manual:
        from .todo import add_todos

        marked = add_todos(work, tree, manual, "\n" if lone_cr else source.newline)
        if marked is not work:  # comment lines only: the same program, findings one line further down
            work, tree = marked, ast.parse(marked)
            findings = kept_findings(path, work, tree, project, reexports)
    risk = cst_risk(tree, work)
    if risk:
        outcome.skipped, outcome.skipped_findings = risk, findings
        return outcome, None
    try:
        result = _fix_text(work, project.settings(), unsafe, findings, reexports)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        outcome.skipped, outcome.skipped_findings = f"cannot parse: {_reason(exc, work)}", findings
        return outcome, None
    except Exception as exc:  # containment
        from .rules import internal_error

        outcome.skipped, outcome.skipped_findings = f"KBL000 {internal_error(exc)}", findings
        return outcome, None
    outcome.fixed, outcome.left = tuple(result.fixed), tuple(result.left)
    fixed = result.text.replace("\n", "\r") if lone_cr else result.text
    if fixed == text:
        return outcome, None
    outcome.rewritten = True
    return outcome, fixed


def _reason(exc: BaseException, text: str) -> str:
    if isinstance(exc, MemoryError):
        from .output import memory_error_reason

        return memory_error_reason(text)
    line = getattr(exc, "lineno", None)
    msg = " ".join((getattr(exc, "msg", None) or str(exc) or "too deeply nested for Python's parser").split())
    return f"line {line}: {msg}" if line else msg


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from . import project as project_mod
    from .output import display_path

    paths = list(args.paths) or ["."]
    try:
        if "-" in paths and paths != ["-"]:
            raise UsageError("'-' (standard input) cannot be combined with other paths")
        if paths == ["-"] and args.format == "json" and not args.diff:
            raise UsageError("fix - writes the fixed source to stdout; use --diff with --format json")
        for path in paths:
            if path != "-" and not os.path.lexists(path):
                raise UsageError(f"{display_path(path)}: no such file or directory")
        project = project_mod.load(args, paths)
    except UsageError as exc:
        from .output import one_line

        stderr.write(f"{PROG}: error: {one_line(str(exc))}\n")
        return 2
    if not args.quiet:
        stderr.write(project.target_line(PROG))
    summary = Summary()
    try:
        if paths == ["-"]:
            changed, problems = _run_stdin(args, project, summary, stdout, stderr)
        else:
            changed, problems = _run_files(paths, args, project, summary, stdout, stderr)
        if args.format == "json":
            import json

            json.dump(summary.as_json(project.target_info, diff=args.diff), stdout, indent=2)
            stdout.write("\n")
        stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:  # stdout itself failed (disk full, closed): files already written stay written
        from .cli import _silence_stdout

        _silence_stdout(stdout)
        stderr.write(f"{PROG}: error: cannot write the output: {exc.strerror or exc}\n")
        return 2
    if args.format == "text" and not args.quiet:
        summary.write_text(stderr, PROG, diff=args.diff)
    elif args.format == "text":  # -q: errors only, like check
        summary.write_skipped(stderr)
    return 1 if changed or problems else 0


def _fix_notebook(path: str, args, project, summary: Summary, stdout: TextIO, stderr: TextIO) -> Tuple[int, int]:
    """A notebook: cells joined into one module, fixed like a file, written back cell by cell (the JSON is kept
    byte for byte elsewhere); the same findings, summary and atomic write as a ``.py`` file."""
    from .atomic import WriteError, write
    from .notebook_commands import fix_outcome
    from .output import display_path

    outcome, text, stamp, diff, broken = fix_outcome(path, project, args.unsafe_fixes)
    summary.add(outcome)
    for line in broken:  # a cell that does not parse is left alone; the others are fixed
        stderr.write(f"{display_path(path)}:{line}\n")
    if text is None:
        return 0, int(outcome.skipped is not None) + len(broken)
    if args.diff:
        outcome.diff = diff
        if args.format != "json":
            stdout.write(diff or "")
        return 1, len(broken)
    try:
        write(path, text.encode("utf-8"), stamp)
    except WriteError as exc:
        outcome.rewritten, outcome.fixed, outcome.left = False, (), ()
        outcome.skipped = f"not written: {exc}"
        return 0, 1 + len(broken)
    if args.format != "json" and not args.quiet:
        stderr.write(f"fixed {display_path(path)}\n")
    return 1, len(broken)


def _run_files(paths, args, project, summary: Summary, stdout: TextIO, stderr: TextIO) -> Tuple[int, int]:
    from .atomic import WriteError, sweep, write
    from .output import display_path
    from .sourcefile import SourceError, read

    from .deps.check import split_paths

    walk_errors: List[Tuple[str, str]] = []
    files, _ = split_paths(project.files(paths, walk_errors))  # requirements.txt & co. are check's alone
    changed = problems = 0
    for path, why in walk_errors:
        summary.add(FileOutcome(path, skipped=f"cannot read directory: {why}"))
        problems += 1
    roots = _allowed_roots(paths)
    swept = set()
    from .reexports import ProjectIndex, project_for

    # the same index over the run's files as `check` builds: `from mypkg.backend import K` follows mypkg/backend.py
    index = ProjectIndex(frozenset(os.path.realpath(f) for f in files)) if files else None
    for path in files:
        if not _inside(path, roots):
            summary.add(FileOutcome(path, skipped="a symlink to a file outside the paths given; not written"))
            problems += 1
            continue
        if path.endswith(".ipynb"):
            did, trouble = _fix_notebook(path, args, project, summary, stdout, stderr)
            changed, problems = changed + did, problems + trouble
            continue
        try:
            source = read(path)
        except SourceError as exc:
            summary.add(FileOutcome(path, skipped=f"cannot read: {exc}"))
            problems += 1
            continue
        reexports = project_for(path, index) if index is not None else None
        outcome, fixed = fix_one(path, source, project, args.unsafe_fixes, args.add_todo, reexports)
        problems += outcome.skipped is not None
        if fixed is None:
            summary.add(outcome)
            continue
        changed += 1
        if args.diff:
            outcome.diff = unified_diff(source.text, fixed, path)
            if args.format != "json":
                _write_diff(stdout, outcome.diff, source.encoding)
            summary.add(outcome)
            continue
        folder = os.path.dirname(os.path.realpath(path))
        if folder not in swept:
            swept.add(folder)
            sweep(folder)
        try:
            write(path, source.encode(fixed), source.stamp)
        except WriteError as exc:
            outcome.rewritten, outcome.fixed, outcome.left = False, (), ()
            outcome.skipped = f"not written: {exc}"
            problems += 1
        else:
            if args.format != "json" and not args.quiet:
                stderr.write(f"fixed {display_path(path)}\n")
        summary.add(outcome)
    return changed, problems


def _run_stdin(args, project, summary: Summary, stdout: TextIO, stderr: TextIO) -> Tuple[int, int]:
    from .sourcefile import SourceError, decode

    name = args.stdin_filename or "<stdin>"
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        source = decode(raw, name)
    except SourceError as exc:
        summary.add(FileOutcome(name, skipped=f"cannot read: {exc}"))
        if not args.diff:
            _write_bytes(stdout, raw)  # a filter must never swallow its input
        return 0, 1
    outcome, fixed = fix_one(name, source, project, args.unsafe_fixes, args.add_todo)
    summary.add(outcome)
    if args.diff:
        outcome.diff = unified_diff(source.text, fixed, name) if fixed is not None else ""
        if args.format != "json":
            _write_diff(stdout, outcome.diff, source.encoding)
    elif fixed is None:
        _write_bytes(stdout, raw)
    else:
        _write_bytes(stdout, source.encode(fixed))  # the file's own encoding, BOM and line endings
    return int(fixed is not None), int(outcome.skipped is not None)


def _write_diff(stdout: TextIO, diff: str, encoding: str) -> None:
    """A diff in the file's own encoding, so that ``git apply`` finds the lines of a latin-1 file."""
    if encoding.replace("_", "-").lower() in ("utf-8", "utf8") or getattr(stdout, "buffer", None) is None:
        stdout.write(diff)
    else:
        _write_bytes(stdout, diff.encode(encoding, "backslashreplace"))


def _write_bytes(stdout: TextIO, data: bytes) -> None:
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # an in-memory text stream (tests): the text is all there is
        import codecs

        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        from .sourcefile import decode

        stdout.write(decode(data).text)
        return
    stdout.flush()
    buffer.write(data)
    buffer.flush()


def unified_diff(before: str, after: str, path: str) -> str:
    """A diff ``patch`` and ``git apply`` accept: lines split where they split them (at ``\\n`` only; ``str.splitlines``
    also splits at form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, U+2028/U+2029 and lone ``\\r``), so the "No newline at
    end of file" marker can only follow a file's last line; the path is shown escaped."""
    import difflib

    from .output import display_path

    if before == after:
        return ""
    old, new = _lines(before), _lines(after)
    name = display_path(path)
    out = []
    for line in difflib.unified_diff(old, new, fromfile=name, tofile=name):
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> List[str]:
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    return out + [lines[-1]] if lines[-1] else out


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
