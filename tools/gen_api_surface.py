#!/usr/bin/env python3
"""Generate ``keras_backend_lint/data/api_surface.json``.

Downloads released Keras distributions from PyPI (wheel, else sdist) and
extracts *statically* -- never importing them -- which names
``from keras import backend as K`` exposes in each release, plus
``tf.keras.backend`` and, for Keras 3, ``keras.ops`` and friends.

Only the standard library and ``packaging`` are used.  Downloads are cached in
``.cache/wheels/`` (override with ``--cache-dir``).  For the one release that
needs TensorFlow (Keras 2.4 re-exports ``tensorflow.keras.backend``) only the
needed member is read out of the TensorFlow wheel with HTTP range requests.

Usage::

    python tools/gen_api_surface.py            # writes the JSON
    python tools/gen_api_surface.py --check    # exit 1 if the JSON is stale

See docs/data.md for the modelling decisions.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import re
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from typing import Dict, Iterable, List, Optional, Set, Tuple

from packaging.version import InvalidVersion, Version

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(REPO_ROOT, "keras_backend_lint", "data", "api_surface.json")
DEFAULT_CACHE = os.path.join(REPO_ROOT, ".cache", "wheels")
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
GENERATOR = "tools/gen_api_surface.py"
SCHEMA = 1

# Keras 3 namespaces recorded besides the backend.
KERAS3_NAMESPACES = ("ops", "config", "random", "utils", "losses", "activations")
# Backend names that the old multi-backend loaders compare ``_BACKEND`` with.
OTHER_BACKENDS = ("theano", "cntk", "mxnet", "plaidml", "jax", "torch", "numpy")
DEFAULT_BACKEND = "tensorflow"
# Extra releases besides "last patch of every minor" (and the last 1.x).
EXTRA_RELEASES = ("2.2.4",)
# Keras releases whose ``keras.backend`` is ``tensorflow.keras.backend``: the
# TensorFlow release series whose generated API module we read.
TF_PAIRING = {"2.4": "2.4"}
# Where the generated ``tf.keras.backend`` module lives inside a TF wheel.
TF_BACKEND_MEMBERS = (
    "tensorflow/keras/backend/__init__.py",
    "tensorflow/_api/v2/keras/backend/__init__.py",
    "tensorflow_core/_api/v2/keras/backend/__init__.py",
)

_VERBOSE = True


def log(msg: str) -> None:
    if _VERBOSE:
        print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# network / cache


def http_get(url: str, headers: Optional[Dict[str, str]] = None, retries: int = 3) -> Tuple[int, Dict[str, str], bytes]:
    last: Optional[Exception] = None
    for attempt in range(retries):
        req = urllib.request.Request(url, headers=dict(headers or {}, **{"User-Agent": "keras-backend-lint-gen"}))
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
        except (urllib.error.URLError, OSError) as exc:  # pragma: no cover - network
            last = exc
            time.sleep(1 + attempt)
    raise RuntimeError("GET %s failed: %s" % (url, last))


def pypi_files(name: str) -> Dict[str, List[dict]]:
    """Release -> list of file dicts (absolute ``url``), from the PyPI JSON API."""
    api = PYPI_JSON.format(name=name)
    _, _, body = http_get(api)
    data = json.loads(body.decode("utf-8"))
    out: Dict[str, List[dict]] = {}
    for ver, files in data["releases"].items():
        good = []
        for f in files:
            if f.get("yanked"):
                continue
            f = dict(f)
            f["url"] = urllib.parse.urljoin(api, f["url"])
            good.append(f)
        if good:
            out[ver] = good
    return out


def cached_download(url: str, filename: str, cache_dir: str) -> str:
    path = os.path.join(cache_dir, filename)
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        log("  downloading %s" % filename)
        _, _, body = http_get(url)
        tmp = path + ".part"
        with open(tmp, "wb") as fh:
            fh.write(body)
        os.replace(tmp, path)
    return path


class HttpRangeFile(io.RawIOBase):
    """A seekable read-only file over HTTP range requests (for ``zipfile``)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.pos = 0
        status, headers, body = http_get(url, {"Range": "bytes=0-0"})
        if status != 206 or "content-range" not in headers:
            raise OSError("range requests not supported")
        self.size = int(headers["content-range"].rsplit("/", 1)[1])
        self.fetched = 0

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0:
            self.pos = offset
        elif whence == 1:
            self.pos += offset
        else:
            self.pos = self.size + offset
        return self.pos

    def readinto(self, buf) -> int:  # type: ignore[override]
        n = min(len(buf), self.size - self.pos)
        if n <= 0:
            return 0
        status, _, body = http_get(self.url, {"Range": "bytes=%d-%d" % (self.pos, self.pos + n - 1)})
        if status != 206:
            raise OSError("range request answered with %d" % status)
        buf[: len(body)] = body
        self.pos += len(body)
        self.fetched += len(body)
        return len(body)


