"""``keras-backend-lint``: check (without flake8), rules, explain, fix.

Exit codes: 0 clean, 1 findings (including E999 syntax errors and E902 unreadable files), 2 usage or configuration
error, or a path that does not exist.
``check`` imports neither flake8 nor libcst; ``fix`` is loaded only when asked for.
"""
from __future__ import annotations

import argparse
import ast
import os
import sys
import warnings
from typing import IO, Dict, FrozenSet, List, Optional, Sequence, Tuple

from . import __version__, rules
from .output import E_IO, E_SYNTAX, FileError, Finding, Report
from .project import (  # noqa: F401 - re-exported: the selection helpers used to live here
    CODE_SPLIT, LINE_SPLIT, UsageError, enabled_codes, parse_per_file_ignores, validate_codes as _validate_codes,
)

PROG = "keras-backend-lint"
COMMANDS = ("check", "rules", "explain", "fix", "doctor")
#: runs with fewer files than this stay in one process (a pool costs more than it saves)
PARALLEL_THRESHOLD = 64
#: the progress bar appears only for runs with more files than this (and only on a terminal)
PROGRESS_THRESHOLD = 200


# --- checking one file (runs in worker processes too) ---------------------------------------------------------

_WORKER: Dict[str, object] = {}


def _init_worker(target_text: str, target_source: str, enabled: FrozenSet[str], files: Sequence[str] = ()) -> None:
    from .engine import Settings
    from .reexports import ProjectIndex
    from .versions import parse_target

    _WORKER["settings"] = Settings(parse_target(target_text, target_source), codes=enabled)
    _WORKER["enabled"] = enabled
    # one index per run over the run's own files: `from mypkg.backend import K` follows mypkg/backend.py
    _WORKER["index"] = ProjectIndex(frozenset(os.path.realpath(f) for f in files)) if files else None


def _noqa_filter(text: str, found: List[Finding]) -> List[Finding]:
    from .project import noqa_filter

    return noqa_filter(text, found)


def _char_column(line_text: str, col: int) -> int:
    if line_text.isascii():
        return col + 1
    return len(line_text.encode("utf-8")[:col].decode("utf-8", "ignore")) + 1


def check_text(
    path: str, text: str, settings: object, enabled: FrozenSet[str], project: object = None,
    tree: Optional[ast.AST] = None,
) -> Tuple[List[Finding], List[FileError]]:
    """``project``: the run's re-export index for this file; ``tree``: ``text`` already parsed (a notebook's
    joined cells), so that it is not parsed twice."""
    from .engine import check_tree, needs_check

    if not needs_check(text, project):
        return [], []
    try:
        if tree is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not ours to report
                tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        return [], [FileError(path, line, col, E_SYNTAX, f"{type(exc).__name__}: {exc.msg}")]
    except MemoryError:
        from .output import memory_error_reason

        message = f"MemoryError: {memory_error_reason(text)}"
        return [], [FileError(path, 1, 1, E_SYNTAX, message)]
    except (ValueError, RecursionError) as exc:
        detail = str(exc) or "too deeply nested for Python's parser"
        return [], [FileError(path, 1, 1, E_SYNTAX, f"{type(exc).__name__}: {detail}")]
    try:
        violations = check_tree(tree, settings, text=text, project=project)  # type: ignore[arg-type]
    except Exception as exc:  # containment: one bad file never aborts the run
        # reported whatever --select says: like E999, an internal error must never silently hide a file's findings
        return [_internal_error(path, exc)], []
    found = []
    lines: Optional[List[str]] = None
    for v in violations:
        if v.code not in enabled:
            continue
        if lines is None:
            lines = LINE_SPLIT.split(text)
        line_text = lines[v.line - 1] if 0 < v.line <= len(lines) else ""
        found.append(Finding(path, v.line, v.col + 1, v.code, v.message, v.fix, _char_column(line_text, v.col)))
    if found:
        found = _noqa_filter(text, found)
    return found, []


def _internal_error(path: str, exc: BaseException) -> Finding:
    message = rules.internal_error(exc)
    return Finding(path, 1, 1, "KBL000", message, rules.NO_FIX, 1)


