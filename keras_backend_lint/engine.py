"""The pure engine: source or tree in, sorted violations out. No flake8, no libcst, no keras import."""
from __future__ import annotations

import ast
import warnings
from typing import List, Optional, Sequence

from .walk import analyse
from .checks import CHECKS, Settings
from .checks.keras_imports import judge_for
from .fastpath import check_file, mentions_keras, needs_check
from .report import Violation
from .surface import load
from .versions import Target, resolve_target

__all__ = ["Settings", "check_tree", "check_source", "check_lines", "mentions_keras", "needs_check",
           "default_settings"]


def default_settings(target: Optional[Target] = None) -> Settings:
    return Settings(target=target or resolve_target(None))


def check_tree(tree: ast.AST, settings: Settings, text: Optional[str] = None, project=None) -> List[Violation]:
    """All violations in ``tree``, sorted by position; ``settings.codes`` limits the codes (None: all).

    ``text`` (the source of ``tree``) is optional; with it, only statements that mention keras-bound names are
    walked in full, which is what keeps the flake8 plugin cheap. ``project`` (a ``reexports.Project``) follows
    names imported from the project's own modules that re-export the backend.
    """
    # with the text, the import rules' judge tells the walk which `layers.merge` lines it must see
    chains = judge_for(load(), settings) if text is not None and settings.enabled("KBL108") else None
    layer_calls = settings.enabled("KBL401")
    if project is not None and text is not None:
        project = project.reading(text, layer_calls)  # look up only the imported names used where they can matter
    info = analyse(tree, text, layer_calls=layer_calls, project=project, chains=chains)
    if not (info.imports or info.attributes):
        return []
    api = load()
    found = set()
    for check in CHECKS:
        found.update(check(info, settings, api))
    if settings.codes is not None:
        found = {v for v in found if v.code in settings.codes}
    # the dataclass order, compared as plain tuples (its generated __lt__ runs in Python for every comparison)
    return sorted(found, key=lambda v: (v.line, v.col, v.code, v.message))


def check_source(source: str, settings: Settings, filename: str = "<unknown>") -> List[Violation]:
    """Parse and check; raises SyntaxError/ValueError for unparsable input (callers report it)."""
    if not mentions_keras(source):
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escapes warn (error under -W error); the CLI parses the same way
        tree = ast.parse(source, filename=filename)
    return check_tree(tree, settings, text=source)


def check_lines(lines: Sequence[str], tree: ast.AST, settings: Settings, project=None) -> List[Violation]:
    """What the flake8 plugin does with a file (``fastpath.check_file``), with settings at hand."""
    return check_file(lines, tree, lambda: settings, project)