def remote_zip_member(url: str, filename: str, members: Iterable[str], cache_dir: str) -> Tuple[str, bytes]:
    """Read the first existing member of a remote zip, with a disk cache."""
    members = list(members)
    base = os.path.join(cache_dir, filename + ".members")
    for m in members:
        p = os.path.join(base, m)
        if os.path.exists(p):
            with open(p, "rb") as fh:
                return m, fh.read()
    try:
        raw = HttpRangeFile(url)
        zf = zipfile.ZipFile(io.BufferedReader(raw, buffer_size=1 << 16))
        log("  lazy remote zip %s (%d MB, range requests)" % (filename, raw.size >> 20))
    except OSError:
        log("  range requests unsupported; full download of %s" % filename)
        zf = zipfile.ZipFile(cached_download(url, filename, cache_dir))
    names = set(zf.namelist())
    for m in members:
        if m in names:
            data = zf.read(m)
            p = os.path.join(base, m)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as fh:
                fh.write(data)
            return m, data
    raise RuntimeError("none of %s in %s" % (members, filename))


# --------------------------------------------------------------------------
# source trees


class Tree:
    """The ``.py`` files of a distribution, keyed by path inside site-packages."""

    def __init__(self, files: Dict[str, bytes]) -> None:
        self.files = files
        self.dirs: Set[str] = set()
        for p in files:
            parts = p.split("/")
            for i in range(1, len(parts)):
                self.dirs.add("/".join(parts[:i]))

    @classmethod
    def from_archive(cls, path: str) -> "Tree":
        files: Dict[str, bytes] = {}
        if path.endswith(".whl") or path.endswith(".zip"):
            with zipfile.ZipFile(path) as zf:
                for n in zf.namelist():
                    if n.endswith(".py"):
                        files[n] = zf.read(n)
        else:
            with tarfile.open(path) as tf:
                for m in tf.getmembers():
                    if m.isfile() and m.name.endswith(".py"):
                        parts = m.name.split("/", 1)
                        if len(parts) == 2:
                            fh = tf.extractfile(m)
                            if fh is not None:
                                files[parts[1]] = fh.read()
        return cls(files)

    def module_path(self, mod: str) -> Optional[str]:
        base = mod.replace(".", "/")
        for cand in (base + ".py", base + "/__init__.py"):
            if cand in self.files:
                return cand
        return None

    def is_package(self, mod: str) -> bool:
        return (mod.replace(".", "/") + "/__init__.py") in self.files

    def exists(self, mod: str) -> bool:
        # namespace packages (no __init__.py) count as modules too
        return self.module_path(mod) is not None or mod.replace(".", "/") in self.dirs

    def submodules(self, pkg: str) -> List[str]:
        if not self.is_package(pkg):
            return []
        prefix = pkg.replace(".", "/") + "/"
        out = set()
        for p in self.files:
            if p.startswith(prefix):
                rest = p[len(prefix):].split("/")
                if len(rest) == 1:
                    if rest[0] != "__init__.py":
                        out.add(rest[0][:-3])
                elif rest[-1] == "__init__.py" and len(rest) == 2:
                    out.add(rest[0])
        return sorted(n for n in out if n.isidentifier())


