"""The autofixer: rewrite legacy ``keras.backend`` use to Keras 3, keeping behaviour.

The fixer consumes the checker's findings (after the command's ``noqa`` and per-file filters) and never has a
second opinion: every finding handed in comes back either fixed or left with a kind and a reason.

Modules: ``plan``/``findings`` decide every edit on the ``ast`` tree (per call site: which spelling, which import,
safe or not); ``rewrites/`` hold the per-name rewrites that are more than a renamed call; ``branches`` the dead
backend branches; ``execute`` applies the plan with libcst (imported only for files with something to fix).
"""
from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass
from typing import Collection, FrozenSet, Iterable, Optional, Tuple

from .. import rules
from ..engine import check_tree, mentions_keras
from ..report import Violation
from .execute import execute as _execute
from ..fixes.imports_moved import CODES as MOVED_IMPORT_CODES
from ..fixes.imports_moved import fix_moved
from .findings import plan_findings
from .plan import MANUAL, NOT_FIXED, UNSAFE_KIND, Plan

__all__ = [
    "FIXABLE_CODES", "FixResult", "Plan", "UnsupportedSyntax", "fix_source", "fix_text", "plan_fixes",
    "selected_codes", "MANUAL", "NOT_FIXED", "UNSAFE_KIND",
]

FIXABLE_CODES: Tuple[str, ...] = tuple(r.code for r in rules.RULES if r.fix != rules.NO_FIX)


class UnsupportedSyntax(ValueError):
    """Valid Python that libcst cannot parse (e.g. a form feed starting a line in a nested block): not fixed."""


@dataclass(frozen=True)
class FixResult:
    #: the new source; ``is`` the input when nothing changed
    text: str
    fixed: Tuple[Violation, ...] = ()
    #: (finding, kind, reason); kind: "unsafe" (needs --unsafe-fixes), "manual" (no automatic fix),
    #: "not-fixed" (a fix exists but not at this call site)
    left: Tuple[Tuple[Violation, str, str], ...] = ()


def selected_codes(select: Optional[Iterable[str]], ignore: Optional[Iterable[str]]) -> FrozenSet[str]:
    """The fixable codes left after ``--select``/``--ignore`` (codes or prefixes such as ``KBL2``)."""
    def matches(code: str, patterns: Iterable[str]) -> bool:
        return any(code.startswith(p.strip().upper()) for p in patterns if p.strip())

    codes = set(FIXABLE_CODES)
    if select:
        codes = {c for c in codes if matches(c, select)}
    if ignore:
        codes = {c for c in codes if not matches(c, ignore)}
    return frozenset(codes)


def plan_fixes(
    tree: ast.Module, source: str, settings, *, unsafe: bool = False, codes=None, findings=None, reexports=None
) -> Plan:
    """Decide every edit on the ast tree. ``findings``: what to fix (default: the checker's findings whose code is
    in ``codes``, default every fixable code); ``reexports``: the project index ``check`` used, if any."""
    if findings is None:
        codes = frozenset(FIXABLE_CODES) if codes is None else codes
        findings = [v for v in check_tree(tree, settings, text=source, project=reexports) if v.code in codes]
    return plan_findings(tree, source, settings, findings, unsafe=unsafe, reexports=reexports)


def fix_text(
    source: str, settings, *, unsafe: bool = False, findings: Optional[Collection[Violation]] = None, codes=None,
    reexports=None,
) -> FixResult:
    """Fix ``findings`` (default: every finding of ``settings`` whose code is in ``codes``) in ``source``, and
    account for each one.

    Raises SyntaxError/ValueError for input that does not parse (callers report it), including
    ``UnsupportedSyntax`` for valid Python that libcst cannot parse.
    """
    if (findings is None and not mentions_keras(source)) or (findings is not None and not findings):
        return FixResult(source)  # nothing to fix, nothing to account for
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes warn (error under -W error); not a reason to skip a file
        tree = ast.parse(source)
    if findings is None and codes is None:
        codes = frozenset(v.code for v in rules.RULES)
    plan = plan_fixes(tree, source, settings, unsafe=unsafe, codes=codes, findings=findings, reexports=reexports)
    # KBL106/KBL107 (moved keras.* imports) are whole-statement text edits by fixes/imports_moved.py, applied last
    moved = [item for item in plan.left if item[0].code in MOVED_IMPORT_CODES and item[0].fix == rules.SAFE]
    if not plan and not moved:
        return FixResult(source, (), tuple(plan.left))
    fixed = source
    if plan:
        import libcst as cst

        try:
            fixed = _execute(source, plan, tree)
        except cst.ParserSyntaxError as exc:
            detail = " ".join(str(exc).splitlines()[:2])
            raise UnsupportedSyntax(f"libcst cannot parse this file ({detail}); not fixed") from None
    done: Tuple[Violation, ...] = tuple(plan.fixed) if fixed != source else ()
    left = list(plan.left)
    if moved:
        fixed, moved_done = fix_moved(fixed, source, tree, [item[0] for item in moved], settings)
        done += tuple(moved_done)
        left = [item for item in left if item[0] not in moved_done]
    if fixed == source:
        return FixResult(source, (), tuple(left))
    return FixResult(fixed, done, tuple(left))


def fix_source(source: str, settings, *, unsafe: bool = False, select=None, ignore=None) -> str:
    """Return ``source`` rewritten to Keras 3; the same object when nothing applies."""
    if not mentions_keras(source):
        return source
    codes = selected_codes(select, ignore)
    if not codes:
        return source
    return fix_text(source, settings, unsafe=unsafe, codes=codes).text