def check_path(path: str) -> Tuple[List[Finding], List[FileError]]:
    from .reexports import project_for
    from .sourcefile import SourceError, read

    try:
        if path.endswith(".ipynb"):  # notebooks: one module of the code cells, positions mapped back to cells
            from .notebook_commands import check_path as check_notebook

            return check_notebook(path, _WORKER["settings"], _WORKER["enabled"])
        try:
            source = read(path)
        except SourceError as exc:
            return [], [FileError(path, 1, 1, E_IO, f"cannot read file: {exc}")]
        index = _WORKER.get("index")
        project = project_for(path, index) if index is not None else None  # type: ignore[arg-type]
        return check_text(path, source.text, _WORKER["settings"], _WORKER["enabled"], project)  # type: ignore
    except Exception as exc:  # containment: reading, decoding or noqa handling failing on one file
        return [_internal_error(path, exc)], []


def _check_chunk(paths: Sequence[str]) -> List[Tuple[List[Finding], List[FileError]]]:
    return [check_path(p) for p in paths]


# --- check ----------------------------------------------------------------------------------------------------


class _Progress:
    def __init__(self, total: int, stream: IO[str]) -> None:
        self.total, self.done, self.stream = total, 0, stream

    def advance(self, n: int) -> None:
        self.done += n
        width = 30
        filled = width * self.done // max(self.total, 1)
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} files")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * 60 + "\r")
        self.stream.flush()