# --------------------------------------------------------------------------
# static module-level binding analysis

# Value of a binding: None for an ordinary object, else the absolute name of the
# module it is bound to.
Env = Dict[str, Optional[str]]


# Submodule names of TensorFlow's *public* generated API (``tf.<name>``,
# ``tf.compat.v2.experimental.<name>``, ``tf.keras.<name>`` ...).
TF_API_MODULES = frozenset(
    """activations applications audio autograph backend bitwise callbacks compat config constraints data
    datasets debugging distribute dtensor dtypes errors estimator experimental feature_column graph_util image
    initializers io keras layers linalg lite lookup losses math metrics mixed_precision models nest nn
    numpy optimizers preprocessing quantization queue ragged random raw_ops regularizers saved_model sets
    signal sparse strings summary sysconfig test tpu train types utils v1 v2 version wrappers xla""".split()
)
# Packages below ``tensorflow.python`` deeper than three components.
TF_DEEP_PACKAGES = frozenset(
    """tensorflow.python.ops.numpy_ops tensorflow.python.ops.ragged tensorflow.python.ops.linalg
    tensorflow.python.ops.signal tensorflow.python.ops.structured tensorflow.python.ops.losses
    tensorflow.python.distribute.coordinator tensorflow.python.distribute.cluster_resolver
    tensorflow.python.distribute.experimental tensorflow.python.data.ops tensorflow.python.data.util
    tensorflow.python.data.experimental tensorflow.python.saved_model.registration tensorflow.python.keras
    tensorflow.python.keras.engine tensorflow.python.keras.utils tensorflow.python.keras.layers
    tensorflow.python.keras.mixed_precision tensorflow.python.keras.optimizer_v2 tensorflow.python.keras.saving
    tensorflow.python.keras.distribute tensorflow.python.training.tracking tensorflow.python.trackable
    tensorflow.python.checkpoint tensorflow.python.util.protobuf""".split()
)


def _external_is_module(base: str, name: str) -> bool:
    """Guess whether ``from base import name`` binds a module, outside the tree.

    Used only for third-party imports (mostly TensorFlow).  In TensorFlow's
    implementation tree ``tensorflow.<a>.<b>`` is a package whose ``__init__``
    is empty, so names imported from it are submodules; anything deeper is a
    module file (names imported from it are objects) unless it is one of the
    known deeper packages.  In the public generated API (``tensorflow``,
    ``tensorflow.keras``, ``tensorflow.compat.v2.experimental``...) a name is
    a module when it is a known API namespace.  ``docs/data.md`` explains.
    """
    parts = base.split(".")
    if parts[0] in ("tensorflow", "tensorflow_core"):
        impl = len(parts) > 1 and parts[1] in ("python", "core", "tools", "compiler", "lite", "dtensor", "tsl")
        if impl:
            return base in TF_DEEP_PACKAGES or len(parts) == 3 or (len(parts) == 2 and name.islower())
        return name in TF_API_MODULES
    if base == "six.moves":
        return name in ("cPickle", "urllib", "queue", "builtins", "configparser", "http_client", "copyreg")
    if base == "os":
        return name == "path"
    if base in ("theano", "theano.tensor", "cntk", "scipy", "numpy"):
        return name.islower() and name not in ("function", "shared", "ifelse", "scan", "grad", "clip")
    return False


