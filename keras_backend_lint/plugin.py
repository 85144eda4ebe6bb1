"""The flake8 adapter: a thin shell over the pure engine (one AST pass, no libcst).

flake8 imports this module in every run, also for files without keras and for editors linting one file per save:
it imports only what options and the fast path need. The engine and its checks are imported by the first file
that needs them (``benchmarks/plugin_profile.py startup`` counts what a one-file run pays)."""
from __future__ import annotations

import argparse
import ast
from typing import Any, Generator, Optional, Sequence, Tuple

from . import __version__, rules
from .fastpath import check_file
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


#: ``Plugin._project_codes`` when the target is not left to the project's files
_NOT_DEFERRED = object()


class Plugin:
    name = "keras-backend-lint"
    version = __version__
    _settings: Optional[Settings] = None
    #: the codes to report once the target is read from the project (see ``parse_options``)
    _project_codes: Any = _NOT_DEFERRED

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
        target = getattr(options, "keras_version", None)
        codes = _selected_codes(options)
        # without --keras-version the target comes from the project's dependency files; reading them (and importing
        # packaging's requirement parser) is left to the first file that needs a target, so a run over files
        # without keras never pays it
        cls._settings = Settings(target, codes=codes) if target is not None else None
        cls._project_codes = codes if target is None else _NOT_DEFERRED

    @classmethod
    def _current_settings(cls) -> Settings:
        if cls._settings is None:
            if cls._project_codes is _NOT_DEFERRED:  # never configured by flake8 (a direct call): as the CLI does
                from .engine import default_settings

                return default_settings()
            cls._settings = Settings(_project_target(), codes=cls._project_codes)
        return cls._settings

    def run(self) -> Generator[Result, None, None]:
        try:
            found = check_file(self.lines, self.tree, self._current_settings, project_for(self.filename, _INDEX))
        except Exception as exc:  # containment: one bad file must never abort the user's whole flake8 run
            message = rules.internal_error(exc)
            yield 1, 0, f"KBL000 {message}", type(self)
            return
        for v in found:
            yield v.line, v.col, v.text, type(self)
