"""``keras-backend-lint doctor``: what this interpreter's ``import keras`` and ``tf.keras`` would give, and what is
wrong with it, from distribution metadata, environment variables and ``keras.json`` only (nothing is imported).

Exit 0 when nothing is wrong, 1 when something is, 2 on usage errors. ``--path DIR`` (repeatable) reads the
distributions in those directories instead of the interpreter's ``sys.path``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass, field
from importlib import metadata
from typing import IO, Dict, List, Mapping, Optional, Sequence

from packaging.version import InvalidVersion, Version

from . import pairing
from .backends import supported_backends

#: the distributions reported, in this order
REPORTED = ("keras", "keras-nightly", "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos",
            "tensorflow-intel", "tf-keras", "jax", "torch", "theano", "cntk")
TF_NAMES = pairing.TF_FLAVOURS
TRUE = ("1", "true", "yes")


@dataclass
class Installed:
    name: str
    version: str
    location: str
    top_level: List[str]

    @property
    def parsed(self) -> Optional[Version]:
        try:
            return Version(self.version)
        except InvalidVersion:
            return None


@dataclass
class Diagnosis:
    installed: Dict[str, Installed] = field(default_factory=dict)
    environment: Dict[str, Optional[str]] = field(default_factory=dict)
    keras_json: Dict[str, object] = field(default_factory=dict)
    import_keras: str = "not installed"
    tf_keras: str = "tensorflow not installed"
    problems: List[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "installed": {n: {"version": d.version, "location": d.location} for n, d in self.installed.items()},
            "environment": self.environment,
            "keras_json": self.keras_json,
            "import_keras": self.import_keras,
            "tf.keras": self.tf_keras,
            "problems": self.problems,
            "ok": not self.problems,
        }


def _normal(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


def _top_level(dist: metadata.Distribution) -> List[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return sorted({line.strip() for line in text.splitlines() if line.strip()})
    names = set()
    for entry in dist.files or ():
        parts = str(entry).replace("\\", "/").split("/")
        head = parts[0]
        if head.endswith((".dist-info", ".egg-info", ".data")) or head in ("..", "__pycache__") or not head:
            continue
        if len(parts) > 1 or head.endswith(".py"):
            names.add(head[:-3] if head.endswith(".py") else head)
    return sorted(names)


def default_paths() -> List[str]:
    """The interpreter's import path without the working directory (whose files are the user's, not installed)."""
    cwd = os.path.abspath(os.getcwd())
    return [p for p in sys.path if p and os.path.isdir(p) and os.path.abspath(p) != cwd]


def scan(paths: Sequence[str]) -> Dict[str, List[Installed]]:
    """Every distribution on ``paths`` by normalised name (the first one on the path shadows later ones)."""
    out: Dict[str, List[Installed]] = {}
    for dist in metadata.distributions(path=list(paths)):
        try:
            name = _normal(dist.metadata["Name"] or "")
            version = dist.version or "?"
        except Exception:  # a broken METADATA file: skip it rather than fail the report
            continue
        if not name:
            continue
        location = str(getattr(dist, "_path", "")) or "?"
        out.setdefault(name, []).append(Installed(name, version, location, _top_level(dist)))
    return out


def keras_json(environ: Mapping[str, str]) -> Dict[str, object]:
    home = environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    path = os.path.join(home, "keras.json")
    info: Dict[str, object] = {"path": path, "exists": os.path.isfile(path)}
    if not info["exists"]:
        return info
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        info["error"] = f"{type(exc).__name__}: {exc}"
        return info
    if isinstance(data, dict):
        for key in ("backend", "image_data_format", "image_dim_ordering"):
            if key in data:
                info[key] = data[key]
    else:
        info["error"] = "not a JSON object"
    return info


def diagnose(paths: Optional[Sequence[str]] = None, environ: Optional[Mapping[str, str]] = None) -> Diagnosis:
    environ = os.environ if environ is None else environ
    found = scan(default_paths() if paths is None else paths)
    result = Diagnosis()
    for name in REPORTED:
        if name in found:
            result.installed[name] = found[name][0]
    result.environment = {key: environ.get(key) for key in ("KERAS_BACKEND", "TF_USE_LEGACY_KERAS", "KERAS_HOME")}
    result.keras_json = keras_json(environ)
    _check_shadowing(found, result)
    keras = _import_keras(found, result)
    _check_tf_keras(result, keras, environ)
    _check_backends(result, keras, environ)
    return result


def _check_shadowing(found: Dict[str, List[Installed]], result: Diagnosis) -> None:
    owners = [d for dists in found.values() for d in dists if "keras" in d.top_level]
    if len(owners) > 1:
        listed = ", ".join(f"{d.name} {d.version}" for d in owners)
        result.problems.append(
            f"{len(owners)} distributions install the top-level keras package ({listed}); they overwrite each "
            "other's files: uninstall all of them and install one"
        )


def _import_keras(found: Dict[str, List[Installed]], result: Diagnosis) -> Optional[Installed]:
    owners = [d for dists in found.values() for d in dists if "keras" in d.top_level]
    keras = owners[0] if owners else (found.get("keras") or [None])[0]
    if keras is not None:
        result.import_keras = f"keras {keras.version} ({keras.name})"
    return keras


def _tensorflow(result: Diagnosis) -> Optional[Installed]:
    return next((result.installed[n] for n in TF_NAMES if n in result.installed), None)


def _check_tf_keras(result: Diagnosis, keras: Optional[Installed], environ: Mapping[str, str]) -> None:
    tf = _tensorflow(result)
    if tf is None or tf.parsed is None:
        return
    tf_version = tf.parsed
    entry = next((e for e in pairing.load().get("tensorflow", ()) if pairing.same_minor(e.version, tf_version)), None)
    legacy = (environ.get("TF_USE_LEGACY_KERAS") or "").strip().lower() in TRUE
    tf_keras = result.installed.get("tf-keras")
    if tf_version >= pairing.FIRST_KERAS3_TF and legacy:
        if tf_keras is None:
            result.tf_keras = "nothing: TF_USE_LEGACY_KERAS is set but tf-keras is not installed"
            result.problems.append(f"TF_USE_LEGACY_KERAS is set, but tf-keras is not installed beside {tf.name} "
                                   f"{tf.version}; pip install tf-keras~={tf_version.major}.{tf_version.minor}.0")
            return
        result.tf_keras = f"tf-keras {tf_keras.version} (Keras 2, because TF_USE_LEGACY_KERAS is set)"
    elif tf_version < Version("2.6"):
        result.tf_keras = f"{tf.name} {tf.version}'s own Keras (part of TensorFlow)"
    elif keras is None:
        result.tf_keras = "nothing: keras is not installed"
        result.problems.append(f"{tf.name} {tf.version} needs keras for tf.keras, and none is installed")
        return
    else:
        result.tf_keras = f"keras {keras.version} ({keras.name})"
    if tf_keras is not None and tf_keras.parsed is not None:
        tfk_entries = [e for e in pairing.load().get("tf-keras", ()) if pairing.same_minor(e.version, tf_keras.parsed)]
        if tfk_entries:
            fits = pairing.tf_keras_fits(tfk_entries[0], tf_version)
        else:
            fits = pairing.same_minor(tf_keras.parsed, tf_version)
        if not fits:
            result.problems.append(f"tf-keras {tf_keras.version} does not fit {tf.name} {tf.version}; install "
                                   f"tf-keras~={tf_version.major}.{tf_version.minor}.0")
    if keras is not None and keras.parsed is not None and entry is not None and not (legacy and tf_keras):
        if not pairing.tf_gives_keras(entry, keras.parsed):
            need = entry.requires.get("keras")
            why = f"requires keras{need}" if need is not None else "has its own tf.keras"
            result.problems.append(f"keras {keras.version} does not fit {tf.name} {tf.version}, which {why}; "
                                   "import keras and tf.keras give different Kerases")


def _check_backends(result: Diagnosis, keras: Optional[Installed], environ: Mapping[str, str]) -> None:
    if keras is None or keras.parsed is None:
        return
    can_run = supported_backends(keras.parsed)
    chosen = [("KERAS_BACKEND", environ.get("KERAS_BACKEND"))]
    chosen.append((result.keras_json.get("path", "keras.json"), result.keras_json.get("backend")))  # type: ignore
    for where, backend in chosen:
        if isinstance(backend, str) and backend and backend not in can_run:
            result.problems.append(f"{where} selects the {backend} backend, which keras {keras.version} cannot run "
                                   f"on (it supports {', '.join(sorted(can_run))})")
    if "error" in result.keras_json:
        result.problems.append(f"{result.keras_json['path']} cannot be read ({result.keras_json['error']}); "
                               "keras will fail on import")
    for dead in ("theano", "cntk"):
        if dead in result.installed and dead not in can_run:
            result.problems.append(f"{dead} is installed, but keras {keras.version} cannot run on it; uninstall it")


# --- command --------------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--path", action="append", metavar="DIR",
                        help="read the distributions installed in DIR (repeatable) instead of this interpreter's")


def write_text(result: Diagnosis, out: IO[str]) -> None:
    out.write("installed (metadata only, nothing imported):\n")
    for name in REPORTED:
        dist = result.installed.get(name)
        if dist is not None:
            out.write(f"  {name:<17} {dist.version}\n")
    if not result.installed:
        out.write("  none of keras, tensorflow, tf-keras, jax, torch, theano\n")
    for key, value in result.environment.items():
        out.write(f"{key}: {value if value is not None else '(not set)'}\n")
    info = result.keras_json
    if info.get("exists"):
        shown = ", ".join(f"{k}={info[k]}" for k in ("backend", "image_data_format", "image_dim_ordering") if k in info)
        out.write(f"keras.json: {info['path']} ({shown or 'no backend set'})\n")
    else:
        out.write(f"keras.json: {info['path']} (absent)\n")
    out.write(f"import keras gives: {result.import_keras}\n")
    out.write(f"tf.keras gives: {result.tf_keras}\n")
    for problem in result.problems:
        out.write(f"problem: {problem}\n")
    out.write("ok\n" if not result.problems else f"{len(result.problems)} problem(s)\n")


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    result = diagnose(args.path)
    if args.format == "json":
        json.dump(result.as_json(), stdout, indent=2)
        stdout.write("\n")
    else:
        write_text(result, stdout)
    return 1 if result.problems else 0