class Analyzer:
    """Computes module namespaces of one source tree, per selected backend."""

    def __init__(self, tree: Tree, backend: str = DEFAULT_BACKEND, externals: Optional[Dict[str, Tree]] = None) -> None:
        self.tree = tree
        self.backend = backend
        self.externals = externals or {}
        self._cache: Dict[str, Tuple[Env, Set[str]]] = {}
        self._active: Set[str] = set()
        # names bound only by ``global`` assignments inside functions: they
        # appear after the function runs, so a star import (a snapshot taken
        # at import time) does not copy them
        self._late: Dict[str, Set[str]] = {}

    # -- module lookup ------------------------------------------------------
    def _tree_for(self, mod: str) -> Optional[Tree]:
        if self.tree.exists(mod):
            return self.tree
        for ext in self.externals.values():
            if ext.exists(mod):
                return ext
        return None

    def source(self, mod: str) -> Optional[str]:
        tree = self._tree_for(mod)
        if tree is None:
            return None
        p = tree.module_path(mod)
        if p is None:
            return ""  # namespace package
        return tree.files[p].decode("utf-8", "replace")

    def is_package(self, mod: str) -> bool:
        tree = self._tree_for(mod)
        return tree is not None and (tree.is_package(mod) or tree.module_path(mod) is None)

    def is_module(self, base: str, name: str) -> bool:
        full = base + "." + name if base else name
        if self._tree_for(base) is not None or self._tree_for(full) is not None:
            return self._tree_for(full) is not None
        return _external_is_module(base, name)

    # -- analysis -----------------------------------------------------------
    def namespace(self, mod: str) -> Tuple[Env, Set[str]]:
        """(bindings, absolute names of modules imported at module level)."""
        if mod in self._cache:
            return self._cache[mod]
        if mod in self._active:  # import cycle: partial module, as Python does
            return {}, set()
        self._active.add(mod)
        try:
            src = self.source(mod)
            env: Env = {}
            imports: Set[str] = set()
            if src:
                try:
                    tree = ast.parse(src)
                except SyntaxError:
                    tree = ast.parse(_py2_fixups(src))
                pkg = mod if self.is_package(mod) else mod.rpartition(".")[0]
                _Exec(self, mod, pkg, env, imports).block(tree.body)
                if re.search(r"^\s*global\s", src, re.M):
                    self._late[mod] = _global_assignments(tree, env)
            result = (env, imports)
        finally:
            self._active.discard(mod)
        self._cache[mod] = result
        return result

    def star_names(self, mod: str) -> Env:
        env, _ = self.namespace(mod)
        allv = _static_all(self.source(mod) or "")
        if allv is not None:
            return {n: env.get(n) for n in allv}
        late = self._late.get(mod, set())
        return {n: v for n, v in env.items() if not n.startswith("_") and n not in late}

    def package_namespace(self, mod: str, roots: Iterable[str] = ()) -> Env:
        """Namespace of ``mod`` after importing it (and ``roots``), including
        the submodules that the import machinery binds on the package as a side
        effect of importing them anywhere at module level."""
        env = dict(self.namespace(mod)[0])
        if not self.tree.is_package(mod):
            return env
        seen: Set[str] = set()
        todo = [mod] + list(roots)
        prefix = mod + "."
        while todo:
            m = todo.pop()
            if m in seen or self._tree_for(m) is not self.tree:
                continue
            seen.add(m)
            _, imps = self.namespace(m)
            for imp in imps:
                parts = imp.split(".")
                for i in range(1, len(parts) + 1):
                    todo.append(".".join(parts[:i]))
        for m in sorted(seen):
            if m.startswith(prefix):
                sub = m[len(prefix):].split(".")[0]
                env.setdefault(sub, prefix + sub)
        return env


def _py2_fixups(src: str) -> str:
    src = re.sub(r"^(\s*)print ([^(].*)$", r"\1print(\2)", src, flags=re.M)
    src = re.sub(r"except (\w+), (\w+):", r"except \1 as \2:", src)
    return src


def _static_all(src: str) -> Optional[List[str]]:
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return None
    names: Optional[List[str]] = None
    for node in tree.body:
        targets: List[ast.expr] = []
        value = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        elif isinstance(node, ast.AugAssign):
            targets, value = [node.target], node.value
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            if isinstance(value, (ast.List, ast.Tuple)):
                vals = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
                if isinstance(node, ast.AugAssign) and names is not None:
                    names = names + vals
                else:
                    names = vals
    return names


