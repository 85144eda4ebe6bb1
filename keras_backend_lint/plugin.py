"""The flake8 adapter: a thin shell over the pure engine (one AST pass, no libcst).

flake8 imports this module in every run, also for files without keras and for editors linting one file per save:
it imports only what options and the fast path need. The engine and its checks are imported by the first file
that needs them (``benchmarks/plugin_profile.py startup`` counts what a one-file run pays)."""
from __future__ import annotations

import argparse
import ast
from typing import Any, Generator, Optional, Sequence, Tuple

from . import __version__, rules
from .fastpath import needs_check
from .reexports import ProjectIndex, project_for
from .settings import Settings
from .versions import TargetError, parse_target

Result = Tuple[int, int, str, type]
#: project modules re-exporting the backend, read on demand once per flake8 process (any module of the project)
_INDEX = ProjectIndex()


def _target_type(value: str):
    """argparse ``type=``: flake8 also feeds config-file values through it, so both fail the same clear way."""
    try:
        return parse_target(value, "--keras-version")
    except TargetError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _selected_codes(options: argparse.Namespace):
    """The codes flake8 will show, by flake8's own decision rules; None (all) when that cannot be known."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return frozenset(rule.code for rule in rules.RULES if engine.decision_for(rule.code) is Decision.Selected)
    except Exception:  # a flake8 without this API: do all the work, flake8 still filters the output
        return None


def _project_target():
    """No --keras-version: what the project in the working directory (where flake8 runs) declares, else the
    installed keras, else the newest Keras 3, as ``keras-backend-lint check`` decides."""
    from .versions import resolve_target

    try:
        return resolve_target(None, project=".")
    except Exception:  # containment: reading the project's files must never abort the user's flake8 run
        return resolve_target(None)


class Plugin:
    name = "keras-backend-lint"
    version = __version__
    _settings: Optional[Settings] = None

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str = "") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--keras-version",
            default=None,
            type=_target_type,
            parse_from_config=True,
            metavar="VERSION",
            help="Target Keras version or range, e.g. 3, 2.15, 3.6.0 or '>=2.12,<3.4' "
            "(default: the keras/tensorflow pins the project declares, else the installed keras, else the newest "
            "Keras 3 known)",
        )
        option_manager.extend_default_ignore(list(rules.DEFAULT_DISABLED))

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        target = getattr(options, "keras_version", None) or _project_target()
        cls._settings = Settings(target, codes=_selected_codes(options))

    def run(self) -> Generator[Result, None, None]:
        try:
            text = "".join(self.lines)
            project = project_for(self.filename, _INDEX)
            if not needs_check(text, project):
                return
            from .engine import check_tree, default_settings

            found = check_tree(self.tree, self._settings or default_settings(), text=text, project=project)
        except Exception as exc:  # containment: one bad file must never abort the user's whole flake8 run
            message = rules.internal_error(exc)
            yield 1, 0, f"KBL000 {message}", type(self)
            return
        for v in found:
            yield v.line, v.col, v.text, type(self)