def _jobs(value: str, files: int) -> int:
    if value == "auto":
        if files < PARALLEL_THRESHOLD:
            return 1
        return max(1, min(os.cpu_count() or 1, files // (PARALLEL_THRESHOLD // 2)))
    return max(1, int(value))


def _jobs_type(value: str) -> str:
    if value == "auto":
        return value
    try:
        if int(value) >= 1:
            return value
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"invalid job count {value!r}: give a positive number or 'auto'")


def run_files(
    files: Sequence[str],
    target_text: str,
    target_source: str,
    enabled: FrozenSet[str],
    jobs: int,
    progress: Optional[_Progress] = None,
) -> Tuple[List[Finding], List[FileError]]:
    findings: List[Finding] = []
    errors: List[FileError] = []
    if jobs <= 1 or len(files) < 2:
        _init_worker(target_text, target_source, enabled, files)
        step = 32
        for start in range(0, len(files), step):
            for found, errs in _check_chunk(files[start:start + step]):
                findings.extend(found)
                errors.extend(errs)
            if progress:
                progress.advance(len(files[start:start + step]))
        return findings, errors
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    chunk = max(4, min(64, len(files) // (jobs * 4) or 1))
    chunks = [files[i:i + chunk] for i in range(0, len(files), chunk)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else None
    context = multiprocessing.get_context(method)
    lost: List[str] = []
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker,
        initargs=(target_text, target_source, enabled, tuple(files)),
    ) as pool:
        futures = {pool.submit(_check_chunk, c): c for c in chunks}
        for future in as_completed(futures):
            try:
                results = future.result()
            except BrokenProcessPool:  # a worker died (OOM killer, segfault): its chunk and the queued ones
                lost.extend(futures[future])
                continue
            for found, errs in results:
                findings.extend(found)
                errors.extend(errs)
            if progress:
                progress.advance(len(futures[future]))
    for path in lost:  # again, one process per file, so that only the file that kills its process is lost
        found, errs = _check_alone(path, context, (target_text, target_source, enabled))
        findings.extend(found)
        errors.extend(errs)
        if progress:
            progress.advance(1)
    return findings, errors


def _check_alone(path: str, context, initargs) -> Tuple[List[Finding], List[FileError]]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_worker,
                                 initargs=initargs) as pool:
            return pool.submit(_check_chunk, [path]).result()[0]
    except BrokenProcessPool:
        message = "the worker process checking this file died (out of memory?); file not checked"
        return [], [FileError(path, 1, 1, E_IO, message)]


def cmd_check(args: argparse.Namespace, stdout: IO[str], stderr: IO[str], stdin: Optional[IO[bytes]] = None) -> int:
    from . import project as project_mod

    paths = args.paths or ["."]
    use_stdin = paths == ["-"]
    if "-" in paths and not use_stdin:
        raise UsageError("'-' (standard input) cannot be combined with other paths")
    project = project_mod.load(args, paths)
    target, enabled = project.target, project.enabled
    target_info = project.target_info
    if args.format in ("text", "github") and not args.quiet:
        stderr.write(project.target_line(PROG))

    if use_stdin and (args.stdin_filename or "").endswith(".ipynb"):  # a notebook from an editor, as JSON
        from .engine import Settings
        from .notebook_commands import check_bytes

        stream = stdin if stdin is not None else sys.stdin.buffer
        findings, errors = check_bytes(args.stdin_filename, stream.read(), Settings(target, codes=enabled), enabled)
        files_checked = 1
    elif use_stdin:
        from .engine import Settings
        from .sourcefile import SourceError, decode

        name = args.stdin_filename or "stdin"
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            text = decode(stream.read(), name).text
        except SourceError as exc:
            findings, errors = [], [FileError(name, 1, 1, E_IO, f"cannot read file: {exc}")]
        else:
            findings, errors = check_text(name, text, Settings(target, codes=enabled), enabled)
        files_checked = 1
    else:
        walk_errors: List[Tuple[str, str]] = []
        files = project.files(paths, walk_errors)
        from .deps.check import environment_findings, split_paths

        files, dependency_files = split_paths(files)
        files_checked = len(files)
        jobs = _jobs(args.jobs, len(files))
        progress = None
        if len(files) > PROGRESS_THRESHOLD and not args.quiet and getattr(stderr, "isatty", lambda: False)():
            progress = _Progress(len(files), stderr)
        try:
            findings, errors = run_files(files, target.text, target.source, enabled, jobs, progress)
        finally:
            if progress:
                progress.close()
        errors.extend(FileError(p, 1, 1, E_IO, f"cannot read directory: {why}") for p, why in walk_errors)
        found, checked = environment_findings(paths, dependency_files, files, project.start, target, enabled)
        findings.extend(found)
        files_checked += checked
    findings = project_mod.apply_per_file_ignores(findings, project.per_file, project.root)
    report = Report(sorted(findings), sorted(errors), files_checked, target_info)

    from .output import write

    write_report(lambda: write(report, args.format, stdout, statistics=args.statistics), stdout)
    if args.format == "text" and not args.quiet and args.show_summary:
        stderr.write(
            f"{PROG}: {len(report.findings)} finding(s), {len(report.errors)} error(s) in {files_checked} file(s)\n"
        )
    # like flake8's E902, a file or folder that cannot be read or decoded is a finding about it (exit 1); only a
    # path given that does not exist at all is the caller's mistake (exit 2)
    if not use_stdin and any(not os.path.lexists(p) for p in paths):
        return 2
    if (report.findings or report.errors) and not args.exit_zero:
        return 1
    return 0


class ReportWriteError(Exception):
    """The report could not be written (disk full, closed pipe ...): one line on stderr, exit 2."""


def write_report(write, stdout: IO[str]) -> None:
    """Run ``write`` and flush; an ``OSError`` becomes ``ReportWriteError`` and stdout goes to /dev/null so that
    the interpreter's own flush at exit does not fail a second time with a traceback."""
    try:
        write()
        stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence_stdout(stdout)
        raise ReportWriteError(f"cannot write the report: {exc.strerror or exc}") from None


def _silence_stdout(stdout: IO[str]) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (StringIO in tests)
        pass


# --- rules / explain ------------------------------------------------------------------------------------------


def rules_as_json() -> List[dict]:
    from .output import rule_url

    return [
        {
            "code": r.code,
            "name": r.name,
            "summary": r.summary,
            "message": r.message,
            "fix": r.fix,
            "default_enabled": r.default_enabled,
            "family": r.family,
            "url": rule_url(r.code),
        }
        for r in rules.RULES
    ]


def cmd_rules(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    if args.format == "json":
        import json

        json.dump(rules_as_json(), stdout, indent=2)
        stdout.write("\n")
        return 0
    width = max(len(r.name) for r in rules.RULES)
    stdout.write(f"{'code':<7} {'name':<{width}} {'default':<7} {'fix':<7} summary\n")
    for r in rules.RULES:
        default = "on" if r.default_enabled else "off"
        stdout.write(f"{r.code:<7} {r.name:<{width}} {default:<7} {r.fix:<7} {r.summary}\n")
    return 0


def cmd_explain(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from .rule_docs import page

    wanted = args.code.strip()
    rule = rules.BY_CODE.get(wanted.upper()) or next((r for r in rules.RULES if r.name == wanted.lower()), None)
    if rule is None:
        raise UsageError(f"unknown rule {wanted!r}; `{PROG} rules` lists them")
    if args.markdown:
        stdout.write(page(rule))
        return 0
    from .output import REPO_URL
    from .terminal import render

    stdout.write(render(page(rule), REPO_URL + "/blob/main"))
    return 0


# --- parser ---------------------------------------------------------------------------------------------------


def _add_check_arguments(p: argparse.ArgumentParser) -> None:
    from .project import add_common_arguments

    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check (default: .); - for stdin")
    add_common_arguments(p)
    p.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    p.add_argument("--statistics", action="store_true", help="count findings per code (text: after the findings)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings (usage errors still exit 2)")
    p.add_argument("-j", "--jobs", default="auto", type=_jobs_type, metavar="N",
                   help="worker processes (default: auto, one process for small runs)")
    p.add_argument("--show-summary", action="store_true", help="print a one-line count to stderr (text format)")


def _fix_module():
    try:
        from . import fix_command
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.endswith("fix_command"):
            return None
        raise
    return fix_command


def build_parser(load_fix: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Find (and fix) legacy Keras backend code. A bare PATH means `check PATH`.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="report legacy backend usage (no flake8 needed)")
    _add_check_arguments(check)
    r = sub.add_parser("rules", help="list the rules")
    r.add_argument("--format", choices=("text", "json"), default="text")
    e = sub.add_parser("explain", help="show a rule's documentation, e.g. explain KBL201")
    e.add_argument("code", metavar="CODE", help="a code (KBL201) or a rule name (backend-attribute-missing)")
    e.add_argument("--markdown", action="store_true", help="print the Markdown source of the page")
    from . import doctor

    d = sub.add_parser("doctor", help="what import keras and tf.keras give in this interpreter (metadata only)")
    doctor.add_arguments(d)
    if load_fix:
        module = _fix_module()
        if module is not None:
            f = sub.add_parser("fix", help="rewrite legacy backend code to Keras 3 (libcst)")
            module.add_arguments(f)
    else:
        sub.add_parser("fix", help="rewrite legacy backend code to Keras 3 (libcst)", add_help=False)
    return parser


def _tolerant_std_streams(stdout: Optional[IO[str]], stderr: Optional[IO[str]]) -> None:
    """A file name or message the terminal's encoding cannot show is escaped, never a traceback (any locale)."""
    for given, stream in ((stdout, sys.stdout), (stderr, sys.stderr)):
        if given is None and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def main(
    argv: Optional[Sequence[str]] = None,
    stdout: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
    stdin: Optional[IO[bytes]] = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _tolerant_std_streams(stdout, stderr)
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    first = next((a for a in argv if not a.startswith("-") or a == "-"), None)
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "check")  # `keras-backend-lint src/` is `check src/`
        first = "check"
    load_fix = first == "fix" or (argv[:1] == ["fix"])
    parser = build_parser(load_fix=load_fix)
    import contextlib

    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: usage errors exit 2, --help/--version 0
        return int(exc.code or 0)
    try:
        if args.command in (None, "check"):
            if args.command is None:
                args = parser.parse_args(["check", *argv])
            return cmd_check(args, stdout, stderr, stdin)
        if args.command == "rules":
            return cmd_rules(args, stdout, stderr)
        if args.command == "explain":
            return cmd_explain(args, stdout, stderr)
        if args.command == "doctor":
            from . import doctor

            return doctor.run(args, stdout, stderr)
        if args.command == "fix":
            module = _fix_module()
            if module is None:
                raise UsageError("the fix command is not available in this installation")
            return int(module.run(args, stdout, stderr))
    except (UsageError, ReportWriteError) as exc:
        from .output import one_line

        stderr.write(f"{PROG}: error: {one_line(str(exc))}\n")
        return 2
    except KeyboardInterrupt:
        stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:  # `keras-backend-lint check | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 1
    parser.error(f"unknown command {args.command!r}")
    return 2  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