def _target_names(t: ast.AST) -> List[str]:
    if isinstance(t, ast.Name):
        return [t.id]
    if isinstance(t, (ast.Tuple, ast.List)):
        out: List[str] = []
        for e in t.elts:
            out.extend(_target_names(e))
        return out
    if isinstance(t, ast.Starred):
        return _target_names(t.value)
    return []


def _global_assignments(module: ast.Module, env: Env) -> Set[str]:
    """Names a function declares ``global`` and assigns: bound once it runs.
    Adds the ones not bound at module level to ``env`` and returns them."""
    added: Set[str] = set()
    for fn in ast.walk(module):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        declared: Set[str] = set()
        for n in ast.walk(fn):
            if isinstance(n, ast.Global):
                declared.update(n.names)
        if not declared:
            continue
        for n in ast.walk(fn):
            names: List[str] = []
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    names.extend(_target_names(t))
            elif isinstance(n, (ast.AugAssign, ast.AnnAssign)):
                names.extend(_target_names(n.target))
            elif isinstance(n, (ast.For, ast.AsyncFor)):
                names.extend(_target_names(n.target))
            for name in names:
                if name in declared and name not in env:
                    env[name] = None
                    added.add(name)
    return added


class _Exec:
    """Executes the module-level statements symbolically, taking the union of
    ``if``/``try`` branches except where a branch is decided by the selected
    backend (``if _BACKEND == 'theano'``) or by ``TYPE_CHECKING``."""

    def __init__(self, an: Analyzer, mod: str, pkg: str, env: Env, imports: Set[str]) -> None:
        self.an, self.mod, self.pkg, self.env, self.imports = an, mod, pkg, env, imports
        self.cond = 0  # > 0 inside a branch whose alternatives are all taken

    def bind(self, name: str, value: Optional[str]) -> None:
        # Union of branches: a name that is a module in one branch
        # (``from x import m`` / ``else: m = None``) counts as a module.
        if value is None and self.cond and self.env.get(name) is not None:
            return
        self.env[name] = value

    def branch(self, stmts: List[ast.stmt]) -> None:
        self.cond += 1
        try:
            self.block(stmts)
        finally:
            self.cond -= 1

    def block(self, stmts: List[ast.stmt]) -> None:
        for s in stmts:
            self.stmt(s)

    def _abs(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.pkg.split(".")
        if node.level > 1:
            base = base[: len(base) - (node.level - 1)]
        out = ".".join(base)
        if node.module:
            out = out + "." + node.module if out else node.module
        return out

    def stmt(self, s: ast.stmt) -> None:
        env = self.env
        if isinstance(s, ast.Import):
            for a in s.names:
                self.imports.add(a.name)
                if a.asname:
                    self.bind(a.asname, a.name)
                else:
                    top = a.name.split(".")[0]
                    self.bind(top, top)
        elif isinstance(s, ast.ImportFrom):
            base = self._abs(s)
            if base == "__future__":
                for a in s.names:
                    self.bind(a.asname or a.name, None)
                return
            self.imports.add(base)
            for a in s.names:
                if a.name == "*":
                    env.update(self.an.star_names(base))
                    continue
                target = a.asname or a.name
                if self.an.is_module(base, a.name):
                    full = base + "." + a.name
                    self.imports.add(full)
                    self.bind(target, full)
                else:
                    # a name re-exported from a package __init__ may itself be a module
                    val = None
                    if self.an._tree_for(base) is not None and base != self.mod:
                        val = self.an.namespace(base)[0].get(a.name)
                    self.bind(target, val)
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bind(s.name, None)
        elif isinstance(s, ast.Assign):
            for t in s.targets:
                for n in _target_names(t):
                    self.bind(n, self._value_module(s.value) if isinstance(t, ast.Name) else None)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                for n in _target_names(s.target):
                    self.bind(n, None)
        elif isinstance(s, ast.AugAssign):
            for n in _target_names(s.target):
                self.bind(n, env.get(n))
        elif isinstance(s, (ast.For, ast.AsyncFor)):
            for n in _target_names(s.target):
                self.bind(n, None)
            self.block(s.body)
            self.block(s.orelse)
        elif isinstance(s, ast.While):
            self.block(s.body)
            self.block(s.orelse)
        elif isinstance(s, (ast.With, ast.AsyncWith)):
            for item in s.items:
                if item.optional_vars is not None:
                    for n in _target_names(item.optional_vars):
                        self.bind(n, None)
            self.block(s.body)
        elif isinstance(s, ast.If):
            decided = self._decide(s.test)
            if decided is None:
                self.branch(s.body)
                self.branch(s.orelse)
            elif decided:
                self.block(s.body)
            else:
                self.block(s.orelse)
        elif isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            self.branch(s.body)  # type: ignore[attr-defined]
            for h in s.handlers:  # type: ignore[attr-defined]
                self.branch(h.body)
            self.branch(s.orelse)  # type: ignore[attr-defined]
            self.block(s.finalbody)  # type: ignore[attr-defined]
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                for n in _target_names(t):
                    env.pop(n, None)
        elif isinstance(s, ast.Expr):
            for n in ast.walk(s.value):
                if isinstance(n, ast.NamedExpr) and isinstance(n.target, ast.Name):
                    self.bind(n.target.id, None)

    def _value_module(self, value: ast.expr) -> Optional[str]:
        # ``x = some_module`` keeps the module-ness of an alias
        if isinstance(value, ast.Name):
            return self.env.get(value.id)
        return None

    def _decide(self, test: ast.expr) -> Optional[bool]:
        """True/False when the test compares the backend name, else None."""
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
            return False
        if isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING":
            return False
        if isinstance(test, ast.BoolOp):
            vals = [self._decide(v) for v in test.values]
            if isinstance(test.op, ast.Or):
                if any(v is True for v in vals):
                    return True
                if all(v is False for v in vals):
                    return False
            else:
                if any(v is False for v in vals):
                    return False
                if all(v is True for v in vals):
                    return True
            return None
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            v = self._decide(test.operand)
            return None if v is None else not v
        if not isinstance(test, ast.Compare) or len(test.ops) != 1:
            return None
        consts: List[str] = []
        for n in [test.left] + list(test.comparators):
            for c in ast.walk(n):
                if isinstance(c, ast.Constant) and isinstance(c.value, str):
                    consts.append(c.value)
        known = set(OTHER_BACKENDS) | {DEFAULT_BACKEND}
        names = [c for c in consts if c in known]
        if not names or len(names) != len(consts):
            return None
        # the non-constant side must look like the backend variable
        literals = (ast.Constant, ast.Tuple, ast.List, ast.Set)
        other = [n for n in [test.left] + list(test.comparators) if not isinstance(n, literals)]
        if len(other) != 1 or "backend" not in ast.dump(other[0]).lower():
            return None
        hit = self.an.backend in names
        op = test.ops[0]
        if isinstance(op, (ast.Eq, ast.In, ast.Is)):
            return hit
        if isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot)):
            return not hit
        return None


