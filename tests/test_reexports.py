"""Project-local re-exports: ``mypkg/backend.py`` binds K, the rest of the project imports it from there."""
import subprocess
import sys
import textwrap

import pytest
from test_cli import run

from keras_backend_lint.reexports import ProjectIndex, project_for

FILES = {
    "mypkg/__init__.py": "from .backend import K as backend\n",
    "mypkg/backend.py": "from keras import backend as K\n\n\ndef helper(x):\n    return x\n",
    "mypkg/sub/__init__.py": "",
    # never spells keras: reached only through the re-export
    "mypkg/sub/model.py": textwrap.dedent(
        """\
        from mypkg.backend import K, helper
        from mypkg import backend as KB
        from ..backend import K as K2


        def loss(y, p):
            return K.mean(y - p) + KB.sum(p) + K2.epsilon() + K2.max(p) + helper(1)
        """
    ),
    "mypkg/cycle_a.py": "from mypkg.cycle_b import K\n",
    "mypkg/cycle_b.py": "from mypkg.cycle_a import K\nimport keras\n",
    "mypkg/uses_cycle.py": "from mypkg.cycle_a import K\nK.mean(1)\n",
    "mypkg/shadow.py": "from keras import backend as K\nK = None\n",
    "mypkg/uses_shadow.py": "from mypkg.shadow import K\nK.mean(1)\n",
    "scripts/train.py": "from mypkg.backend import K\nK.max(1)\n",
}
EXPECTED = [
    "mypkg/sub/model.py:7:12: KBL201 K.mean",
    "mypkg/sub/model.py:7:28: KBL201 KB.sum",
    "mypkg/sub/model.py:7:55: KBL201 K2.max",
    "scripts/train.py:2:1: KBL201 K.max",
]


@pytest.fixture
def project(tmp_path):
    for name, text in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def _short(out, root):
    return sorted(" ".join(line.replace(f"{root}/", "").replace("./", "").split()[:3]) for line in out.splitlines())


def test_cli_follows_reexports_from_the_run_files(project):
    code, out, _ = run("check", "-q", "-j", "1", "--keras-version", "3", ".", cwd=project)
    assert code == 1
    assert _short(out, project) == EXPECTED


def test_cli_in_parallel_gives_the_same(project):
    _, out, _ = run("check", "-q", "-j", "2", "--keras-version", "3", ".", cwd=project)
    assert _short(out, project) == EXPECTED


def test_cli_reads_only_the_files_of_the_run(project):
    # mypkg/backend.py is not part of this run: the CLI does not go and read it
    code, out, _ = run("check", "-q", "-j", "1", "--keras-version", "3", "mypkg/sub", cwd=project)
    assert code == 0 and out == ""


def test_flake8_plugin_reads_the_imported_module_on_demand(project):
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select=KBL", "--keras-version=3", "."],
        cwd=project, capture_output=True, text=True, timeout=120,
    )
    assert _short(result.stdout, project) == EXPECTED, result.stderr


def test_keras_itself_is_never_a_project_module(tmp_path):
    # a checkout named keras must not turn the real keras.backend into a "re-export"
    (tmp_path / "keras").mkdir()
    (tmp_path / "keras" / "__init__.py").write_text("from tensorflow import keras as backend\n")
    (tmp_path / "user.py").write_text("from keras import backend as K\nK.mean(1)\n")
    index = ProjectIndex()
    project = project_for(str(tmp_path / "user.py"), index)
    assert project is not None and project.resolve("keras.backend") is None


def test_unreadable_module_only_loses_the_reexport(project):
    (project / "mypkg" / "backend.py").write_bytes(b"\x00\x00 not python")
    code, out, err = run("check", "-q", "-j", "1", "--keras-version", "3", ".", cwd=project)
    assert "Traceback" not in err
    assert "model.py" not in out


def test_stdin_has_no_project():
    assert project_for("-", ProjectIndex()) is None
    assert project_for("stdin", ProjectIndex()) is None


def test_may_bind_follows_alias_chains_without_recursion_and_within_a_bound():
    from keras_backend_lint.reexports import may_bind

    text = "import keras\nn0 = keras\n" + "".join(f"n{i + 1} = n{i}\n" for i in range(5000))
    assert may_bind(text, "n30")  # a short chain: followed to the import
    assert not may_bind(text, "n5000")  # thousands of links: given up on (a missed re-export), never a crash
    assert not may_bind("class Foo:\n    pass\nBar = Foo\n", "Bar")  # an alias of a class defined here
