"""Issue 15 and the fixer's data safety: walks, file names, workers, temp files, CI output, diffs, odd inputs."""
import codecs
import io
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from conftest import FIXTURES

from keras_backend_lint import atomic, cli
from keras_backend_lint.cli import main

LEGACY = "from keras import backend as K\na = K.mean(x)\n"
FIXED = "from keras import ops\na = ops.mean(x)\n"
ENV = dict(os.environ, KERAS_BACKEND="numpy")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def sub(*argv, stdin=None, cwd=None, env=ENV, **kwargs):
    return subprocess.run([sys.executable, "-m", "keras_backend_lint", *argv], input=stdin, capture_output=True,
                          env=env, cwd=cwd, **kwargs)


# --- walks ------------------------------------------------------------------------------------------------------


def test_unreadable_directory_is_e902(tmp_path, monkeypatch):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.py").write_text(LEGACY)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.py").write_text(LEGACY)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, _ = run("check", "--keras-version", "3", str(tmp_path))
    assert code == 1
    assert f"{tmp_path / 'locked'}:1:1: E902 cannot read directory: Permission denied" in out
    assert "a.py:2:5: KBL201" in out
    code, _, err = run("fix", "--keras-version", "3", "--diff", str(tmp_path))
    assert code == 1 and "locked: cannot read directory: Permission denied" in err


def test_path_longer_than_path_max_is_reported(tmp_path):
    deep = str(tmp_path)
    os_name = "d" * 200
    here = os.getcwd()
    try:
        os.chdir(deep)
        for _ in range(25):  # 25 * 201 > PATH_MAX (4096)
            os.mkdir(os_name)
            os.chdir(os_name)
        with open("a.py", "w") as handle:
            handle.write(LEGACY)
    finally:
        os.chdir(here)
    code, out, _ = run("check", "--keras-version", "3", "--format", "json", str(tmp_path))
    report = json.loads(out)
    assert code == 1 and report["errors"] and report["errors"][0]["code"] == "E902"


# --- file names ---------------------------------------------------------------------------------------------------


ODD_NAMES = [
    os.fsdecode(b"caf\xe9.py"),            # not UTF-8
    "new\nline.py",
    "100%.py",
    "a::error title=x::pwned.py",
    "bidi\u202eyp.py",
    "tab\tname.py",
]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_odd_names_every_format(tmp_path, fmt):
    for name in ODD_NAMES:
        (tmp_path / name).write_text(LEGACY)
    done = sub("check", "--keras-version", "3", "--format", fmt, str(tmp_path),
               env=dict(ENV, PYTHONIOENCODING="utf-8", LC_ALL="C.UTF-8"))
    assert done.returncode == 1, done.stderr
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("utf-8")
    if fmt in ("json", "sarif"):
        data = json.loads(out)
        count = len(data["findings"]) if fmt == "json" else len(data["runs"][0]["results"])
        assert count == len(ODD_NAMES)
    else:
        lines = out.splitlines()
        assert len(lines) == len(ODD_NAMES)
        if fmt == "github":
            assert all(line.startswith("::error title=") for line in lines)
        assert not any("\u202e" in line for line in lines)


def test_odd_names_in_an_ascii_locale(tmp_path):
    (tmp_path / "日本.py").write_text(LEGACY)
    (tmp_path / ODD_NAMES[0]).write_text(LEGACY)
    done = sub("check", "--keras-version", "3", str(tmp_path), env=dict(ENV, PYTHONIOENCODING="ascii"))
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) == 2


def test_github_injection_through_paths_on_stdout_and_stderr(tmp_path):
    evil = tmp_path / "x\n::error file=evil.py::injected\n"
    evil.mkdir()
    (evil / "a.py").write_text(LEGACY)
    pyproject = evil / "pyproject.toml"
    pyproject.write_text('[tool.keras-backend-lint]\nkeras-version = "3"\n')
    for argv in (["check", "--format", "github", str(evil)], ["fix", "--diff", str(evil)], ["fix", str(evil)]):
        done = sub(*argv)
        for stream in (done.stdout, done.stderr):
            for line in stream.decode().splitlines():
                assert not line.startswith("::") or line.startswith("::error title=keras-backend-lint"), line