# --------------------------------------------------------------------------
# per-release surfaces


def split(env: Env) -> Dict[str, List[str]]:
    names = [n for n in env if not (n.startswith("__") and n.endswith("__"))]
    public = sorted(n for n in names if not n.startswith("_"))
    private = sorted(n for n in names if n.startswith("_") and not n.startswith("__"))
    modules = sorted(n for n in public + private if env[n] is not None)
    return {"public": public, "private": private, "modules": modules}


def resolve_attr_module(an: Analyzer, parent: str, attr: str) -> str:
    """Which module ``from parent import attr`` gives (the parent's
    ``__init__`` may rebind it, e.g. to a generated API module)."""
    env = an.package_namespace(parent)
    val = env.get(attr)
    if isinstance(val, str):
        return val
    return parent + "." + attr


def surface(tree: Tree, version: Version, tf_tree: Optional[Tree]) -> dict:
    externals = {"tensorflow": tf_tree} if tf_tree is not None else {}
    an = Analyzer(tree, DEFAULT_BACKEND, externals)
    kb = resolve_attr_module(an, "keras", "backend")
    env = an.package_namespace(kb, roots=["keras"])
    s = split(env)
    entry: dict = {
        "backend": s["public"],
        "backend_private": s["private"],
        "backend_modules": s["modules"],
        "submodules": tree.submodules(kb) if tree.exists(kb) else [],
        "tf_backend": None,
        "tf_backend_private": None,
    }
    log("  keras.backend is %s (%s)" % (kb, an._tree_for(kb) and an._tree_for(kb).module_path(kb)))
    tfb: Optional[Env] = None
    if version.major == 2 and version >= Version("2.4") and version < Version("2.6"):
        tfb = Analyzer(tf_tree).namespace(_tf_backend_module(tf_tree))[0] if tf_tree else None
    elif version.major == 2 and version >= Version("2.6"):
        mod = "keras.api._v2.keras.backend"
        if tree.exists(mod):
            tfb = an.package_namespace(mod)
    elif version.major >= 3:
        mod = "keras._tf_keras.keras.backend"
        if tree.exists(mod):
            tfb = an.package_namespace(mod)
    if tfb is not None:
        t = split(tfb)
        entry["tf_backend"] = t["public"]
        entry["tf_backend_private"] = t["private"]
    if version.major >= 3:
        for ns in KERAS3_NAMESPACES:
            m = resolve_attr_module(an, "keras", ns)
            entry[ns] = split(an.package_namespace(m))["public"] if tree.exists(m) else []
    # theano / cntk only names (old multi-backend releases)
    alts = {}
    if tree.is_package(kb) and any(b + "_backend" in entry["submodules"] for b in ("theano", "cntk")):
        base = set(s["public"])
        for b in ("theano", "cntk"):
            if b + "_backend" in entry["submodules"]:
                env_b = Analyzer(tree, b, externals).package_namespace(kb, roots=["keras"])
                extra = sorted(n for n in split(env_b)["public"] if n not in base)
                alts[b] = extra
    return {"entry": entry, "alternatives": alts}


