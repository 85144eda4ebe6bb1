"""Documentation: generated parts are fresh, every rule page's examples do what they say, the site builds."""
import ast
import importlib.util
import re
import subprocess
import sys

import pytest
import yaml
from conftest import ROOT

from keras_backend_lint import rules
from keras_backend_lint.engine import Settings, check_tree
from keras_backend_lint.rule_docs import body, page
from keras_backend_lint.versions import parse_target

SECTIONS = ["What it does", "Why is this bad?", "Example", "Use instead", "Fix safety", "Options", "References"]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
TARGET = re.compile(r"^#\s*keras-version:\s*(.+?)\s*$", re.M)


def gen_docs():
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "tools" / "gen_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_docs_are_fresh(capsys):
    assert gen_docs().main(["--check"]) == 0, capsys.readouterr().out


def test_check_mode_notices_a_stale_page(tmp_path, monkeypatch, capsys):
    module = gen_docs()
    monkeypatch.setattr(module, "RULES_DIR", tmp_path)
    (tmp_path / "KBL999.md").write_text("old")
    assert module.main(["--check"]) == 1
    out = capsys.readouterr().out
    assert "KBL101.md" in out and "KBL999.md" in out


def sections(text):
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}, [parts[i] for i in range(1, len(parts), 2)]


@pytest.mark.parametrize("rule", rules.RULES, ids=[r.code for r in rules.RULES])
def test_rule_page_has_every_section(rule):
    text = body(rule.code)
    assert text is not None, f"keras_backend_lint/rule_docs/{rule.code}.md is missing"
    assert sections(text)[1] == SECTIONS
    generated = (ROOT / "docs" / "rules" / f"{rule.code}.md").read_text("utf-8")
    assert generated == page(rule)
    assert generated.startswith(f"# {rule.code}: {rule.name}\n")


def found_codes(code_text):
    match = TARGET.search(code_text)
    settings = Settings(parse_target(match.group(1) if match else "3"))
    return {v.code for v in check_tree(ast.parse(code_text), settings)}


# an internal error has no example to show; the KBL5xx examples are dependency files (test below)
EXAMPLES = [r for r in rules.RULES if r.code != "KBL000" and not r.code.startswith("KBL5")]
DEPENDENCY_EXAMPLES = [r for r in rules.RULES if r.code.startswith("KBL5")]
TEXT_BLOCK = re.compile(r"```text\n(.*?)```", re.S)


@pytest.mark.parametrize("rule", EXAMPLES, ids=[r.code for r in EXAMPLES])
def test_examples_trigger_the_rule_and_fixes_do_not(rule):
    parts = sections(body(rule.code))[0]
    examples = BLOCK.findall(parts["Example"])
    instead = BLOCK.findall(parts["Use instead"])
    assert examples and instead
    for block in examples:
        assert rule.code in found_codes(block), block
    for block in instead:
        assert found_codes(block) == set(), block


def dependency_codes(section, tmp_path):
    """Codes `check` reports for a project whose requirements.txt is the section's ```text blocks and whose
    app.py is its ```python blocks."""
    import io

    from keras_backend_lint.cli import main

    tmp_path.mkdir()
    (tmp_path / ".git").mkdir()  # keep the project lookup inside tmp_path
    (tmp_path / "requirements.txt").write_text("".join(TEXT_BLOCK.findall(section)))
    (tmp_path / "app.py").write_text("".join(BLOCK.findall(section)))
    out = io.StringIO()
    main(["check", str(tmp_path), "--format", "json"], stdout=out, stderr=io.StringIO())
    import json

    return {f["code"] for f in json.loads(out.getvalue())["findings"]}


@pytest.mark.parametrize("rule", DEPENDENCY_EXAMPLES, ids=[r.code for r in DEPENDENCY_EXAMPLES])
def test_dependency_examples_trigger_the_rule_and_fixes_do_not(rule, tmp_path):
    parts = sections(body(rule.code))[0]
    assert TEXT_BLOCK.findall(parts["Example"]) and TEXT_BLOCK.findall(parts["Use instead"])
    assert rule.code in dependency_codes(parts["Example"], tmp_path / "example")
    assert dependency_codes(parts["Use instead"], tmp_path / "instead") == set()


def test_kbl000_page_has_no_code_example():
    assert not BLOCK.findall(sections(body("KBL000"))[0]["Example"])


def nav_files():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    out = []

    def walk(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    return out


def test_every_page_is_in_the_nav_and_every_nav_entry_exists():
    docs = ROOT / "docs"
    pages = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md"))
    nav = nav_files()
    assert sorted(set(pages) - set(nav)) == []
    assert sorted(p for p in nav if not (docs / p).exists()) == []


def test_relative_links_resolve():
    docs = ROOT / "docs"
    broken = []
    for path in docs.rglob("*.md"):
        for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", path.read_text("utf-8")):
            if "://" not in target and not (path.parent / target).resolve().exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_readme_quick_start_and_sections():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "pip install . && flake8 --extend-select=KBL --keras-version=3 examples/legacy_keras" in readme
    assert 'pip install -e ".[test]" && python -m pytest' in readme
    for rule in rules.RULES:
        assert f"[{rule.code}](docs/rules/{rule.code}.md)" in readme
    assert "## CLI" in readme and "## pre-commit" in readme
    assert "additional_dependencies: [keras-backend-lint]" in readme


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None,
                    reason="mkdocs is not installed (tox -e docs builds the site)")
def test_mkdocs_build_strict(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
