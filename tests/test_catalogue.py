"""Meta-tests over the rule catalogue (wemake-python-styleguide style)."""
import re

import pytest
from conftest import FIXTURES, ROOT
from fixture_format import expected

from keras_backend_lint import rules

CODES = [rule.code for rule in rules.RULES]
FAMILY_OF_DIGIT = {"0": "tool", "1": "imports", "2": "attributes", "3": "selection", "4": "layers", "5": "environment",
                   "9": "opinionated"}


def _fixture_codes():
    codes = set()
    for path in (FIXTURES / "check").glob("*.py"):
        codes.update(code for _, _, code, _ in expected(path.read_text("utf-8")))
    # KBL5xx fire on dependency files: fixture projects with an expected.txt of output lines (tests/test_deps.py)
    for path in (FIXTURES / "deps").glob("*/expected.txt"):
        codes.update(re.findall(r"^\S+:\d+:\d+: (KBL\d{3}) ", path.read_text("utf-8"), re.M))
    return codes


def test_codes_are_unique_and_well_formed():
    assert len(CODES) == len(set(CODES))
    for code in CODES:
        assert re.fullmatch(r"KBL\d{3}", code)
        assert code[3] in FAMILY_OF_DIGIT


def test_names_are_unique_kebab_case():
    names = [rule.name for rule in rules.RULES]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)


@pytest.mark.parametrize("rule", rules.RULES, ids=CODES)
def test_message_style(rule):
    message = rule.message
    assert message[0].islower() or message[0] == "{"
    assert not message.endswith(".")
    assert message == message.strip()
    assert rule.code not in message


def test_messages_are_unique():
    messages = [rule.message for rule in rules.RULES]
    assert len(messages) == len(set(messages))


@pytest.mark.parametrize("rule", rules.RULES, ids=CODES)
def test_fix_kind_is_known(rule):
    assert rule.fix in (rules.SAFE, rules.UNSAFE, rules.NO_FIX, rules.VARIES)


def test_opinionated_family_is_off_by_default():
    for rule in rules.RULES:
        if rule.code.startswith("KBL9"):
            assert not rule.default_enabled
    assert set(rules.DEFAULT_DISABLED) == {r.code for r in rules.RULES if not r.default_enabled}


@pytest.mark.parametrize("rule", [r for r in rules.RULES if r.code != "KBL000"], ids=lambda r: r.code)
def test_every_rule_has_a_triggering_fixture(rule):
    # KBL000 (internal error) is triggered by fault injection in the robustness tests instead
    assert rule.code in _fixture_codes()


@pytest.mark.parametrize("rule", rules.RULES, ids=CODES)
def test_every_rule_has_a_docs_page(rule):
    page = ROOT / "docs" / "rules" / f"{rule.code}.md"
    assert page.is_file(), f"missing {page}"
    text = page.read_text("utf-8")
    assert rule.code in text and rule.name in text


@pytest.mark.parametrize("rule", [r for r in rules.RULES if r.fix != rules.NO_FIX], ids=lambda r: r.code)
def test_every_fixable_rule_has_a_golden_fix_file(rule):
    assert list((FIXTURES / "fix").glob(f"{rule.code}*")), f"no golden fix file for {rule.code}"


def test_rule_objects_are_reachable_by_code():
    for rule in rules.RULES:
        assert rules.BY_CODE[rule.code] is rule