def _tf_backend_module(tf_tree: Tree) -> str:
    for m in TF_BACKEND_MEMBERS:
        if m in tf_tree.files:
            return m[: -len("/__init__.py")].replace("/", ".")
    raise RuntimeError("no tf.keras.backend module in TF tree")


# --------------------------------------------------------------------------
# release selection


def select_releases(releases: Iterable[str]) -> List[Version]:
    """Last 1.x release, the last patch of every 2.x/3.x+ minor, plus extras."""
    finals: List[Version] = []
    for r in releases:
        try:
            v = Version(r)
        except InvalidVersion:
            continue
        if v.is_prerelease or v.is_devrelease or v.is_postrelease or v.local:
            continue
        finals.append(v)
    chosen: Set[Version] = set()
    ones = [v for v in finals if v.major == 1]
    if ones:
        chosen.add(max(ones))
    by_minor: Dict[Tuple[int, int], Version] = {}
    for v in finals:
        if v.major >= 2:
            key = (v.major, v.minor)
            if key not in by_minor or v > by_minor[key]:
                by_minor[key] = v
    chosen.update(by_minor.values())
    for e in EXTRA_RELEASES:
        if Version(e) in finals:
            chosen.add(Version(e))
    return sorted(chosen)


def pick_file(files: List[dict]) -> dict:
    wheels = sorted(
        (f for f in files if f["packagetype"] == "bdist_wheel" and f["filename"].endswith(".whl")),
        key=lambda f: f["filename"],
    )
    if wheels:
        return wheels[0]
    sdists = sorted((f for f in files if f["packagetype"] == "sdist"), key=lambda f: f["filename"])
    if not sdists:
        raise RuntimeError("no wheel or sdist")
    return sdists[0]


