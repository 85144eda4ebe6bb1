"""What ``fix`` did and what it left: the summary on stderr and ``fix --format json``.

Nothing is silent: every finding ``check`` would report for a file is either fixed or left with a kind and a
reason ("unsafe": needs ``--unsafe-fixes``; "manual": no automatic fix, the reason is the rule's advice;
"not-fixed": a fix exists but this call site could not be rewritten), and a file the fixer could not handle is
listed as skipped with the reason.
"""
from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import IO, Dict, List, Optional, Sequence, Tuple

JSON_FORMAT_VERSION = 1
KIND_TITLES = OrderedDict([
    ("unsafe", "needs --unsafe-fixes"),
    ("not-fixed", "fix available but not applied here"),
    ("manual", "no automatic fix"),
])


@dataclass
class FileOutcome:
    path: str
    rewritten: bool = False
    #: Violations resolved by this run
    fixed: Sequence = ()
    #: (Violation, kind, reason)
    left: Sequence[Tuple[object, str, str]] = ()
    #: why the file was not fixed at all (unreadable, unparsable, risky for libcst, symlink out of tree ...)
    skipped: Optional[str] = None
    #: findings of a skipped file that ``check`` reports (0 when it cannot be parsed)
    skipped_findings: Sequence = ()
    diff: Optional[str] = None

    @property
    def interesting(self) -> bool:
        return bool(self.rewritten or self.fixed or self.left or self.skipped)


def _name(violation) -> str:
    """``K.function`` from "K.function is not in keras.backend ..." (the message's subject), else the code."""
    head = violation.message.split(" ", 1)[0]
    return head if "." in head or head.isidentifier() else violation.code


@dataclass
class Summary:
    files: List[FileOutcome] = field(default_factory=list)

    def add(self, outcome: FileOutcome) -> None:
        if outcome.interesting:
            self.files.append(outcome)

    @property
    def rewritten(self) -> int:
        return sum(f.rewritten for f in self.files)

    @property
    def fixed(self) -> int:
        return sum(len(f.fixed) for f in self.files)

    def left_by_kind(self) -> Dict[str, int]:
        counts: Counter = Counter(kind for f in self.files for _, kind, _ in f.left)
        counts["skipped"] = sum(len(f.skipped_findings) for f in self.files if f.skipped)
        return {kind: counts[kind] for kind in (*KIND_TITLES, "skipped")}

    # --- text on stderr ---------------------------------------------------------------------------------------

    def write_text(self, out: IO[str], prog: str, diff: bool = False) -> None:
        from .output import one_line

        verb = "would rewrite" if diff else "rewrote"
        fixed_verb = "would fix" if diff else "fixed"
        left = self.left_by_kind()
        skipped_files = [f for f in self.files if f.skipped]
        out.write(
            f"{prog}: {verb} {self.rewritten} file(s), {fixed_verb} {self.fixed} finding(s), "
            f"{sum(left.values())} left, {len(skipped_files)} file(s) skipped\n"
        )
        for kind, title in KIND_TITLES.items():
            groups: Counter = Counter()
            reasons: Dict[Tuple[str, str], str] = {}
            for outcome in self.files:
                for violation, k, reason in outcome.left:
                    if k == kind:
                        key = (violation.code, _name(violation))
                        groups[key] += 1
                        reasons.setdefault(key, reason)
            if not groups:
                continue
            out.write(f"  {title} ({left[kind]}):\n")
            for (code, name), count in sorted(groups.items(), key=lambda item: (-item[1], item[0])):
                out.write(f"    {count:>4} x {code} {name}: {one_line(reasons[(code, name)])}\n")
        if skipped_files:
            out.write(f"  file skipped ({len(skipped_files)} file(s), {left['skipped']} finding(s)):\n")
            self.write_skipped(out, indent="    ")

    def write_skipped(self, out: IO[str], indent: str = "") -> None:
        """One line per file that was not fixed, with the reason (all ``-q`` shows)."""
        from .output import display_path, one_line

        for outcome in self.files:
            if outcome.skipped:
                out.write(f"{indent}{display_path(outcome.path)}: {one_line(outcome.skipped)}\n")

    # --- json -------------------------------------------------------------------------------------------------

    def as_json(self, target: Dict[str, str], diff: bool = False) -> dict:
        from . import __version__
        from .output import TOOL_NAME, display_path, rule_url

        def item(v, **extra) -> dict:
            return {"line": v.line, "column": v.col + 1, "code": v.code, "message": v.message,
                    "url": rule_url(v.code), **extra}

        files = []
        for f in self.files:
            entry = {
                "path": display_path(f.path),
                "rewritten": f.rewritten,
                "skipped": f.skipped,
                "fixed": [item(v) for v in f.fixed],
                "left": [item(v, kind=kind, reason=reason) for v, kind, reason in f.left]
                + [item(v, kind="skipped", reason=f.skipped) for v in f.skipped_findings],
            }
            if diff:
                entry["diff"] = f.diff or ""
            files.append(entry)
        return {
            "format_version": JSON_FORMAT_VERSION,
            "tool": {"name": TOOL_NAME, "version": __version__},
            "target": dict(target),
            "mode": "diff" if diff else "write",
            "files": files,
            "totals": {"files_rewritten": self.rewritten, "fixed": self.fixed, "left": self.left_by_kind(),
                       "files_skipped": sum(1 for f in self.files if f.skipped)},
        }
