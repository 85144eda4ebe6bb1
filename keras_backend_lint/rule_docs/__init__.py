"""The rule pages: one Markdown body per code here (the single source), a header generated from ``rules.py``.

``keras-backend-lint explain`` prints :func:`page`; ``tools/gen_docs.py`` writes the same text to
``docs/rules/KBLxxx.md`` and fails in ``--check`` mode when a page there is stale. Edit the bodies here, never the
generated pages.
"""
from __future__ import annotations

from importlib import resources
from typing import Optional

from .. import rules

FIX_TEXT = {
    rules.SAFE: "safe (`keras-backend-lint fix` applies it by default)",
    rules.UNSAFE: "unsafe (applied only with `--unsafe-fixes`)",
    rules.VARIES: "varies per name: safe, unsafe or none (see Fix safety below)",
    rules.NO_FIX: "none (no automatic fix)",
}
GENERATED = (
    "<!-- generated from keras_backend_lint/rules.py and keras_backend_lint/rule_docs/{code}.md"
    " by tools/gen_docs.py; edit those -->"
)


def body(code: str) -> Optional[str]:
    """The hand-written sections of a rule's page, or None when there is none."""
    try:
        return resources.files(__name__).joinpath(f"{code}.md").read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


def header(rule: rules.Rule) -> str:
    default = "on" if rule.default_enabled else "off (enable with `--extend-select " + rule.code + "`)"
    return (
        f"# {rule.code}: {rule.name}\n\n"
        f"{GENERATED.format(code=rule.code)}\n\n"
        f"{rule.summary}.\n\n"
        f"| | |\n| --- | --- |\n"
        f"| Code | `{rule.code}` |\n"
        f"| Name | `{rule.name}` |\n"
        f"| Family | {rule.family} |\n"
        f"| Default | {default} |\n"
        f"| Fix | {FIX_TEXT.get(rule.fix, rule.fix)} |\n"
        f"| Message | `{rule.message}` |\n"
    )


def page(rule: rules.Rule) -> str:
    text = body(rule.code)
    if text is None:
        text = "## What it does\n\n" + rule.summary + ".\n"
    return header(rule) + "\n" + text.rstrip("\n") + "\n"
