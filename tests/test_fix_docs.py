"""The before/after examples in docs/fixes.md are what the fixer does (for the target each one names)."""
import re
from pathlib import Path

import pytest

from keras_backend_lint.engine import default_settings
from keras_backend_lint.fixer import fix_source
from keras_backend_lint.versions import resolve_target

DOC = Path(__file__).resolve().parent.parent / "docs" / "fixes.md"
EXAMPLE = re.compile(r"<!-- fix-example target=(?P<target>[^ ]+) -->\s*```python\n(?P<before>.*?)```\s*```python\n"
                     r"(?P<after>.*?)```", re.S)
EXAMPLES = list(EXAMPLE.finditer(DOC.read_text("utf-8")))


def test_the_page_has_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("match", EXAMPLES, ids=lambda m: f"line{m.string.count(chr(10), 0, m.start()) + 1}")
def test_example(match):
    settings = default_settings(resolve_target(match.group("target")))
    assert fix_source(match.group("before"), settings) == match.group("after")
