"""Hypothesis strategies for programs that use the Keras backend in every way we know of.

The programs are built as text from small pieces so that every one of them parses (``valid_keras_programs``);
``keras_programs`` additionally mixes in broken variants (truncated, wrong indentation) for the paths that must
survive invalid input. Names come from the real release data (``data/api_surface.json``) plus typos of them, so
the checks see present, missing, private, leaked-module and never-existing names.
"""
from __future__ import annotations

import json
import keyword
from functools import lru_cache
from pathlib import Path
from typing import List

from hypothesis import strategies as st

DATA = Path(__file__).resolve().parent.parent / "keras_backend_lint" / "data" / "api_surface.json"

#: targets every property is checked against (a Keras 3 major, a 2.x minor, an old patch, a range across 2/3)
TARGETS = ("3", "2.15", "2.2.4", ">=2.12,<3.4")


@lru_cache(maxsize=None)
def api_names() -> List[str]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    names = set()
    for entry in data["keras"].values():
        for key in ("backend", "backend_private", "tf_backend", "tf_backend_private", "backend_modules",
                    "submodules", "ops", "config", "random", "utils"):
            names.update(entry.get(key) or ())
    for per_backend in data.get("backend_alternatives", {}).values():
        for extra in per_backend.values():
            names.update(extra)
    return sorted(n for n in names if n.isidentifier() and not keyword.iskeyword(n))


def _typo(draw_name: str, how: int, pos: int) -> str:
    name = draw_name
    if not name:
        return "x"
    pos %= len(name)
    if how == 0:  # drop a character
        out = name[:pos] + name[pos + 1:]
    elif how == 1:  # double a character
        out = name[:pos] + name[pos] + name[pos:]
    elif how == 2:  # swap two neighbours
        out = name[:pos] + name[pos + 1:pos + 2] + name[pos:pos + 1] + name[pos + 2:]
    else:  # a common contrib/tf spelling
        out = name + "_v2"
    if not out.isidentifier() or keyword.iskeyword(out):
        return name + "_"
    return out


real_names = st.deferred(lambda: st.sampled_from(api_names()))
typo_names = st.builds(_typo, real_names, st.integers(0, 3), st.integers(0, 40))
special_names = st.sampled_from([
    "tf", "np", "T", "theano", "C", "_BACKEND", "_get_available_gpus", "tensorflow_backend", "theano_backend",
    "common", "backend", "set_image_dim_ordering", "image_dim_ordering", "get_session", "set_session",
    "mean", "sum", "argmax", "concatenate", "clip", "reshape", "gather", "in_top_k", "epsilon", "floatx",
    "image_data_format", "set_learning_phase", "learning_phase", "placeholder", "variable", "__class__", "__dict__",
])
attr_names = st.one_of(real_names, typo_names, special_names)

#: statements that bind a backend (or a backend attribute) to a name, paired with the names they bind
BACKEND_BINDINGS = [
    ("from keras import backend as K", "K"),
    ("import keras.backend as KB", "KB"),
    ("from tensorflow.keras import backend", "backend"),
    ("from tensorflow.keras import backend as K", "K"),
    ("import tensorflow.keras.backend as K", "K"),
    ("from tensorflow.compat.v1.keras import backend as K1", "K1"),
    ("from tensorflow.compat.v2.keras import backend as K2", "K2"),
    ("from tensorflow.python.keras import backend as K", "K"),
    ("import keras\nK = keras.backend", "K"),
    ("import tensorflow as tf\nK = tf.keras.backend", "K"),
    ("import keras as k\nKK = k.backend", "KK"),
    ("from keras import backend as K\nK2 = K", "K2"),
    ("from keras import backend as K\nK = K.backend", "K"),
    ("import keras.backend", "keras"),
    ("from . import backend as K", "K"),
    ("from .keras import backend as K", "K"),
    ("from keras import backend", "backend"),
]
IMPORT_ONLY = st.sampled_from([
    "from keras.backend import *",
    "from tensorflow.keras.backend import *",
    "from keras.backend import tensorflow_backend",
    "from keras.backend import theano_backend as T",
    "import keras.backend.tensorflow_backend as tfb",
    "import keras.backend.common",
    "from keras.backend.common import epsilon",
    "from keras.backend.load_backend import backend",
    "from tensorflow.python.keras.layers import Layer",
    "import tensorflow.python.keras",
    "import keras",
    "import tensorflow as tf",
    "import tensorflow",
    "import os",
    "from keras.layers import Layer",
    "from tensorflow.keras.layers import Layer",
    "from tensorflow import keras",
    "import tf_keras",
])

