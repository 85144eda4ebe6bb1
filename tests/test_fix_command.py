"""``keras-backend-lint fix``: exit codes, --diff, encodings and line endings, stdin, unsafe writes."""
import argparse
import codecs
import io
import os
import subprocess
import sys

import pytest

from keras_backend_lint import atomic, fix_command

LEGACY = "from keras import backend as K\ny = K.mean(x, axis=1)\n"
FIXED = "from keras import ops\ny = ops.mean(x, axis=1)\n"
ENV = dict(os.environ, KERAS_BACKEND="numpy")


def run(*argv, stdin=None):
    parser = argparse.ArgumentParser()
    fix_command.add_arguments(parser)
    args = parser.parse_args(["--keras-version", "3.15", *argv])
    out, err = io.StringIO(), io.StringIO()
    code = fix_command.run(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_exit_codes(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    assert run(str(path))[0] == 1
    assert path.read_text() == FIXED
    assert run(str(path))[0] == 0
    assert run(str(tmp_path / "missing.py"))[0] == 2


def test_directory_walk_skips_venvs(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(LEGACY)
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / ".venv" / "lib" / "b.py").write_text(LEGACY)
    (tmp_path / "site-packages").mkdir()
    (tmp_path / "site-packages" / "c.py").write_text(LEGACY)
    assert run(str(tmp_path))[0] == 1
    assert (tmp_path / "pkg" / "a.py").read_text() == FIXED
    assert (tmp_path / ".venv" / "lib" / "b.py").read_text() == LEGACY
    assert (tmp_path / "site-packages" / "c.py").read_text() == LEGACY


def test_diff_writes_nothing(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    before = os.stat(path).st_mtime_ns
    code, out, _ = run("--diff", str(path))
    assert code == 1
    assert "-y = K.mean(x, axis=1)" in out and "+y = ops.mean(x, axis=1)" in out
    assert path.read_text() == LEGACY and os.stat(path).st_mtime_ns == before


def test_nothing_to_do_does_not_write(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import keras\n")
    before = os.stat(path).st_mtime_ns
    code, out, err = run(str(path))
    assert (code, out) == (0, "") and "rewrote 0 file(s), fixed 0 finding(s), 0 left" in err
    assert os.stat(path).st_mtime_ns == before


def test_crlf_bom_and_mode_kept(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(codecs.BOM_UTF8 + LEGACY.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    assert run(str(path))[0] == 1
    data = path.read_bytes()
    assert data == codecs.BOM_UTF8 + FIXED.replace("\n", "\r\n").encode()
    assert os.stat(path).st_mode & 0o777 == 0o640


def test_latin1_cookie_kept(tmp_path):
    path = tmp_path / "m.py"
    text = "# -*- coding: latin-1 -*-\ns = 'caf\u00e9'\n" + LEGACY
    path.write_bytes(text.encode("latin-1"))
    assert run(str(path))[0] == 1
    fixed = path.read_bytes().decode("latin-1")
    assert fixed.startswith("# -*- coding: latin-1 -*-\n") and "s = 'caf\u00e9'\n" in fixed and "ops.mean" in fixed


def test_symlink_target_written_link_kept(tmp_path):
    real = tmp_path / "real.py"
    real.write_text(LEGACY)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert run(str(link))[0] == 1
    assert link.is_symlink() and real.read_text() == FIXED


def test_syntax_error_reported_and_skipped(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import keras\ndef (:\n")
    good = tmp_path / "good.py"
    good.write_text(LEGACY)
    code, _, err = run(str(bad), str(good))
    assert code == 1
    lines = [line for line in err.splitlines() if "bad.py" in line]
    assert len(lines) == 1 and "cannot parse" in lines[0]
    assert good.read_text() == FIXED and bad.read_text() == "import keras\ndef (:\n"


def test_bad_keras_version_is_usage_error(tmp_path):
    parser = argparse.ArgumentParser()
    fix_command.add_arguments(parser)
    args = parser.parse_args(["--keras-version", "banana", str(tmp_path)])
    assert fix_command.run(args, io.StringIO(), io.StringIO()) == 2


def test_changed_between_read_and_write(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    real = fix_command._fix_text

    def meddle(*args, **kwargs):
        result = real(*args, **kwargs)
        path.write_text(LEGACY + "# edited meanwhile\n")
        return result

    monkeypatch.setattr(fix_command, "_fix_text", meddle)
    code, _, err = run(str(path))
    assert code == 1 and "changed on disk" in err
    assert path.read_text() == LEGACY + "# edited meanwhile\n"


def test_read_only_file(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    os.chmod(path, 0o444)
    code, _, err = run(str(path))
    assert code == 1 and "read-only" in err
    assert path.read_text() == LEGACY


def test_oserror_during_write_keeps_original(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", boom)
    code, _, err = run(str(path))
    assert code == 1 and "No space left on device" in err
    assert path.read_text() == LEGACY
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.py"]  # no temp file left


def test_atomic_write_refuses_stale_stamp(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("a\n")
    stamp = atomic.stamp(str(path))
    path.write_text("bb\n")
    with pytest.raises(atomic.WriteError):
        atomic.write(str(path), b"c\n", stamp)
    assert path.read_text() == "bb\n"


def _subprocess(*argv, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "keras_backend_lint.fix_command", "--keras-version", "3.15", *argv],
        input=stdin, capture_output=True, env=ENV,
    )


def test_stdin_subprocess():
    done = _subprocess("-", stdin=LEGACY.encode())
    assert done.returncode == 1
    assert done.stdout.decode() == FIXED
    clean = _subprocess("-", stdin=b"import keras\n")
    assert clean.returncode == 0 and clean.stdout == b"import keras\n"


def test_subprocess_usage_error():
    assert _subprocess("--no-such-option").returncode == 2


def test_subprocess_fixes_file(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    done = _subprocess(str(path))
    assert done.returncode == 1, done.stderr
    assert path.read_text() == FIXED


def test_quiet_still_names_skipped_files(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import keras\ndef (:\n")
    good = tmp_path / "good.py"
    good.write_text(LEGACY)
    code, _, err = run("-q", str(tmp_path))
    assert code == 1 and good.read_text() == FIXED
    assert err.splitlines() == [f"{bad}: cannot parse: line 2: invalid syntax"]


def test_fix_follows_project_reexports_like_check(tmp_path):
    """`from mypkg.backend import K` is judged by check through the run's index; fix fixes exactly those uses."""
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "backend.py").write_text("from keras import backend as K\n\n\ndef eps():\n    return K.epsilon()\n")
    losses = pkg / "losses.py"
    losses.write_text("from mypkg.backend import K\n\n\ndef loss(x):\n    return K.mean(x)\n")
    code, _, err = run("--keras-version", "3", str(pkg))
    assert code == 1, err
    assert losses.read_text() == (
        "from mypkg.backend import K\nfrom keras import ops\n\n\ndef loss(x):\n    return ops.mean(x)\n"
    )
    assert "fixed 1 finding(s), 0 left" in err
