"""``keras-backend-lint``: check (without flake8), rules, explain, fix.

Exit codes: 0 clean, 1 findings (including E999 syntax errors and E902 unreadable files), 2 usage or configuration
error, or a path that does not exist.
``check`` imports neither flake8 nor libcst; ``fix`` is loaded only when asked for.
"""
from __future__ import annotations

import argparse
import ast
import os
import re
import sys
import warnings
from typing import IO, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import __version__, rules
from .output import E_IO, E_SYNTAX, FileError, Finding, Report

PROG = "keras-backend-lint"
COMMANDS = ("check", "rules", "explain", "fix", "doctor")
#: runs with fewer files than this stay in one process (a pool costs more than it saves)
PARALLEL_THRESHOLD = 64
#: the progress bar appears only for runs with more files than this (and only on a terminal)
PROGRESS_THRESHOLD = 200

NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.I)
FILE_NOQA = re.compile(r"#\s*flake8[:=]\s*noqa(?P<codes>:\s?)?", re.I)
CODE_SPLIT = re.compile(r"[,\s]+")
#: where Python's tokenizer ends a line (``str.splitlines`` also splits at form feeds, U+2028 and more)
LINE_SPLIT = re.compile(r"\r\n|\r|\n")


class UsageError(Exception):
    """Bad options or configuration: reported in one line, exit code 2."""


# --- selection ------------------------------------------------------------------------------------------------


def _validate_codes(values: Iterable[str], what: str) -> List[str]:
    out = []
    for value in values:
        value = value.strip().upper()
        if not value:
            continue
        if not any(rule.code.startswith(value) for rule in rules.RULES):
            raise UsageError(f"{what}: {value!r} is not a keras-backend-lint code or prefix (e.g. KBL, KBL2, KBL201)")
        out.append(value)
    return out


def enabled_codes(
    select: Optional[Sequence[str]] = None,
    ignore: Optional[Sequence[str]] = None,
    extend_select: Optional[Sequence[str]] = None,
) -> FrozenSet[str]:
    """The codes a run reports, decided like flake8's DecisionEngine.

    ``rules.DEFAULT_DISABLED`` is an implicit ignore: it loses against any explicit select that matches the code
    (``--select KBL`` or ``--extend-select KBL401`` turn KBL401 on), and an explicit ``--ignore`` wins against an
    implicit select. When a code is explicitly both selected and ignored, the longer prefix wins (ignore on a tie).
    """
    explicit_select = tuple([*(select or ()), *(extend_select or ())])
    selected = explicit_select if select is not None else ("KBL", *explicit_select)
    explicit_ignore = tuple(ignore or ())
    ignored = (*explicit_ignore, *rules.DEFAULT_DISABLED)

    def longest(code: str, prefixes: Sequence[str]) -> int:
        return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

    out = set()
    for rule in rules.RULES:
        code = rule.code
        sel_exp = code.startswith(explicit_select) if explicit_select else False
        sel = sel_exp or code.startswith(selected)
        ign_exp = code.startswith(explicit_ignore) if explicit_ignore else False
        ign = ign_exp or code.startswith(ignored)
        if sel and not ign:
            out.add(code)
        elif not sel:
            continue
        elif sel_exp and not ign_exp:
            out.add(code)
        elif ign_exp and not sel_exp:
            continue
        elif longest(code, selected) > longest(code, ignored):
            out.add(code)
    return frozenset(out)


def parse_per_file_ignores(text: str) -> List[Tuple[str, List[str]]]:
    """flake8's format: ``glob:CODE,CODE glob2:CODE`` (whitespace or newlines between entries)."""
    out: List[Tuple[str, List[str]]] = []
    for entry in text.split():
        entry = entry.strip(",")
        if not entry:
            continue
        if ":" not in entry:
            if out:  # "a.py:KBL1, KBL2" split at the space
                out[-1][1].extend(_validate_codes(CODE_SPLIT.split(entry), "--per-file-ignores"))
                continue
            raise UsageError(f"--per-file-ignores: {entry!r} is not of the form glob:CODES")
        glob, codes = entry.rsplit(":", 1)
        out.append((glob, _validate_codes(CODE_SPLIT.split(codes), "--per-file-ignores")))
    return out


# --- checking one file (runs in worker processes too) ---------------------------------------------------------

_WORKER: Dict[str, object] = {}


