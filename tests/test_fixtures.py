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


def test_an_alias_met_by_the_walk_makes_it_walk_again_with_the_alias_selected():
    """The pre-selected walk learns of aliases as it goes: ``K2 = K`` (visited: it spells K) makes K2
    interesting, so lines that spell only K2 or K3 are walked on a second pass; without aliases there is one."""
    from keras_backend_lint import walk

    source = "from keras import backend as K\nK2 = K\nK3 = K2\n\n\ndef f(x):\n    return K3.mean(x) + K2.sum(x)\n"
    calls = []
    original = walk.analyse

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    walk.analyse = counting
    try:
        found = check_tree(ast.parse(source), Settings(parse_target("3")), text=source)
    finally:
        walk.analyse = original
    shown = [(v.line, v.code, v.message.split()[0]) for v in found]
    assert shown == [(7, "KBL201", "K3.mean"), (7, "KBL201", "K2.sum")]
    assert len(calls) == 1  # the second walk (the engine holds its own reference; analyse calls the module's)
    plain = "from keras import backend as K\n\n\ndef f(x):\n    return K.mean(x)\n"
    info = walk.analyse(ast.parse(plain), plain)
    assert info.alias_nodes == []


def test_keras_lines_are_counted_in_the_lowered_text():
    """``"İ".lower()`` is two characters: the word keras is searched in the lowered text, so its lines must be
    counted there too, or a weak name's line (``tf.keras``) lands on the wrong line and is not walked."""
    source = "import tensorflow as tf\n# " + "İ" * 200 + "\nx = 1\ny = tf.keras.backend.image_dim_ordering()\n"
    source += "z = 2\n" * 50
    settings = Settings(parse_target("3"), codes=frozenset({"KBL201"}))  # KBL401 off: tf is a weak name
    walked = [(v.line, v.code) for v in check_tree(ast.parse(source), settings, text=source)]
    assert walked == [(v.line, v.code) for v in check_tree(ast.parse(source), settings)] == [(4, "KBL201")]
