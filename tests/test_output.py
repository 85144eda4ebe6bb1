"""Output formats: SARIF validates against the published 2.1.0 schema, JSON keeps its documented shape."""
import io
import json

import pytest
from conftest import ROOT

from keras_backend_lint import cli, output, rules
from keras_backend_lint.output import FileError, Finding, Report

SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def sample_report():
    return Report(
        findings=[
            Finding("src/a.py", 3, 5, "KBL201", "K.mean is not in keras.backend; use keras.ops.mean", rules.SAFE, 5),
            Finding("src/b c.py", 1, 9, "KBL204", "K.tf is the tensorflow module", rules.SAFE, 6),
            Finding("/abs/x.py", 1, 1, "KBL000", rules.KBL000.format(error="RuntimeError: x"), rules.NO_FIX, 1),
        ],
        errors=[FileError("gone.py", 1, 1, "E902", "cannot read file: No such file or directory"),
                FileError("bad.py", 2, 7, "E999", "SyntaxError: invalid syntax")],
        files_checked=5,
        target={"keras": "3.x", "spec": "3", "source": "--keras-version"},
    )


def validate(document):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(document)


def test_schema_is_the_published_one():
    schema = json.loads(SCHEMA.read_text("utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json") and "2.1.0" in schema["title"]


def test_sarif_validates_and_carries_rule_metadata():
    doc = output.as_sarif(sample_report())
    validate(doc)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules.RULES]
    for rule in driver["rules"]:
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md")
    kbl401 = next(r for r in driver["rules"] if r["id"] == "KBL401")
    assert kbl401["defaultConfiguration"]["enabled"] is False
    first = run["results"][0]
    assert first["ruleId"] == driver["rules"][first["ruleIndex"]]["id"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert uris == ["file:///abs/x.py", "src/a.py", "src/b%20c.py"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["descriptor"]["id"] for n in notes] == ["E999", "E902"]
    assert run["invocations"][0]["executionSuccessful"] is False


def test_sarif_from_the_cli_validates_with_unicode_columns(tmp_path):
    (tmp_path / "u.py").write_text("from keras import backend as K\nx = ('é', K.mean(1))\n", "utf-8")
    (tmp_path / "broken.py").write_text("import keras\n(\n")
    out = io.StringIO()
    code = cli.main(["check", "--format", "sarif", "--keras-version", "3", str(tmp_path)], stdout=out,
                    stderr=io.StringIO())
    doc = json.loads(out.getvalue())
    validate(doc)
    assert code == 1
    region = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 2, "startColumn": 11}  # code points; flake8's byte column would be 12


def test_json_shape_is_stable():
    doc = output.as_json(sample_report())
    assert list(doc) == ["format_version", "tool", "target", "files_checked", "findings", "errors", "statistics"]
    assert doc["format_version"] == 1
    assert list(doc["findings"][0]) == ["path", "line", "column", "code", "name", "message", "fix", "url"]
    assert list(doc["errors"][0]) == ["path", "line", "column", "code", "message"]
    assert doc["statistics"] == {"KBL000": 1, "KBL201": 1, "KBL204": 1}
    assert doc["findings"][0]["path"] == "/abs/x.py"  # sorted by path, line, column
    json.dumps(doc)


def test_json_shape_is_documented():
    page = (ROOT / "docs" / "output-formats.md").read_text("utf-8")
    doc = output.as_json(sample_report())
    for key in [*doc, *doc["findings"][0], *doc["errors"][0], *doc["target"]]:
        assert f'"{key}"' in page, key


def test_text_format_and_statistics():
    out = io.StringIO()
    output.write(sample_report(), "text", out, statistics=True)
    lines = out.getvalue().splitlines()
    assert lines[0] == "/abs/x.py:1:1: KBL000 " + rules.KBL000.format(error="RuntimeError: x")
    assert "bad.py:2:7: E999 SyntaxError: invalid syntax" in lines
    assert lines[-3:] == [
        "1     KBL000 " + rules.KBL000.format(error="RuntimeError: x"),
        "1     KBL201 K.mean is not in keras.backend; use keras.ops.mean",
        "1     KBL204 K.tf is the tensorflow module",
    ]


def test_github_escaping():
    report = Report([Finding("a,b:c.py", 1, 1, "KBL201", "50% of\nlines", rules.SAFE, 1)], [], 1, {})
    out = io.StringIO()
    output.write(report, "github", out)
    assert out.getvalue() == (
        "::error title=keras-backend-lint KBL201,file=a%2Cb%3Ac.py,line=1,col=1::KBL201 50%25 of%0Alines\n"
    )