def test_fix_on_a_250_character_name(tmp_path):
    path = tmp_path / ("m" * 247 + ".py")
    path.write_text(LEGACY)
    code, _, err = run("fix", "--keras-version", "3", str(path))
    assert code == 1 and path.read_text() == FIXED, err
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_stale_temp_files_are_swept(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(LEGACY)
    stale = [tmp_path / ".kbl-abcd1234.tmp", tmp_path / ".m.py.x1y2z3w4.kbl-tmp"]
    young = tmp_path / ".kbl-young123.tmp"
    other = tmp_path / ".kbl-notours.txt"
    for p in (*stale, young, other):
        p.write_text("partial")
    old = time.time() - 2 * atomic.STALE_SECONDS
    for p in stale:
        os.utime(p, (old, old))
    assert run("fix", "--keras-version", "3", str(tmp_path))[0] == 1
    assert not any(p.exists() for p in stale)
    assert young.exists() and other.exists() and path.read_text() == FIXED


# --- workers, memory, nesting ------------------------------------------------------------------------------------


def test_dying_worker_loses_only_its_file(tmp_path, monkeypatch):
    for i in range(8):
        (tmp_path / f"m{i}.py").write_text(LEGACY)
    (tmp_path / "bomb.py").write_text(LEGACY)
    real = cli.check_path

    def check_path(path):
        if path.endswith("bomb.py"):
            os._exit(137)  # what the OOM killer leaves
        return real(path)

    monkeypatch.setattr(cli, "check_path", check_path)
    code, out, err = run("check", "--keras-version", "3", "-j", "2", str(tmp_path))
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert sum("KBL201" in line for line in lines) == 8
    assert any("bomb.py:1:1: E902" in line and "died" in line for line in lines)


def test_memory_error_says_so(tmp_path, monkeypatch):
    big = tmp_path / "big.py"
    big.write_text(LEGACY + "x = 1\n" * 200_000)  # 1.2 MB, flat
    deep = tmp_path / "deep.py"
    deep.write_text(LEGACY + "y = " + "lambda: " * 5000 + "1\n")  # a parser stack overflow, also a MemoryError

    def parse(*args, **kwargs):
        raise MemoryError()

    monkeypatch.setattr(cli.ast, "parse", parse)
    code, out, _ = run("check", "--keras-version", "3", str(big), str(deep))
    assert code == 1
    assert "big.py:1:1: E999 MemoryError: out of memory while parsing this file (1.2 MB)" in out
    assert "deep.py:1:1: E999 MemoryError: too deeply nested for Python's parser" in out


def test_long_alias_chain(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from keras import backend as K\nK0 = K\n"
                    + "".join(f"K{i + 1} = K{i}\n" for i in range(3000)) + "y = K3000.mean(x)\n")
    code, out, _ = run("check", "--keras-version", "3", str(path))
    assert code == 1 and "KBL201 K3000.mean" in out and "KBL000" not in out
    code, out, err = run("fix", "--keras-version", "3", "--diff", str(path))
    assert "cannot parse" not in err and "KBL000" not in err


def test_nfkc_identifiers_are_found(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("from \uff4b\uff45\uff52\uff41\uff53 import backend as \uff2b\n\uff2b.mean(x)\n")
    code, out, _ = run("check", "--keras-version", "3", str(path))
    assert code == 1 and "KBL201 K.mean" in out


# --- CI output, report writing ----------------------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("extra", [[], ["--exit-zero"]])
def test_report_to_a_full_disk(tmp_path, extra):
    (tmp_path / "m.py").write_text(LEGACY)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "keras_backend_lint", "check", "--keras-version", "3",
                               "--format", "json", *extra, str(tmp_path)], stdout=full, stderr=subprocess.PIPE,
                              env=ENV)
    err = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in err
    assert err.strip().splitlines() == ["keras-backend-lint: error: cannot write the report: No space left on device"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("extra", [["--diff"], ["--diff", "--format", "json"]])
def test_fix_output_to_a_full_disk(tmp_path, extra):
    (tmp_path / "m.py").write_text(LEGACY)
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "keras_backend_lint", "fix", "-q", "--keras-version", "3",
                               *extra, str(tmp_path)], stdout=full, stderr=subprocess.PIPE, env=ENV)
    err = done.stderr.decode()
    assert done.returncode == 2 and "Traceback" not in err
    assert err.strip().splitlines() == ["keras-backend-lint: error: cannot write the output: No space left on device"]


# --- diffs that git apply accepts ---------------------------------------------------------------------------------

ODD_LINES = [
    "from keras import backend as K\n# form\x0cfeed \x1c\x1d\x1e \x85 \u2028 \u2029\na = K.mean(x)  # end",
    "from keras import backend as K\r\na = K.mean(x)\r\nb = 1",
    "# -*- coding: utf-8 -*-\rfrom keras import backend as K\ra = K.mean(x)\r",
    "from keras import backend as K\na = K.mean(x)",
]


def _git_apply_matches_in_place(tmp_path, name, data, *flags):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for sub_dir in ("diff", "inplace"):
        (tmp_path / sub_dir).mkdir(exist_ok=True)
        (tmp_path / sub_dir / name).write_bytes(data)
    diff = sub("fix", "--keras-version", "3", *flags, "--diff", name, cwd=tmp_path / "diff").stdout
    run("fix", "--keras-version", "3", *flags, str(tmp_path / "inplace" / name))
    assert (tmp_path / "inplace" / name).read_bytes() != data, "the case must be one the fixer rewrites"
    patch = tmp_path / "p.diff"
    patch.write_bytes(diff)
    if diff:
        done = subprocess.run(["git", "apply", "-p0", "--unsafe-paths", str(patch)], cwd=tmp_path / "diff",
                              capture_output=True)
        assert done.returncode == 0, done.stderr.decode() + diff.decode("utf-8", "replace")
    assert (tmp_path / "diff" / name).read_bytes() == (tmp_path / "inplace" / name).read_bytes()