identifiers = st.sampled_from(["x", "y", "z", "a", "b", "inputs", "self", "K", "KB", "backend", "tf", "np", "os"])
atoms = st.one_of(
    identifiers,
    st.integers(-3, 5).map(str),
    st.sampled_from(["None", "True", "'theano'", "'tensorflow'", "'cntk'", "'jax'", "1.5", "[1, 2]", "(x, y)",
                     "{'a': 1}", "...", "b'x'", "f'{x}'"]),
)


@st.composite
def backend_ref(draw) -> str:
    """An expression that names the backend (or a lookalike), e.g. ``K``, ``keras.backend``, ``tf.keras.backend``."""
    return draw(st.sampled_from([
        "K", "KB", "KK", "K1", "K2", "backend", "keras.backend", "tf.keras.backend", "tensorflow.keras.backend",
        "tf.compat.v1.keras.backend", "k.backend", "self.K", "K()", "K[0]",
    ]))


@st.composite
def call_args(draw, depth: int = 0) -> str:
    parts = draw(st.lists(st.one_of(atoms, backend_attr(depth + 1) if depth < 2 else atoms), max_size=3))
    kwargs = draw(st.lists(st.tuples(st.sampled_from(["axis", "keepdims", "x", "min_value", "max_value", "shape",
                                                      "dtype", "name", "k", "seed"]), atoms),
                           max_size=2, unique_by=lambda kv: kv[0]))
    out = list(parts) + [f"{k}={v}" for k, v in kwargs]
    if draw(st.booleans()) and draw(st.booleans()):
        out.append("*args")
    if draw(st.booleans()) and draw(st.booleans()):
        out.append("**kwargs")
    return ", ".join(out)


@st.composite
def backend_attr(draw, depth: int = 0) -> str:
    """``K.name``, ``K.name(args)``, ``K.name.sub``, ``getattr(K, 'name')`` ..."""
    base = draw(backend_ref())
    name = draw(attr_names)
    form = draw(st.integers(0, 6))
    if form == 0:
        return f"{base}.{name}"
    if form == 1 and depth < 2:
        return f"{base}.{name}({draw(call_args(depth))})"
    if form == 2:
        return f"{base}.{name}.{draw(attr_names)}"
    if form == 3:
        return f"getattr({base}, {name!r})"
    if form == 4:
        return f"{base}.backend() {draw(st.sampled_from(['==', '!=', 'in', 'not in', 'is']))} " + draw(
            st.sampled_from(["'theano'", "'cntk'", "'tensorflow'", "'jax'", "('theano', 'cntk')", "['torch']", "x"]))
    if form == 5:
        left = draw(st.sampled_from(['"theano"', "x", '"jax"']))
        return f"{left} == {base}.backend()"
    return f"{base}.{name}()"