def tf_tree_for(series: str, cache_dir: str, tf_files: Dict[str, Dict[str, List[dict]]]) -> Tree:
    """A Tree holding just TF's generated ``tf.keras.backend`` module."""
    if "tensorflow-cpu" not in tf_files:
        tf_files["tensorflow-cpu"] = pypi_files("tensorflow-cpu")
    rel = tf_files["tensorflow-cpu"]
    cands = [Version(r) for r in rel if not Version(r).is_prerelease and str(Version(r)).startswith(series + ".")]
    ver = max(cands)
    linux = sorted(
        (f for f in rel[str(ver)] if f["filename"].endswith(".whl") and "manylinux" in f["filename"]),
        key=lambda f: f["filename"],
    )
    f = linux[-1]
    log("  tf.keras.backend from %s" % f["filename"])
    member, data = remote_zip_member(f["url"], f["filename"], TF_BACKEND_MEMBERS, cache_dir)
    return Tree({member: data})


# --------------------------------------------------------------------------


def generate(cache_dir: str, only: Optional[List[str]] = None) -> Tuple[dict, Dict[str, object]]:
    files = pypi_files("keras")
    versions = select_releases(files)
    if only:
        versions = [v for v in versions if str(v) in only]
    out: Dict[str, dict] = {}
    alternatives: Dict[str, dict] = {}
    tf_files: Dict[str, Dict[str, List[dict]]] = {}
    tf_trees: Dict[str, Tree] = {}
    for v in versions:
        f = pick_file(files[str(v)])
        log("keras %s: %s" % (v, f["filename"]))
        path = cached_download(f["url"], f["filename"], cache_dir)
        tree = Tree.from_archive(path)
        tf_tree = None
        series = TF_PAIRING.get("%d.%d" % (v.major, v.minor))
        if series:
            if series not in tf_trees:
                tf_trees[series] = tf_tree_for(series, cache_dir, tf_files)
            tf_tree = tf_trees[series]
        res = surface(tree, v, tf_tree)
        out[str(v)] = res["entry"]
        if res["alternatives"]:
            alternatives[str(v)] = res["alternatives"]
    ordered = {k: out[k] for k in sorted(out, key=Version)}
    data = {
        "schema": SCHEMA,
        "generator": GENERATOR,
        "keras": ordered,
        "backend_alternatives": {k: alternatives[k] for k in sorted(alternatives, key=Version)},
    }
    return data, {"versions": [str(v) for v in versions]}


def _canonical(obj: object, version_keys: bool = False) -> object:
    """Dicts with sorted keys (release maps in ``packaging`` order)."""
    if isinstance(obj, dict):
        keys = sorted(obj, key=Version) if version_keys else sorted(obj)
        return {
            k: _canonical(obj[k], version_keys=k in ("keras", "backend_alternatives") and not version_keys)
            for k in keys
        }
    if isinstance(obj, list):
        return [_canonical(x) for x in obj]
    return obj


def dumps(data: dict) -> str:
    """Deterministic text: every dict's keys sorted, except that release maps
    are sorted by ``packaging.version`` (``sort_keys=True`` would put 2.10.0
    before 2.2.4), so the ordering is done here and ``sort_keys`` stays off."""
    return json.dumps(_canonical(data), indent=None, sort_keys=False, separators=(",", ":")) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    global _VERBOSE
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", default=DEFAULT_OUT)
    p.add_argument("--cache-dir", default=os.environ.get("KBL_CACHE_DIR", DEFAULT_CACHE))
    p.add_argument("--check", action="store_true", help="exit 1 when the output file differs")
    p.add_argument("--only", action="append", help="restrict to these versions (debugging; does not write)")
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    _VERBOSE = not args.quiet
    t0 = time.time()
    data, _ = generate(args.cache_dir, args.only)
    text = dumps(data)
    if args.only:
        sys.stdout.write(json.dumps(data, indent=1, sort_keys=True) + "\n")
        return 0
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as fh:
                old = fh.read()
        except OSError:
            old = ""
        if old != text:
            log("%s is stale" % args.output)
            return 1
        log("%s is up to date" % args.output)
        return 0
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    size, count = len(text.encode()), len(data["keras"])
    log("wrote %s (%d bytes, %d releases) in %.1fs" % (args.output, size, count, time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