@pytest.mark.parametrize("text", ODD_LINES)
def test_diff_applies_with_git(tmp_path, text):
    _git_apply_matches_in_place(tmp_path, "m.py", text.encode("utf-8"))


@pytest.mark.parametrize("before", sorted(p.name for p in (FIXTURES / "fix").glob("*.py")
                                          if not p.name.endswith(".fixed.py")))
def test_fixture_diffs_apply_with_git(tmp_path, before):
    _git_apply_matches_in_place(tmp_path, before, (FIXTURES / "fix" / before).read_bytes(), "--unsafe-fixes")


def test_lone_cr_file(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes("# -*- coding: latin-1 -*-\rs = 'caf\xe9'\rfrom keras import backend as K\ra = K.mean(x)\r"
                     .encode("latin-1"))
    code, out, _ = run("check", "--keras-version", "3", str(path))
    assert code == 1 and "E902" not in out and "KBL201" in out
    assert run("fix", "--keras-version", "3", str(path))[0] == 1
    data = path.read_bytes()
    assert b"\n" not in data and b"ops.mean(x)" in data and "caf\xe9".encode("latin-1") in data


# --- data safety ----------------------------------------------------------------------------------------------------


def test_stdin_keeps_encoding_bom_and_newlines():
    latin = "# -*- coding: latin-1 -*-\r\ns = 'caf\xe9'\r\n" + LEGACY.replace("\n", "\r\n")
    done = sub("fix", "--keras-version", "3", "-", stdin=latin.encode("latin-1"))
    assert done.returncode == 1, done.stderr
    assert done.stdout.decode("latin-1") == "# -*- coding: latin-1 -*-\r\ns = 'caf\xe9'\r\n" + FIXED.replace(
        "\n", "\r\n")
    done = sub("fix", "--keras-version", "3", "-", stdin=codecs.BOM_UTF8 + LEGACY.encode())
    assert done.stdout == codecs.BOM_UTF8 + FIXED.encode()


def test_changed_on_disk_with_same_mtime_and_size(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("aaa\n")
    stamp = atomic.stamp(str(path))
    st = os.stat(path)
    copy = tmp_path / "copy"
    copy.write_text("bbb\n")
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(copy, path)  # what `cp -p` / `rsync -t` / `tar x` leave: same mtime and size, new content
    assert os.stat(path).st_mtime_ns == st.st_mtime_ns and os.stat(path).st_size == st.st_size
    with pytest.raises(atomic.WriteError):
        atomic.write(str(path), b"ccc\n", stamp)
    assert path.read_text() == "bbb\n"


def test_symlink_out_of_the_tree_is_not_written(tmp_path):
    outside = tmp_path / "venv_lib.py"
    outside.write_text(LEGACY)
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.py").symlink_to(outside)
    (project / "own.py").write_text(LEGACY)
    code, _, err = run("fix", "--keras-version", "3", str(project))
    assert code == 1 and outside.read_text() == LEGACY and (project / "own.py").read_text() == FIXED
    assert "link.py: a symlink to a file outside the paths given" in err


def test_libcst_crashers_are_skipped_and_the_run_goes_on(tmp_path):
    (tmp_path / "a_or.py").write_text(LEGACY + "b = " + " or ".join(f"v{i}" for i in range(8000)) + "\n")
    (tmp_path / "b_ok.py").write_text(LEGACY)
    done = sub("fix", "--keras-version", "3", str(tmp_path), timeout=300)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "a_or.py: an expression with more than 1000 operands (line 3) could crash libcst's parser" in err
    assert (tmp_path / "b_ok.py").read_text() == FIXED
    assert (tmp_path / "a_or.py").read_text().startswith(LEGACY)


def test_fix_json_format(tmp_path):
    (tmp_path / "m.py").write_text(LEGACY + "f = K.learning_phase()\n")
    code, out, _ = run("fix", "--keras-version", "3", "--format", "json", "--diff", str(tmp_path))
    data = json.loads(out)
    [entry] = data["files"]
    assert code == 1 and entry["rewritten"] and entry["diff"].startswith("---")
    assert [f["code"] for f in entry["fixed"]] == ["KBL201"]
    assert [(f["code"], f["kind"]) for f in entry["left"]] == [("KBL201", "manual")]
    assert data["totals"]["left"]["manual"] == 1 and data["mode"] == "diff"
