"""Project-local re-exports: ``mypkg/backend.py`` binds K, the rest of the project imports it from there."""
import subprocess
import sys
import textwrap

import pytest
from test_cli import run

from keras_backend_lint.reexports import _MAX_ALIASES, ProjectIndex, _Module, project_for


def may_bind(text: str, name: str) -> bool:
    """The text reader's superset, as ``_may_export`` asks it of one module: ``text`` may bind ``name`` by an import
    statement, or assign it a dotted name rooted at such a name (``K2 = K``), followed for at most
    ``_MAX_ALIASES`` links."""
    info = _Module(text, "")
    todo, seen = [name], {name}
    while todo:
        current = todo.pop()
        if info.sources(current):
            return True
        for root in info.alias_roots(current):
            if root not in seen and len(seen) < _MAX_ALIASES:
                seen.add(root)
                todo.append(root)
    return False


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
    text = "import keras\nn0 = keras\n" + "".join(f"n{i + 1} = n{i}\n" for i in range(5000))
    assert may_bind(text, "n30")  # a short chain: followed to the import
    assert not may_bind(text, "n5000")  # thousands of links: given up on (a missed re-export), never a crash
    assert not may_bind("class Foo:\n    pass\nBar = Foo\n", "Bar")  # an alias of a class defined here


# -- the text check before a parse: a superset of what a module re-exports -------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "from keras import (\n    layers,  # (a comment with parentheses)\n    backend as K,\n)\n",
        "from keras import (layers,\n                   backend as K)\n",
        "from keras \\\n    import backend as K\n",
        "from keras import layers, \\\n    backend as K\n",
        "import os; from keras import backend as K\n",
        "try: from keras import backend as K\nexcept ImportError: pass\n",
        "if True:\n    import keras.backend as K\n",
        "import keras\nK = keras.backend\n",
        "import keras\n(K) = (keras\n    .backend)\n",
        "import keras\nK = \\\n    keras.backend  # an alias\n",
        "import keras\nK0 = keras\nK1 = K0\nK = K1.backend\n",
        "import keras\nKB = K = keras.backend\n",
        "from keras import backend as K\r\nK2 = K\r\n",
        "from keras import backend as \uff2b\n",  # a fullwidth K: Python reads it as K
    ],
)
def test_may_bind_sees_every_way_of_binding_a_name(text):
    name = "K" if "K2" not in text else "K2"
    assert may_bind(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "import keras\n\n\nclass K:\n    pass\n",
        "import keras\nK = keras.backend.mean(1)\nK += 1\n",  # a call, not an alias
        "import keras\nif K == keras.backend:\n    pass\n",
        "from keras import *\n",
    ],
)
def test_may_bind_is_not_everything(text):
    assert not may_bind(text, "K")


def _index_for(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    index = ProjectIndex()
    return index, project_for(str(tmp_path / "user.py"), index)


def test_a_package_passes_a_name_on_from_its_submodule(tmp_path):
    index, project = _index_for(tmp_path, {
        "pkg/__init__.py": "from .compat import K as KB\nfrom pkg.layers import Dense, helper\n",
        "pkg/compat.py": "import keras\n\nfrom .compat_impl import backend as K\n",
        "pkg/compat_impl.py": "from keras import (\n    backend,\n)\n",
        "pkg/layers.py": "import keras\n\n\nclass Dense(keras.layers.Layer):\n    pass\n\n\ndef helper():\n    pass\n",
        "user.py": "",
    })
    assert project.resolve("pkg.KB") == frozenset({"keras.backend"})
    assert project.resolve("pkg.Dense") is None
    assert project.resolve("pkg.helper") is None
    assert project.resolve("pkg.layers.Dense") is None
    # a package that only passes its submodules' own classes on is never parsed for them
    index2, project2 = _index_for(tmp_path, {})
    assert project2.resolve("pkg.Dense") is None and project2.resolve("pkg.helper") is None
    assert index2._exports == {}


def test_a_cycle_is_cut_and_what_it_reaches_is_not_forgotten(tmp_path):
    index, project = _index_for(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "import keras\nfrom pkg.b import Q\nfrom keras import backend as Q\n",
        "pkg/b.py": "import keras\nfrom pkg.a import Q\nfrom pkg.a import Q as R\n",
        "user.py": "",
    })
    assert index._may_export("pkg.a", "Q", str(tmp_path))
    assert index._may_export("pkg.b", "Q", str(tmp_path))  # found through a, once a's search has ended
    assert index._may_export("pkg.b", "R", str(tmp_path))


