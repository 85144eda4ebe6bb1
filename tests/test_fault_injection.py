"""Injected failures: an internal error on one file is contained (KBL000, the run goes on), and a fix that cannot
be written leaves the original byte for byte (never a partial file, never a temp file left behind)."""
from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

import keras_backend_lint.engine as engine
from keras_backend_lint import atomic, cli, fixer, rules, sourcefile
from keras_backend_lint.checks import Settings
from keras_backend_lint.plugin import Plugin
from keras_backend_lint.versions import parse_target

ROOT = Path(__file__).resolve().parent.parent
# `boom = K` mentions the backend, so even the pre-selected walk records the binding the failing check looks for
BOOM = "from keras import backend as K\nboom = K\nK.mean(x)\n"
GOOD = "from keras import backend as K\nK.sum(x)\n"
FIXABLE = "from keras import backend as K\n\ny = K.mean(x)\nz = K.sum(y)\n"
TARGET = ["--isolated", "--keras-version", "3", "-q"]


def _failing_check(info, settings, api):
    """Raises for modules that bind ``boom`` (one specific file), yields nothing otherwise."""
    if "boom" in info.module_scope.bindings:
        raise RuntimeError("injected failure")
    return iter(())


@pytest.fixture
def inject(monkeypatch):
    monkeypatch.setattr(engine, "CHECKS", (*engine.CHECKS, _failing_check))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "a_boom.py").write_text(BOOM)
    (tmp_path / "b_good.py").write_text(GOOD)
    return tmp_path


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _assert_kbl000(text: str) -> None:
    assert "KBL000" in text and "injected failure" in text and rules.ISSUES_URL in text and "report" in text


# -- containment -------------------------------------------------------------------------------------------------


def test_plugin_contains_internal_error(inject):
    import ast

    Plugin._settings = Settings(parse_target("3"))
    try:
        bad = list(Plugin(ast.parse(BOOM), BOOM.splitlines(True)).run())
        good = list(Plugin(ast.parse(GOOD), GOOD.splitlines(True)).run())
    finally:
        Plugin._settings = None
    assert len(bad) == 1 and bad[0][:2] == (1, 0)
    _assert_kbl000(bad[0][2])
    assert "\n" not in bad[0][2]
    assert [r[2].split()[0] for r in good] == ["KBL201"]