@st.composite
def simple_statement(draw) -> str:
    kind = draw(st.integers(0, 14))
    if kind == 0:
        name, _ = draw(st.sampled_from(BACKEND_BINDINGS))
        return name
    if kind == 1:
        return draw(IMPORT_ONLY)
    if kind == 2:
        names = draw(st.lists(attr_names, min_size=1, max_size=3))
        module = draw(st.sampled_from(["keras.backend", "tensorflow.keras.backend", "keras.backend.common"]))
        alias = " as renamed" if len(names) == 1 and draw(st.booleans()) else ""
        return f"from {module} import {', '.join(names)}{alias}"
    if kind == 3:  # rebinding the backend name to something else
        return f"{draw(st.sampled_from(['K', 'KB', 'backend', 'mean']))} = {draw(atoms)}"
    if kind == 4:
        return f"os.environ[{draw(st.sampled_from(['KERAS_BACKEND', 'HOME']))!r}] = " + draw(
            st.sampled_from(["'theano'", "'cntk'", "'jax'", "'tensorflow'", "'torch'", "x", "'mxnet'"]))
    if kind == 5:
        return f"os.environ.setdefault('KERAS_BACKEND', {draw(st.sampled_from(['theano', 'jax', 'plaidml']))!r})"
    if kind == 6:
        return f"os.environ.update(KERAS_BACKEND={draw(st.sampled_from(['theano', 'jax']))!r})"
    if kind == 7:
        params = draw(st.sampled_from(["K", "x", "x, K=K", "*a"]))
        return f"{draw(identifiers)} = lambda {params}: {draw(backend_attr())}"
    if kind == 8:
        return f"del {draw(st.sampled_from(['K', 'KB', 'backend']))}"
    if kind == 9:
        return f"{draw(st.sampled_from(['global', 'nonlocal']))} K"
    if kind == 10:
        return f"[{draw(backend_attr())} for K in {draw(atoms)}]"
    if kind == 11:
        return f"{draw(identifiers)} = {draw(backend_attr())}"
    if kind == 12:
        return f"{draw(identifiers)}: int = {draw(backend_attr())}"
    if kind == 13:
        return "pass"
    return draw(backend_attr())


@st.composite
def block(draw, depth: int = 0) -> List[str]:
    """Lines (already indented relative to the block) of a compound or simple statement."""
    choice = draw(st.integers(0, 10 if depth < 3 else 0))
    if choice <= 3:
        return [draw(simple_statement())]
    body_size = draw(st.integers(1, 3))
    body: List[str] = []
    for _ in range(body_size):
        body.extend("    " + line for stmt in draw(block(depth + 1)) for line in stmt.split("\n"))
    if choice == 4:
        params = draw(st.sampled_from(["", "K", "x, K=None", "*, K", "K, /", "*args, **kwargs", "x: K.floatx()"]))
        header = draw(st.sampled_from(["def f({params}):", "async def g({params}):"])).format(params=params)
        decorator = draw(st.sampled_from(["", "@K.function\n", "@staticmethod\n"]))
        return (decorator.splitlines() if decorator else []) + [header] + body
    if choice == 5:
        base = draw(st.sampled_from(["Layer", "keras.layers.Layer", "tf.keras.layers.Layer", "object", "K.Layer",
                                     "MyLayer", ""]))
        method = draw(st.sampled_from(["call", "build", "compute_output_shape", "__init__"]))
        return [f"class MyLayer({base}):", f"    def {method}(self, inputs):"] + ["    " + b for b in body]
    if choice == 6:
        exc = draw(st.sampled_from(["ImportError", "AttributeError", "(ImportError, AttributeError)", "Exception",
                                    "ModuleNotFoundError", "ValueError", "", "keras.errors.Foo"]))
        handler = draw(block(depth + 1))
        return (["try:"] + body + [f"except {exc}:".replace("except :", "except:")]
                + ["    " + line for stmt in handler for line in stmt.split("\n")])
    if choice == 7:
        name = draw(attr_names)
        test = draw(st.sampled_from([f"hasattr(K, {name!r})", f"not hasattr(keras.backend, {name!r})",
                                     "K.backend() == 'theano'", "x and hasattr(K, 'tf')"]))
        out = [f"if {test}:"] + body
        if draw(st.booleans()):
            out += ["else:", "    " + draw(simple_statement()).replace("\n", "\n    ")]
        return out
    if choice == 8:
        return [draw(st.sampled_from(["for K in range(3):", "while x:", "with x as K:", "with x:",
                                      "for i, K in x:"]))] + body
    if choice == 9:
        pattern = draw(st.sampled_from(["K", "x", "[K, *rest]", "{**K}", "_"]))
        return [f"match {draw(atoms)}:", f"    case {pattern}:"] + [
            "    " + b for b in body]
    return ["def outer(K):", "    def inner():", "        nonlocal K"] + ["    " + b for b in body]


