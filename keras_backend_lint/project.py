"""What a run looks at and what it keeps: one configuration, one file discovery, one finding filter.

``check`` and ``fix`` both go through here, so the same ``pyproject.toml``, options, excludes, ``# noqa`` comments
and per-file ignores decide what each command sees: the fixer is a consumer of the checker's findings, never a
second opinion.

Which configuration a run uses: the nearest ``pyproject.toml`` with a ``[tool.keras-backend-lint]`` table at or
above the **common directory of all the paths given** (standard input: ``--stdin-filename``, else the working
directory). The order of the paths never matters, and a ``pyproject.toml`` in a sub-folder applies only to runs
whose paths are all inside that folder (black's rule); ``--config`` names a file, ``--isolated`` ignores them.
"""
from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from . import rules

NOQA = re.compile(r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?", re.I)
FILE_NOQA = re.compile(r"#\s*flake8[:=]\s*noqa(?P<codes>:\s?)?", re.I)
CODE_SPLIT = re.compile(r"[,\s]+")
#: where Python's tokenizer ends a line (``str.splitlines`` also splits at form feeds, U+2028 and more)
LINE_SPLIT = re.compile(r"\r\n|\r|\n")


class UsageError(Exception):
    """Bad options or configuration: reported in one line, exit code 2."""


# --- selection ------------------------------------------------------------------------------------------------


def validate_codes(values: Iterable[str], what: str) -> List[str]:
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
                out[-1][1].extend(validate_codes(CODE_SPLIT.split(entry), "--per-file-ignores"))
                continue
            raise UsageError(f"--per-file-ignores: {entry!r} is not of the form glob:CODES")
        glob, codes = entry.rsplit(":", 1)
        out.append((glob, validate_codes(CODE_SPLIT.split(codes), "--per-file-ignores")))
    return out


# --- suppression: # noqa and per-file ignores -----------------------------------------------------------------


def suppressed_lines(text: str):
    """A predicate ``(line, code) -> bool``: whether ``# noqa`` / ``# flake8: noqa`` hides that finding."""
    file_noqa = FILE_NOQA.search(text)
    if file_noqa and not file_noqa.group("codes"):
        return lambda line, code: True
    lines = LINE_SPLIT.split(text)

    def hidden(line: int, code: str) -> bool:
        line_text = lines[line - 1] if 0 < line <= len(lines) else ""
        match = NOQA.search(line_text) if "noqa" in line_text.lower() else None
        if match is None:
            return False
        codes = match.group("codes")
        if codes is None:
            return True
        listed = tuple(c for c in CODE_SPLIT.split(codes.upper()) if c)
        return code in listed or code.startswith(listed)

    return hidden


def noqa_filter(text: str, found: list) -> list:
    """``found`` (anything with ``.line`` and ``.code``) without the findings ``# noqa`` hides."""
    hidden = suppressed_lines(text)
    return [f for f in found if not hidden(f.line, f.code)]


def ignored_codes(path: str, entries, root: str) -> Tuple[str, ...]:
    """The per-file-ignores prefixes that apply to ``path``."""
    if not entries:
        return ()
    from .discovery import matches

    codes: List[str] = []
    for glob, listed in entries:
        if matches(path, [glob], root):
            codes.extend(listed)
    return tuple(codes)


def apply_per_file_ignores(findings: list, entries, root: str) -> list:
    if not entries:
        return findings
    cache: Dict[str, Tuple[str, ...]] = {}
    kept = []
    for f in findings:
        if f.path not in cache:
            cache[f.path] = ignored_codes(f.path, entries, root)
        if cache[f.path] and f.code.startswith(cache[f.path]):
            continue
        kept.append(f)
    return kept


# --- the run's configuration ----------------------------------------------------------------------------------


def _csv(value: str) -> List[str]:
    return [part for part in CODE_SPLIT.split(value) if part]


def add_common_arguments(p: argparse.ArgumentParser, verb: str = "report") -> None:
    """The options ``check`` and ``fix`` share (same names, same meaning)."""
    p.add_argument("--keras-version", metavar="VERSION",
                   help="target Keras version or range: 3, 2.15, 3.6.0, '>=2.12,<3.4' "
                        "(default: keras-version in pyproject.toml, else the project's declared keras/tensorflow "
                        "pins, else the installed keras, else the newest Keras 3)")
    p.add_argument("--select", type=_csv, metavar="CODES",
                   help=f"comma-separated codes or prefixes to {verb} (default: the rules that are on by default)")
    p.add_argument("--ignore", type=_csv, metavar="CODES", help=f"codes or prefixes not to {verb}")
    p.add_argument("--extend-select", type=_csv, metavar="CODES", help="add codes, e.g. the off-by-default KBL401")
    p.add_argument("--per-file-ignores", metavar="GLOB:CODES", help="flake8-style, e.g. 'tests/*:KBL2 legacy.py:KBL'")
    p.add_argument("--stdin-filename", metavar="NAME", help="the name to report (and match per-file ignores) for -")
    p.add_argument("--exclude", type=_csv, metavar="GLOBS", help="replace the default excludes (fnmatch globs)")
    p.add_argument("--extend-exclude", type=_csv, metavar="GLOBS", help="add to the default excludes")
    p.add_argument("--config", metavar="PYPROJECT", help="read this pyproject.toml instead of searching for one")
    p.add_argument("--isolated", action="store_true", help="ignore configuration files")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="nothing on stderr but errors (no target line, summary or progress)")