def _init_worker(target_text: str, target_source: str, enabled: FrozenSet[str]) -> None:
    from .engine import Settings
    from .versions import parse_target

    _WORKER["settings"] = Settings(parse_target(target_text, target_source), codes=enabled)
    _WORKER["enabled"] = enabled


def _noqa_filter(text: str, found: List[Finding]) -> List[Finding]:
    file_noqa = FILE_NOQA.search(text)
    if file_noqa and not file_noqa.group("codes"):
        return []
    lines = LINE_SPLIT.split(text)
    kept = []
    for f in found:
        line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        match = NOQA.search(line) if "noqa" in line.lower() else None
        if match is None:
            kept.append(f)
            continue
        codes = match.group("codes")
        if codes is None:
            continue
        listed = tuple(c for c in CODE_SPLIT.split(codes.upper()) if c)
        if f.code in listed or f.code.startswith(listed):
            continue
        kept.append(f)
    return kept


def _char_column(line_text: str, col: int) -> int:
    if line_text.isascii():
        return col + 1
    return len(line_text.encode("utf-8")[:col].decode("utf-8", "ignore")) + 1


def check_text(
    path: str, text: str, settings: object, enabled: FrozenSet[str]
) -> Tuple[List[Finding], List[FileError]]:
    from .engine import check_tree, mentions_keras

    if not mentions_keras(text):
        return [], []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes is not ours to report
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        line = exc.lineno or 1
        col = exc.offset or 1
        return [], [FileError(path, line, col, E_SYNTAX, f"{type(exc).__name__}: {exc.msg}")]
    except (ValueError, RecursionError, MemoryError) as exc:
        detail = str(exc) or "too deeply nested for Python's parser"
        return [], [FileError(path, 1, 1, E_SYNTAX, f"{type(exc).__name__}: {detail}")]
    try:
        violations = check_tree(tree, settings, text=text)  # type: ignore[arg-type]
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
    from .sourcefile import SourceError, read

    try:
        try:
            source = read(path)
        except SourceError as exc:
            return [], [FileError(path, 1, 1, E_IO, f"cannot read file: {exc}")]
        return check_text(path, source.text, _WORKER["settings"], _WORKER["enabled"])  # type: ignore[arg-type]
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
        _init_worker(target_text, target_source, enabled)
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

    chunk = max(4, min(64, len(files) // (jobs * 4) or 1))
    chunks = [files[i:i + chunk] for i in range(0, len(files), chunk)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else None
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker,
        initargs=(target_text, target_source, enabled),
    ) as pool:
        futures = {pool.submit(_check_chunk, c): len(c) for c in chunks}
        for future in as_completed(futures):
            for found, errs in future.result():
                findings.extend(found)
                errors.extend(errs)
            if progress:
                progress.advance(futures[future])
    return findings, errors


def _resolve_target(
    option: Optional[str], config_value: Optional[str], config_path: Optional[str], project: Optional[str] = None
):
    from .versions import TargetError, parse_target, resolve_target

    try:
        if option:
            return parse_target(option, "--keras-version")
        if config_value:
            return parse_target(config_value, f"keras-version in {config_path}")
        return resolve_target(None, project=project)
    except TargetError as exc:
        raise UsageError(str(exc)) from None


def _apply_per_file_ignores(findings: List[Finding], entries, root: str) -> List[Finding]:
    if not entries:
        return findings
    from .discovery import matches

    cache: Dict[str, Tuple[str, ...]] = {}
    kept = []
    for f in findings:
        if f.path not in cache:
            codes: List[str] = []
            for glob, listed in entries:
                if matches(f.path, [glob], root):
                    codes.extend(listed)
            cache[f.path] = tuple(codes)
        codes_for_file = cache[f.path]
        if codes_for_file and f.code.startswith(codes_for_file):
            continue
        kept.append(f)
    return kept


def cmd_check(args: argparse.Namespace, stdout: IO[str], stderr: IO[str], stdin: Optional[IO[bytes]] = None) -> int:
    from . import config as config_mod
    from .discovery import DEFAULT_EXCLUDES, iter_files

    paths = args.paths or ["."]
    use_stdin = paths == ["-"]
    if "-" in paths and not use_stdin:
        raise UsageError("'-' (standard input) cannot be combined with other paths")
    start = args.stdin_filename if use_stdin and args.stdin_filename else (paths[0] if not use_stdin else ".")
    try:
        config = config_mod.Config() if args.isolated else config_mod.load(start, args.config)
    except config_mod.ConfigError as exc:
        raise UsageError(str(exc)) from None

    def pick(option, configured):
        return option if option is not None else configured

    chosen = pick(args.select, config.select)
    select = _validate_codes(chosen, "--select") if chosen is not None else None
    ignore = _validate_codes(pick(args.ignore, config.ignore) or [], "--ignore")
    extend_select = _validate_codes(
        [*(config.extend_select or []), *(args.extend_select or [])], "--extend-select"
    )
    enabled = enabled_codes(select, ignore, extend_select)
    per_file = [(g, _validate_codes(c, "per-file-ignores")) for g, c in config.per_file_ignores]
    if args.per_file_ignores:
        per_file.extend(parse_per_file_ignores(args.per_file_ignores))

    target = _resolve_target(args.keras_version, config.keras_version, config.path, project=start)
    target_info = {"keras": target.label, "spec": target.text, "source": target.source}
    if args.format in ("text", "github") and not args.quiet:
        stderr.write(f"{PROG}: target Keras {target.label} ({target.source})\n")

    if use_stdin:
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
        exclude = pick(args.exclude, config.exclude)
        exclude = list(DEFAULT_EXCLUDES) if exclude is None else exclude
        extend_exclude = [*(config.extend_exclude or []), *(args.extend_exclude or [])]
        files = list(iter_files(paths, exclude, extend_exclude, root=config.root))
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
        found, checked = environment_findings(paths, dependency_files, files, start, target, enabled)
        findings.extend(found)
        files_checked += checked
    findings = _apply_per_file_ignores(findings, per_file, config.root)
    report = Report(sorted(findings), sorted(errors), files_checked, target_info)

    from .output import write

    write(report, args.format, stdout, statistics=args.statistics)
    if args.format == "text" and not args.quiet and args.show_summary:
        stderr.write(
            f"{PROG}: {len(report.findings)} finding(s), {len(report.errors)} error(s) in {files_checked} file(s)\n"
        )
    # like flake8's E902, a file that cannot be read or decoded is a finding about that file (exit 1); only a
    # path that does not exist at all is the caller's mistake (exit 2)
    if any(e.code == E_IO and not os.path.lexists(e.path) for e in report.errors):
        return 2
    if (report.findings or report.errors) and not args.exit_zero:
        return 1
    return 0


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
    stdout.write(page(rule))
    return 0


# --- parser ---------------------------------------------------------------------------------------------------


def _csv(value: str) -> List[str]:
    return [part for part in CODE_SPLIT.split(value) if part]


def _add_check_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to check (default: .); - for stdin")
    p.add_argument("--keras-version", metavar="VERSION",
                   help="target Keras version or range: 3, 2.15, 3.6.0, '>=2.12,<3.4' "
                        "(default: keras-version in pyproject.toml, else the project's declared keras/tensorflow "
                        "pins, else the installed keras, else the newest Keras 3)")
    p.add_argument("--select", type=_csv, metavar="CODES",
                   help="comma-separated codes or prefixes to report (default: the rules that are on by default)")
    p.add_argument("--ignore", type=_csv, metavar="CODES", help="codes or prefixes to leave out")
    p.add_argument("--extend-select", type=_csv, metavar="CODES", help="add codes, e.g. the off-by-default KBL401")
    p.add_argument("--per-file-ignores", metavar="GLOB:CODES", help="flake8-style, e.g. 'tests/*:KBL2 legacy.py:KBL'")
    p.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    p.add_argument("--statistics", action="store_true", help="count findings per code (text: after the findings)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings (usage errors still exit 2)")
    p.add_argument("--stdin-filename", metavar="NAME", help="the name to report (and match per-file ignores) for -")
    p.add_argument("-j", "--jobs", default="auto", type=_jobs_type, metavar="N",
                   help="worker processes (default: auto, one process for small runs)")
    p.add_argument("--exclude", type=_csv, metavar="GLOBS", help="replace the default excludes (fnmatch globs)")
    p.add_argument("--extend-exclude", type=_csv, metavar="GLOBS", help="add to the default excludes")
    p.add_argument("--config", metavar="PYPROJECT", help="read this pyproject.toml instead of searching for one")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("-q", "--quiet", action="store_true", help="no target line, summary or progress on stderr")
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


def main(
    argv: Optional[Sequence[str]] = None,
    stdout: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
    stdin: Optional[IO[bytes]] = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
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
    except UsageError as exc:
        stderr.write(f"{PROG}: error: {exc}\n")
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
