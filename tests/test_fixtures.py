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
    found = sorted((v.line, v.col + 1, v.code, v.message) for v in check_tree(ast.parse(text), settings))
    assert found == expected(text)


def test_fixture_folder_is_not_empty():
    assert len(CASES) >= 10