def test_a_relative_import_and_an_alias_chain_are_followed(tmp_path):
    index, project = _index_for(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from ..backend import K as _K\nK2 = _K\n",
        "pkg/backend.py": "from keras import backend as K\n",
        "user.py": "",
    })
    assert project.resolve("pkg.sub.K2") == frozenset({"keras.backend"})


def test_odd_module_texts_cost_one_pass(tmp_path):
    import time

    from keras_backend_lint.reexports import _Module

    texts = [
        "import (\n" * 20000,
        "import a \\\n" * 20000,
        "# import (\n" * 20000 + "K = 1\n",
        "from x import (\n" + "# a (comment) )\n" * 20000 + "K)\n",
        "from x import (" + " K," * 100000 + ")\n",
        "K =" + " " * 100000 + "x\n",
    ]
    start = time.perf_counter()
    for text in texts:
        module = _Module(text, "")
        module.sources("K")
        module.alias_roots("K")
    assert time.perf_counter() - start < 5
    assert _Module(texts[3], "").sources("K") == [(0, "x", "K")]


def test_an_import_after_an_odd_one_on_the_same_line_is_seen():
    assert may_bind('x = "import a #"; from keras import backend as K\n', "K")
    assert may_bind('x = "import (#"; from keras import backend as K\n', "K")


# -- the checked file: an imported name is looked up only where its use can matter -----------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "y = K.mean(x)\n",
        "y = (K\n     .mean(x))\n",  # a chain across lines
        "y = K \\\n    .mean(x)\n",
        "y = (K  # the backend\n     .mean(x))\n",
        "environ['KERAS_BACKEND'] = 'theano'\n",
        "if K() == 'theano':\n    pass\n",  # a getter called without arguments
        "B = K\nB.mean(x)\n",
        "B = (\n    K)\n",
        "f(backend=K)\n",
        "if (B := K):\n    pass\n",
    ],
)
def test_may_matter_sees_every_use_a_reexport_can_matter_to(text):
    from keras_backend_lint.reexports import may_matter

    name = "environ" if "environ" in text else "K"
    assert may_matter(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "model = K(inputs, outputs)\nmodel.fit(x)\n",  # a class, only called
        "self.K.mean(x)\n",  # an attribute of something else
        "if K == B:\n    pass\n",
        "KK.mean(x)\nK_.mean(x)\n",
        "print(K, x)\n",
    ],
)
def test_may_matter_is_not_every_use(text):
    from keras_backend_lint.reexports import may_matter

    assert not may_matter(text, "K")
    assert may_matter("K(x)\n", "K", calls=True)  # KBL401 looks at every call in a layer


def test_a_module_whose_imported_names_are_only_called_is_never_read(tmp_path):
    index, project = _index_for(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/models.py": "import keras\n\n\ndef build(n):\n    return keras.Sequential()\n",
        "pkg/backend.py": "from keras import backend as K\n",
        "user.py": "from keras import backend\nfrom pkg.models import build\nfrom pkg.backend import K\n"
                   "model = build(1)\nK.mean(1)\n",
    })
    import ast

    from keras_backend_lint.checks import Settings
    from keras_backend_lint.engine import check_lines
    from keras_backend_lint.versions import parse_target

    text = (tmp_path / "user.py").read_text()
    settings = Settings(parse_target("3"), codes=frozenset({"KBL201"}))  # KBL401 off: calls do not matter
    found = check_lines(text.splitlines(True), ast.parse(text), settings, project)
    assert [v.code for v in found] == ["KBL201"]  # K.mean, through the re-export
    root = str(tmp_path)
    assert (root, "pkg.backend") in index._texts and (root, "pkg.models") not in index._texts
