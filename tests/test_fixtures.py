"""Every annotated fixture file gives exactly its annotated (line, col, code, message) list."""
import ast

import pytest
from conftest import FIXTURES
from fixture_format import expected, fixtures, target_of

from keras_backend_lint.engine import Settings, check_tree
from keras_backend_lint.versions import parse_target

CASES = fixtures(FIXTURES / "check")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture(path):
    text = path.read_text("utf-8")
    settings = Settings(parse_target(target_of(text)))
    found = sorted((v.line, v.col + 1, v.code, v.message) for v in check_tree(ast.parse(text), settings, text=text))
    assert found == expected(text)


def test_fixture_folder_is_not_empty():
    assert len(CASES) >= 10


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_without_source_text_walks_everything_and_agrees(path):
    """The line pre-selection is an optimisation only: the full walk must find exactly the same."""
    text = path.read_text("utf-8")
    settings = Settings(parse_target(target_of(text)))
    tree = ast.parse(text)
    assert check_tree(tree, settings) == check_tree(tree, settings, text=text)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_with_default_codes_agrees_with_the_full_walk(path):
    """With KBL401 off (the default), TensorFlow-only lines are skipped: nothing else may change."""
    from keras_backend_lint import rules

    text = path.read_text("utf-8")
    codes = frozenset(r.code for r in rules.RULES if r.default_enabled)
    settings = Settings(parse_target(target_of(text)), codes=codes)
    tree = ast.parse(text)
    full = [v for v in check_tree(tree, Settings(settings.target)) if v.code in codes]
    assert check_tree(tree, settings, text=text) == full