def config_start(paths: Sequence[str], stdin_filename: Optional[str] = None) -> str:
    """Where the configuration search starts: the common directory of all paths (order-independent)."""
    if list(paths) == ["-"]:
        return stdin_filename or "."
    dirs = []
    for path in paths:
        absolute = os.path.abspath(path)
        dirs.append(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
    try:
        return os.path.commonpath(dirs) if dirs else "."
    except ValueError:  # different drives on Windows
        return "."


@dataclass
class Project:
    """Everything a run decided before looking at a file."""

    config: object
    target: object
    enabled: FrozenSet[str]
    per_file: List[Tuple[str, List[str]]] = field(default_factory=list)
    exclude: List[str] = field(default_factory=list)
    extend_exclude: List[str] = field(default_factory=list)
    #: where the configuration (and the project's declared dependencies) were looked for
    start: str = "."

    @property
    def root(self) -> str:
        return self.config.root  # type: ignore[attr-defined]

    @property
    def target_info(self) -> Dict[str, str]:
        t = self.target
        return {"keras": t.label, "spec": t.text, "source": t.source}  # type: ignore[attr-defined]

    def target_line(self, prog: str) -> str:
        from .output import display_path

        return f"{prog}: target Keras {self.target.label} ({display_path(self.target.source)})\n"  # type: ignore

    def settings(self):
        from .engine import Settings

        return Settings(self.target, codes=self.enabled)  # type: ignore[arg-type]

    def files(self, paths: Sequence[str], errors: Optional[list] = None) -> List[str]:
        """The source files under ``paths``; directories that cannot be walked go to ``errors`` as (path, why)."""
        from .discovery import iter_files

        return list(iter_files(paths, self.exclude, self.extend_exclude, root=self.root, errors=errors))

    def ignored_codes(self, path: str) -> Tuple[str, ...]:
        return ignored_codes(path, self.per_file, self.root)


def load(args: argparse.Namespace, paths: Sequence[str]) -> Project:
    from . import config as config_mod
    from .discovery import DEFAULT_EXCLUDES

    start = config_start(paths, getattr(args, "stdin_filename", None))
    try:
        config = config_mod.Config() if args.isolated else config_mod.load(start, args.config)
    except config_mod.ConfigError as exc:
        raise UsageError(str(exc)) from None
    where = f"{config.path}: [tool.{config_mod.SECTION}]"

    def pick(option, configured, name):
        if option is not None:
            return option, f"--{name}"
        return configured, f"{where} {name}"

    chosen, what = pick(args.select, config.select, "select")
    select = validate_codes(chosen, what) if chosen is not None else None
    chosen, what = pick(args.ignore, config.ignore, "ignore")
    ignore = validate_codes(chosen or [], what)
    extend_select = [*validate_codes(config.extend_select or [], f"{where} extend-select"),
                     *validate_codes(args.extend_select or [], "--extend-select")]
    per_file = [(g, validate_codes(c, f"{where} per-file-ignores")) for g, c in config.per_file_ignores]
    if args.per_file_ignores:
        per_file.extend(parse_per_file_ignores(args.per_file_ignores))
    exclude = args.exclude if args.exclude is not None else config.exclude
    return Project(
        config=config,
        target=resolve_target(args.keras_version, config.keras_version, config.path, project=start),
        enabled=enabled_codes(select, ignore, extend_select),
        per_file=per_file,
        exclude=list(DEFAULT_EXCLUDES) if exclude is None else list(exclude),
        extend_exclude=[*(config.extend_exclude or []), *(args.extend_exclude or [])],
        start=start,
    )


def resolve_target(
    option: Optional[str], config_value: Optional[str], config_path: Optional[str], project: Optional[str] = None
):
    """--keras-version, else keras-version in the config, else the project's declared pins (dependency files of
    the project holding ``project``), else the installed keras, else the newest Keras 3."""
    from .versions import TargetError, parse_target, resolve_target as resolve

    try:
        if option is not None:
            return parse_target(option, "--keras-version")  # an empty value is an error, not "unset"
        if config_value is not None:
            return parse_target(config_value, f"keras-version in {config_path}")
        return resolve(None, project=project)
    except TargetError as exc:
        message = str(exc)
        if option is None and config_value is not None:
            message = f"{config_path}: keras-version: {message}"
        raise UsageError(message) from None
