"""Which files are worth a parse and a walk: substring tests, no parse, none of the checks imported."""
from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, List, Sequence

if TYPE_CHECKING:
    from .report import Violation
    from .settings import Settings


def mentions_keras(text: str) -> bool:
    """The fast path: a file that never spells keras cannot use the backend (a substring test, no parse).

    Python reads identifiers NFKC-normalised (``ｋｅｒａｓ`` is ``keras``), so non-ASCII text is normalised first."""
    if "keras" in text or "KERAS_BACKEND" in text:
        return True
    if text.isascii():
        return False
    import unicodedata

    normal = unicodedata.normalize("NFKC", text)
    return "keras" in normal or "KERAS_BACKEND" in normal


def needs_check(text: str, project=None) -> bool:
    """The fast path: a file that never spells keras can still reach the backend through a project module that
    re-exports it (``from mypkg.backend import K``)."""
    return mentions_keras(text) or (project is not None and project.imports_reexport(text))


def check_file(lines: Sequence[str], tree: ast.AST, settings_for: Callable[[], "Settings"], project=None
               ) -> List["Violation"]:
    """The flake8 plugin's work on one file (and ``engine.check_lines``'s): the fast path, then the engine, imported
    here, by the first file that needs it. ``settings_for`` is called only then: the plugin may still have to read
    the project's dependency files for its target."""
    text = "".join(lines)
    if not needs_check(text, project):
        return []
    from .engine import check_tree

    return check_tree(tree, settings_for(), text=text, project=project)
