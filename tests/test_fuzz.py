"""Property tests: the checker, the flake8 plugin and the fixer never raise on any program.

Programs come from ``hypothesmith`` (the Python grammar and random ASTs) and from ``strategies.py`` (programs that
bind and use the Keras backend every way we know). CI runs a bounded number of examples; the long run is

    KBL_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py -p no:cacheprovider

(or ``python tools/fuzz_long.py``, which does the same and prints the timings).
"""
from __future__ import annotations

import ast
import importlib.util
import os
import sys
import warnings

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_backend_lint import rules
from keras_backend_lint.checks import Settings
from keras_backend_lint.engine import check_source, check_tree
from keras_backend_lint.plugin import Plugin
from keras_backend_lint.versions import parse_target

import strategies as S

EXAMPLES = int(os.environ.get("KBL_FUZZ_EXAMPLES", 100))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
    derandomize=os.environ.get("KBL_FUZZ_RANDOM") is None and EXAMPLES <= 100,
    database=None,
)
#: hypothesmith is slow per example; the bounded run gives it fewer examples than the cheap keras strategies
GRAMMAR = settings(FUZZ, max_examples=max(10, EXAMPLES // 4) if EXAMPLES <= 100 else EXAMPLES)
#: the fixer (libcst) and the secondary properties get half the bounded budget; the long run gives them all of it
HALF = settings(FUZZ, max_examples=max(10, EXAMPLES // 2) if EXAMPLES <= 100 else EXAMPLES)

SETTINGS = [Settings(parse_target(t)) for t in S.TARGETS]
PREFIXES = ["", "from keras import backend as K\n", "import tensorflow as tf\nK = tf.keras.backend\n"]

#: what ast.parse itself may raise for input it cannot build a tree for; the engine documents passing these on
PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)


def _parse(source: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarning (invalid escapes) must not become an error here
        return ast.parse(source)


def _assert_violations(found) -> None:
    for v in found:
        assert v.line >= 1 and v.col >= 0, v
        assert v.code in rules.BY_CODE, v
        assert v.code != "KBL000", f"internal error reported: {v.message}"
        assert "\n" not in v.message, v


def _run_plugin(tree, source: str):
    for settings_ in SETTINGS:
        Plugin._settings = settings_
        try:
            results = list(Plugin(tree, source.splitlines(keepends=True)).run())
        finally:
            Plugin._settings = None
        for line, col, text, kind in results:
            assert isinstance(line, int) and isinstance(col, int) and kind is Plugin
            assert not text.startswith("KBL000"), text


def _check_all(source: str) -> None:
    try:
        tree = _parse(source)
    except PARSE_ERRORS:
        for settings_ in SETTINGS:
            try:
                check_source(source, settings_)
            except PARSE_ERRORS:
                pass  # unparsable input: the documented contract, callers turn it into a diagnostic
        return
    for settings_ in SETTINGS:
        _assert_violations(check_tree(tree, settings_))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _assert_violations(check_source(source, settings_))
    _run_plugin(tree, source)


# -- the checker and the plugin ----------------------------------------------------------------------------------


@GRAMMAR
@given(source=hypothesmith.from_grammar(), prefix=st.sampled_from(PREFIXES))
def test_checker_and_plugin_never_raise_on_grammar_programs(source, prefix):
    _check_all(prefix + source)


@GRAMMAR
@given(tree=hypothesmith.from_node())
def test_checker_never_raises_on_random_ast(tree):
    source = tree if isinstance(tree, str) else ast.unparse(tree)
    _check_all("import keras\nfrom keras import backend as K\n" + source)


@FUZZ
@given(source=S.valid_keras_programs())
def test_checker_and_plugin_never_raise_on_keras_programs(source):
    tree = _parse(source)
    for settings_ in SETTINGS:
        found = check_tree(tree, settings_)
        _assert_violations(found)
        assert found == sorted(found)
    _run_plugin(tree, source)


@FUZZ
@given(source=S.keras_programs())
def test_checker_never_raises_on_mangled_keras_programs(source):
    _check_all(source)


@HALF
@given(source=S.valid_keras_programs())
def test_checker_is_deterministic(source):
    tree = _parse(source)
    first = check_tree(tree, SETTINGS[0])
    assert check_tree(_parse(source), SETTINGS[0]) == first


# -- the fixer ---------------------------------------------------------------------------------------------------


HAVE_FIXER = importlib.util.find_spec("keras_backend_lint.fixer") is not None
needs_fixer = pytest.mark.skipif(not HAVE_FIXER, reason="keras_backend_lint/fixer.py not present")


def _fixer():
    from keras_backend_lint import fixer

    return fixer


def _fix_properties(source: str, unsafe: bool) -> None:
    fixer = _fixer()
    try:
        _parse(source)
    except PARSE_ERRORS:
        return
    for settings_ in SETTINGS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            try:
                once = fixer.fix_source(source, settings_, unsafe=unsafe)
            except fixer.UnsupportedSyntax:
                # valid Python libcst cannot parse (a form feed starting a nested line): refused, never mangled
                import libcst

                with pytest.raises(libcst.ParserSyntaxError):
                    libcst.parse_module(source)
                continue
            assert isinstance(once, str)
            _parse(once)  # the output always parses
            twice = fixer.fix_source(once, settings_, unsafe=unsafe)
        assert twice == once, f"fixing is not idempotent for target {settings_.target.text}"


@needs_fixer
@HALF
@given(source=S.valid_keras_programs(), unsafe=st.booleans())
def test_fixer_output_parses_and_is_idempotent_on_keras_programs(source, unsafe):
    _fix_properties(source, unsafe)


@needs_fixer
@GRAMMAR
@given(source=hypothesmith.from_grammar(), prefix=st.sampled_from(PREFIXES))
def test_fixer_never_raises_on_grammar_programs(source, prefix):
    _fix_properties(prefix + source, unsafe=True)


@needs_fixer
@HALF
@given(source=S.keras_programs())
def test_fixer_never_raises_unexpectedly_on_mangled_programs(source):
    """Unparsable input may be refused with a parse error, but nothing else may escape."""
    fixer = _fixer()
    try:
        _parse(source)
    except PARSE_ERRORS:
        import libcst

        try:
            fixer.fix_source(source, SETTINGS[0])
        except (*PARSE_ERRORS, libcst.ParserSyntaxError):
            pass
        return
    _fix_properties(source, unsafe=False)


@FUZZ
@given(source=S.odd_whitespace_programs())
def test_checker_and_plugin_never_raise_on_odd_whitespace(source):
    _check_all(source)


@needs_fixer
@HALF
@given(source=S.odd_whitespace_programs(), unsafe=st.booleans())
def test_fixer_keeps_odd_whitespace_programs_valid(source, unsafe):
    """Form feeds, lone CRs and U+2028 in comments once shifted the fixer's line table (edits landed on the wrong
    line, a line break was dropped): the output must still parse and be a fixed point."""
    _fix_properties(source, unsafe)


@needs_fixer
def test_fixer_refuses_what_libcst_cannot_parse():
    source = "from keras import backend as K\nclass L(Layer):\n    def call(self, x):\n\x0c        return K.mean(x)\n"
    ast.parse(source)
    fixer = _fixer()
    with pytest.raises(fixer.UnsupportedSyntax, match="libcst cannot parse"):
        fixer.fix_source(source, SETTINGS[0])


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("from keras import backend as K\n# a\x0cb\nK.mean(x)\n", id="form-feed-in-comment"),
        pytest.param("from keras import backend as K\nx = 1\x0c\nK.mean(x)\n", id="form-feed-before-newline"),
        pytest.param("from keras import backend as K\ns = '\u2028'\nK.mean(x)\n", id="u2028-in-string"),
        pytest.param("from keras import backend as K\nK.mean(x)\rK.sum(x)\n", id="lone-cr-between-edits"),
        pytest.param("from keras import backend as K\nK.mean(x)\r", id="lone-cr-at-end"),
    ],
)
@needs_fixer
def test_fixer_regressions_line_table(source):
    fixer = _fixer()
    fixed = fixer.fix_source(source, SETTINGS[0])
    ast.parse(fixed)
    assert "K." not in fixed, fixed  # every K.* use was rewritten, none left pointing at a removed import
    assert fixed.count("\r") == source.count("\r")
    assert fixer.fix_source(fixed, SETTINGS[0]) == fixed


def _normalise(text: str) -> str:
    return S.MARKER_COMMENT.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


@HALF
@given(pair=S.same_program_other_whitespace(), unsafe=st.booleans())
def test_line_endings_and_fake_breaks_change_nothing(pair, unsafe):
    """Metamorphic: other line endings and U+2028/form feeds in comments move no finding and no fix."""
    plain, odd = pair
    tree_plain, tree_odd = _parse(plain), _parse(odd)
    for settings_ in SETTINGS:
        assert check_tree(tree_odd, settings_) == check_tree(tree_plain, settings_)
    if HAVE_FIXER:
        fixer = _fixer()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            fixed_plain = fixer.fix_source(plain, SETTINGS[0], unsafe=unsafe)
            fixed_odd = fixer.fix_source(odd, SETTINGS[0], unsafe=unsafe)
        assert _normalise(fixed_odd) == _normalise(fixed_plain)


@HALF
@given(source=st.one_of(S.odd_whitespace_programs(), S.valid_keras_programs()))
def test_cli_reports_what_the_engine_finds(source):
    """The CLI's per-file path (parse, check, columns, noqa on tokenizer lines) agrees with the engine."""
    from keras_backend_lint import cli

    enabled = cli.enabled_codes()
    for settings_ in SETTINGS[:2]:
        found, errors = cli.check_text("f.py", source, settings_, enabled)
        assert errors == []
        expected = [(v.line, v.col + 1, v.code) for v in check_tree(_parse(source), settings_) if v.code in enabled]
        assert sorted((f.line, f.column, f.code) for f in found) == sorted(expected)


def _fast_path_agrees(source: str) -> None:
    tree = _parse(source)
    for settings_ in SETTINGS:
        full = check_tree(tree, settings_)
        assert check_tree(tree, settings_, text=source) == full, "the text fast path changed the findings"
        Plugin._settings = settings_
        try:
            plugin = [(line, col, text) for line, col, text, _ in Plugin(tree, source.splitlines(True)).run()]
        finally:
            Plugin._settings = None
        assert plugin == [(v.line, v.col, v.text) for v in full]


@FUZZ
@given(source=st.one_of(S.valid_keras_programs(), S.odd_whitespace_programs()))
def test_fast_path_and_plugin_agree_with_the_full_walk(source):
    """check_tree(text=...) skips statements that cannot matter (the plugin's speed path): it must find exactly
    what the full walk finds, whatever the line endings, form feeds or U+2028 in the file."""
    _fast_path_agrees(source)


@GRAMMAR
@given(source=hypothesmith.from_grammar(), prefix=st.sampled_from(PREFIXES))
def test_fast_path_agrees_on_grammar_programs(source, prefix):
    try:
        _parse(prefix + source)
    except PARSE_ERRORS:
        return
    _fast_path_agrees(prefix + source)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match statements need Python 3.10")
def test_plugin_walks_a_match_statement_that_mentions_the_backend():
    # found by the fuzz test above: a match statement has cases, not a body, and is walked as one header
    source = "match x:\n    case K:\n        from keras import backend as K\n"
    _run_plugin(ast.parse(source), source)