@st.composite
def valid_keras_programs(draw) -> str:
    """A syntactically valid module that exercises the backend bindings and checks."""
    lines: List[str] = []
    if draw(st.booleans()):
        lines.append("import os")
    for stmt in draw(st.lists(block(), min_size=1, max_size=8)):
        lines.extend(stmt)
    source = "\n".join(line for stmt in lines for line in stmt.split("\n")) + "\n"
    try:
        compile(source, "<generated>", "exec", flags=0x400, dont_inherit=True)  # PyCF_ONLY_AST
    except SyntaxError:
        # global/nonlocal in the wrong place and friends: drop those statements rather than reject the example
        source = "\n".join(
            line for line in source.split("\n")
            if line.strip() not in ("global K", "nonlocal K")
        ) + "\n"
        try:
            compile(source, "<generated>", "exec", flags=0x400, dont_inherit=True)
        except SyntaxError:
            source = "from keras import backend as K\nK.mean(x)\n"
    return source


@st.composite
def keras_programs(draw) -> str:
    """Valid programs, plus mangled ones (truncated, bad indentation, stray bytes) for the robustness paths."""
    source = draw(valid_keras_programs())
    mangle = draw(st.integers(0, 5))
    if mangle == 0 and len(source) > 2:
        return source[: draw(st.integers(1, len(source) - 1))]
    if mangle == 1:
        return source.replace("\n", "\n ", 1)
    if mangle == 2:
        return source.replace("\n", "\r\n")
    if mangle == 3:
        return source.replace("    ", "\t")
    return source


#: characters ``str.splitlines`` treats as line breaks but Python's tokenizer does not (inside comments/strings)
FAKE_BREAKS = "\x0c\x0b\x1c\x1d\x1e\x85\u2028\u2029"


@st.composite
def odd_whitespace_programs(draw) -> str:
    """Valid programs with mixed line endings (CRLF, lone CR), form feeds, tabs in comments and the characters
    ``str.splitlines`` mistakes for line breaks, in comments and string literals: line numbers must stay aligned."""
    lines = draw(valid_keras_programs()).split("\n")
    out = []
    for line in lines[:-1]:
        extra = draw(st.integers(0, 6))
        if extra == 0:
            line += "  # note" + draw(st.sampled_from(FAKE_BREAKS)) + "end"
        elif extra == 1:
            line += "\x0c"
        elif extra == 2 and line.strip():
            indent = len(line) - len(line.lstrip(" "))
            out.append(" " * indent + "_s = " + repr("a" + draw(st.sampled_from(FAKE_BREAKS)) + "b").replace(
                "\\x", "\\x") + "\n")
            out.append(" " * indent + "_t = '" + draw(st.sampled_from(FAKE_BREAKS)) + "'")
            out.append("\n")
        elif extra == 3:
            line = "\x0c" + line
        out.append(line)
        out.append(draw(st.sampled_from(["\n", "\r\n", "\r"])))
    source = "".join(out)
    try:
        compile(source, "<generated>", "exec", flags=0x400, dont_inherit=True)
    except SyntaxError:
        return draw(valid_keras_programs())
    return source


#: the comment ``same_program_other_whitespace`` appends; strip it with ``MARKER_COMMENT.sub("", text)``
import re as _re  # noqa: E402 - kept next to the only code that uses it

MARKER_COMMENT = _re.compile("  # zz[" + _re.escape(FAKE_BREAKS) + "]zz")


@st.composite
def same_program_other_whitespace(draw):
    """(program, the same program with other line endings and fake line breaks in trailing comments).

    Nothing that Python sees as a token or a line changes, so findings and fixes must be the same."""
    source = draw(valid_keras_programs())
    lines = source.split("\n")
    out = []
    for line in lines[:-1]:
        if draw(st.booleans()):
            line += "  # zz" + draw(st.sampled_from(FAKE_BREAKS)) + "zz"
        out.append(line + draw(st.sampled_from(["\n", "\r\n", "\r"])))
    return source, "".join(out) + lines[-1]
