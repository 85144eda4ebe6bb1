"""Property: for random trees with odd file names (non-UTF-8 bytes, newlines, ``%``, ``::``, bidi controls, commas),
every output format of ``check`` and ``fix`` stays valid: JSON parses, SARIF validates, text and github give one
line per finding, nothing raises, and nothing a CI system would read as a workflow command leaks out."""
import io
import json
import os
import tempfile

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keras_backend_lint.cli import main

LEGACY = "from keras import backend as K\na = K.mean(x)\n"
PIECES = [
    "a", "Z", "0", "_", "-", " ", ".", ",", "%", "%0A", "::", "::error ::x", "\n", "\r", "\t", "\x1b[31m", "\x7f",
    "\u202e", "\u2066", "\u200f", "\u2028", "\x85", "\xe9", "\u65e5", "\U0001f600", os.fsdecode(b"\xff"),
    os.fsdecode(b"\xc3"), "\\", "'", '"', "[x]", "*", "?",
]
names = st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join).filter(
    lambda n: n not in (".", "..") and "/" not in n and len(os.fsencode(n)) < 200
)
trees = st.lists(st.tuples(st.lists(names, max_size=2), names), min_size=1, max_size=4)
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _make(root: str, tree) -> int:
    made = set()
    for folders, name in tree:
        path = os.path.join(root, *folders, name + ".py")
        if path in made:
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            with open(path, "w") as handle:
                handle.write(LEGACY)
        except IsADirectoryError:
            continue
        made.add(path)
    return len(made)


def _run(*argv):
    """A real UTF-8 stdout (strict: a lone surrogate would raise) instead of a forgiving StringIO."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="\n")
    err = io.StringIO()
    code = main(list(argv), out, err)
    out.flush()
    return code, raw.getvalue().decode("utf-8"), err.getvalue()


def _no_injection(text: str) -> None:
    for line in text.splitlines():
        assert not line.startswith("::") or line.startswith("::error title=keras-backend-lint"), line
        assert "\u202e" not in line and "\u2066" not in line


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(tree=trees)
def test_every_format_survives_odd_names(tree):
    jsonschema = pytest.importorskip("jsonschema")
    with tempfile.TemporaryDirectory() as root:
        count = _make(root, tree)
        for fmt in ("text", "json", "sarif", "github"):
            code, out, err = _run("check", "--isolated", "--keras-version", "3", "--format", fmt, root)
            assert code == 1, err
            _no_injection(out)
            _no_injection(err)
            if fmt == "json":
                assert len(json.loads(out)["findings"]) == count
            elif fmt == "sarif":
                document = json.loads(out)
                jsonschema.Draft4Validator(SCHEMA).validate(document)
                assert len(document["runs"][0]["results"]) == count
            else:
                assert len(out.splitlines()) == count
        code, out, err = _run("fix", "--isolated", "--keras-version", "3", "--diff", root)
        assert code == 1 and "Traceback" not in err
        _no_injection(out)
        _no_injection(err)
        assert out.count("\n+++ ") == count
        code, out, err = _run("fix", "--isolated", "--keras-version", "3", "--diff", "--format", "json", root)
        assert len(json.loads(out)["files"]) == count
        code, out, err = _run("fix", "--isolated", "--keras-version", "3", root)
        assert code == 1 and "rewrote %d file(s)" % count in err
        _no_injection(err)
