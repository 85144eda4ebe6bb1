"""``fix --add-todo``: a TODO line above each finding without an automatic fix; idempotent; never inside a string."""
import io

from keras_backend_lint.cli import main

URL = "https://github.com/keras-backend-lint/keras-backend-lint/blob/main/docs/rules/KBL201.md"


def fix(*argv):
    err = io.StringIO()
    return main(["fix", "--keras-version", "3", *argv], io.StringIO(), err), err.getvalue()


def test_todo_above_unfixable_findings(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(
        b"from keras import backend as K\r\n\r\n\r\ndef f(x):\r\n    g = K.learning_phase()\r\n"
        b"    s = '''a\r\n''' + 'b'; h = K.get_session()\r\n    return K.mean(x)\r\n"
    )
    code, err = fix("--add-todo", str(path))
    assert code == 1, err
    text = path.read_bytes().decode()
    lines = text.split("\r\n")
    todo = [n for n, line in enumerate(lines) if "TODO(keras3)" in line]
    assert len(todo) == 1 and lines[todo[0]].startswith("    # TODO(keras3): K.learning_phase is not in keras.backend")
    assert lines[todo[0]].endswith(URL) and lines[todo[0] + 1] == "    g = K.learning_phase()"
    assert "s = '''a\r\n''' + 'b'; h = K.get_session()" in text  # the string is not touched
    assert "\n" not in text.replace("\r\n", "")  # CRLF kept on the added line
    assert "ops.mean(x)" in text
    before = path.read_bytes()
    assert fix("--add-todo", str(path))[0] == 0 and path.read_bytes() == before


def test_without_the_option_no_todo(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from keras import backend as K\ng = K.learning_phase()\n")
    assert fix(str(path))[0] == 0 and "TODO" not in path.read_text()