def test_flake8_run_goes_on_after_internal_error(project):
    """Real flake8, with the failure injected in its process: one KBL000 for the bad file, the others checked."""
    script = textwrap.dedent(
        f"""
        import sys
        import keras_backend_lint.engine as engine
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from test_fault_injection import _failing_check
        engine.CHECKS = (*engine.CHECKS, _failing_check)
        from flake8.main.cli import main
        sys.exit(main(["--isolated", "--select=KBL", "--keras-version=3", "-j1", {str(project)!r}]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    boom = [line for line in lines if "a_boom.py" in line]
    assert len(boom) == 1 and ":1:1: KBL000 " in boom[0]
    _assert_kbl000(boom[0])
    assert any("b_good.py:2:1: KBL201" in line for line in lines)


def test_cli_run_goes_on_after_internal_error(project, inject):
    code, out, err = run_cli("check", *TARGET, str(project))
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{project / 'a_boom.py'}:1:1: KBL000 ")
    _assert_kbl000(lines[0])
    assert lines[1].startswith(f"{project / 'b_good.py'}:2:1: KBL201 ")


def test_cli_internal_error_is_reported_whatever_select_says(project, inject):
    code, out, _ = run_cli("check", *TARGET, "--select", "KBL2", str(project))
    assert code == 1
    _assert_kbl000(out)


def test_cli_internal_error_while_reading_is_contained(project, monkeypatch):
    real = sourcefile.decode

    def failing_decode(raw, path="<stdin>", stamp=None):
        if path.endswith("a_boom.py"):
            raise RuntimeError("injected failure")
        return real(raw, path, stamp)

    monkeypatch.setattr(sourcefile, "decode", failing_decode)
    code, out, err = run_cli("check", *TARGET, str(project))
    assert code == 1 and "Traceback" not in err
    assert out.count("KBL000") == 1 and "b_good.py:2:1: KBL201" in out
    _assert_kbl000(out)


def test_cli_parallel_run_contains_internal_error(tmp_path):
    """Enough files for worker processes; the failure is injected in a subprocess so the workers inherit it."""
    for i in range(cli.PARALLEL_THRESHOLD + 6):
        (tmp_path / f"m{i:03d}.py").write_text(BOOM if i == 7 else GOOD)
    script = textwrap.dedent(
        f"""
        import sys
        import keras_backend_lint.engine as engine
        sys.path.insert(0, {str(ROOT / 'tests')!r})
        from test_fault_injection import _failing_check
        engine.CHECKS = (*engine.CHECKS, _failing_check)
        from keras_backend_lint.cli import main
        sys.exit(main(["check", "--isolated", "--keras-version", "3", "-q", "-j", "2", {str(tmp_path)!r}]))
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert len(lines) == cli.PARALLEL_THRESHOLD + 6
    assert sum("KBL000" in line for line in lines) == 1 and "m007.py:1:1: KBL000" in proc.stdout


def test_fix_command_goes_on_after_internal_error(tmp_path, monkeypatch):
    (tmp_path / "a_boom.py").write_text(BOOM)
    (tmp_path / "b_good.py").write_text(FIXABLE)
    real = fixer.plan_fixes

    def failing_plan(tree, source, *args, **kwargs):
        if "boom" in source:
            raise RuntimeError("injected failure")
        return real(tree, source, *args, **kwargs)

    monkeypatch.setattr(fixer, "plan_fixes", failing_plan)
    code, out, err = run_cli("fix", "--keras-version", "3", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert (tmp_path / "a_boom.py").read_text() == BOOM
    assert "K." not in (tmp_path / "b_good.py").read_text()
    boom = [line for line in err.splitlines() if "a_boom.py" in line]
    assert len(boom) == 1
    _assert_kbl000(boom[0])


def test_fix_command_contains_libcst_failure(tmp_path, monkeypatch):
    (tmp_path / "a_boom.py").write_text(BOOM)
    (tmp_path / "b_good.py").write_text(FIXABLE)
    real = fixer._execute

    def failing_execute(source, *args, **kwargs):
        if "boom" in source:
            raise MemoryError()
        return real(source, *args, **kwargs)

    monkeypatch.setattr(fixer, "_execute", failing_execute)
    code, out, err = run_cli("fix", "--keras-version", "3", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    assert (tmp_path / "a_boom.py").read_text() == BOOM
    assert "K." not in (tmp_path / "b_good.py").read_text()
    assert sum("a_boom.py" in line for line in err.splitlines()) == 1


# -- atomic writes -----------------------------------------------------------------------------------------------


def _leftovers(folder: Path):
    return sorted(p.name for p in folder.iterdir() if atomic.TEMP_NAME.match(p.name) or "kbl" in p.name)


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(FIXABLE)
    path.chmod(0o640)
    return path


def _fix(path: Path):
    return run_cli("fix", "--keras-version", "3", str(path))


def _assert_untouched(path: Path, err: str, fragment: str) -> None:
    assert path.read_text() == FIXABLE, "the original must be intact"
    assert _leftovers(path.parent) == [], "no temporary file may be left behind"
    lines = [line for line in err.splitlines() if str(path) in line]
    assert len(lines) == 1 and fragment in lines[0], err
    assert "Traceback" not in err


def _fail_on(name: str, exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail


@pytest.mark.parametrize(
    "where, exc, fragment",
    [
        ("replace", OSError(errno.EIO, "Input/output error"), "left unchanged"),
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
        ("chmod", PermissionError(errno.EPERM, "Operation not permitted"), "left unchanged"),
        ("mkstemp", OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
    ],
)
def test_write_failure_leaves_original(target, monkeypatch, where, exc, fragment):
    if where == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _fail_on(where, exc))
    else:
        monkeypatch.setattr(os, where, _fail_on(where, exc))
    code, _, err = _fix(target)
    assert code == 1
    _assert_untouched(target, err, fragment)


def test_disk_full_while_writing_leaves_original(target, monkeypatch):
    """The temp file's write itself fails half way (ENOSPC after some bytes)."""
    real_fdopen = os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, fd):
            self.inner = real_fdopen(fd, "wb", buffering=0)

        def writable(self):
            return True

        def write(self, data):
            self.inner.write(bytes(data[:5]))
            raise OSError(errno.ENOSPC, "No space left on device")

        def fileno(self):
            return self.inner.fileno()

        def close(self):
            self.inner.close()
            super().close()

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: Full(fd))
    code, _, err = _fix(target)
    assert code == 1
    _assert_untouched(target, err, "No space left on device")


def test_interrupt_while_writing_leaves_original(target, monkeypatch):
    monkeypatch.setattr(os, "replace", _fail_on("replace", KeyboardInterrupt()))
    code, _, err = _fix(target)
    assert code == 130
    assert target.read_text() == FIXABLE and _leftovers(target.parent) == []


def test_file_changed_between_read_and_write(target, monkeypatch):
    from keras_backend_lint import fix_command

    real = fix_command._fix_text
    concurrent = FIXABLE + "# edited by someone else meanwhile\n"

    def fix_while_someone_edits(source, *args, **kwargs):
        out = real(source, *args, **kwargs)
        target.write_text(concurrent)
        return out

    monkeypatch.setattr(fix_command, "_fix_text", fix_while_someone_edits)
    code, _, err = _fix(target)
    assert code == 1
    assert target.read_text() == concurrent, "the other edit wins; ours is not written over it"
    assert _leftovers(target.parent) == []
    assert "changed on disk" in err and "Traceback" not in err


def test_read_only_file(target):
    target.chmod(0o444)
    try:
        code, _, err = _fix(target)
    finally:
        target.chmod(0o644)
    assert code == 1
    _assert_untouched(target, err, "read-only")


def test_read_only_folder(target, monkeypatch):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # root may create files in a 0555 folder: simulate the refusal where the temp file is created
        denied = PermissionError(errno.EACCES, "Permission denied")
        monkeypatch.setattr(tempfile, "mkstemp", _fail_on("mkstemp", denied))
        code, _, err = _fix(target)
    else:
        target.parent.chmod(0o555)
        try:
            code, _, err = _fix(target)
        finally:
            target.parent.chmod(0o755)
    assert code == 1
    _assert_untouched(target, err, "Permission denied")


def test_symlink_target_is_replaced_and_link_kept(tmp_path):
    real = tmp_path / "real.py"
    real.write_text(FIXABLE)
    real.chmod(0o640)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    code, _, err = _fix(link)
    assert code == 1 and "Traceback" not in err
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert "K." not in real.read_text() and "ops.mean" in real.read_text()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_broken_symlink_is_reported(tmp_path):
    link = tmp_path / "dangling.py"
    link.symlink_to(tmp_path / "gone.py")
    code, _, err = _fix(link)
    assert code in (1, 2) and "Traceback" not in err
    assert len([line for line in err.splitlines() if "dangling.py" in line]) == 1
    assert "file skipped (1 file(s)" in err
    assert link.is_symlink() and not (tmp_path / "gone.py").exists()


def test_successful_write_keeps_mode_and_leaves_nothing(target):
    code, _, err = _fix(target)
    assert code == 1 and f"fixed {target}" in err
    assert "K." not in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(target.parent) == []


def test_atomic_write_every_failure_point(tmp_path, monkeypatch):
    """Every OS call atomic.write makes, failing in turn: the file is either the old or the new content."""
    path = tmp_path / "f.py"
    old, new = b"old content\n" * 100, b"new content\n" * 50
    points = [(os, "fsync"), (os, "chmod"), (os, "replace"), (os, "stat"), (tempfile, "mkstemp"), (os, "fdopen")]
    for module, name in points:
        path.write_bytes(old)
        st = os.stat(path)
        with monkeypatch.context() as m:
            m.setattr(module, name, _fail_on(name, OSError(errno.EIO, "injected")))
            with pytest.raises(atomic.WriteError) as info:
                atomic.write(str(path), new, (st.st_mtime_ns, st.st_size))
        assert "\n" not in str(info.value)
        assert path.read_bytes() == old, name
        assert _leftovers(tmp_path) == [], name
    atomic.write(str(path), new, atomic.stamp(str(path)))
    assert path.read_bytes() == new


def test_internal_error_with_multiline_text_stays_one_line(tmp_path, monkeypatch):
    def failing(info, settings, api):
        if "boom" in info.module_scope.bindings:
            raise ValueError("first line\nsecond line\r\n\tthird")
        return iter(())

    monkeypatch.setattr(engine, "CHECKS", (*engine.CHECKS, failing))
    (tmp_path / "a_boom.py").write_text(BOOM)
    import ast

    Plugin._settings = Settings(parse_target("3"))
    try:
        [(_, _, text, _)] = list(Plugin(ast.parse(BOOM), BOOM.splitlines(True)).run())
    finally:
        Plugin._settings = None
    assert "\n" not in text and "\r" not in text and "first line second line third" in text
    code, out, _ = run_cli("check", *TARGET, str(tmp_path))
    assert len(out.splitlines()) == 1 and "first line second line third" in out
    monkeypatch.undo()  # the fixer's own failures now (fix reports a failing check the same way, as skipped)
    for exc, fragment in ((RuntimeError("a\nb"), "KBL000 keras-backend-lint failed on this file (RuntimeError: a b)"),
                          (ValueError("a\nb"), "a b")):  # fix_source's contract: ValueError = input not parsable
        monkeypatch.setattr(fixer, "plan_fixes", lambda *a, **k: (_ for _ in ()).throw(exc))
        code, _, err = run_cli("fix", "--keras-version", "3", str(tmp_path))
        [line] = [line for line in err.splitlines() if "a_boom.py" in line]
        assert code == 1 and fragment in line, err
