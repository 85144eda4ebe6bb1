#!/usr/bin/env python3
"""Generate ``keras_backend_lint/data/pairing.json``: which Keras each TensorFlow release needs, and back.

For the last patch of every minor of ``tensorflow``, ``tensorflow-cpu``, ``tf-keras`` and ``keras`` it reads the
wheel's ``*.dist-info/METADATA`` out of the remote wheel with HTTP range requests (the technique
``tools/gen_api_surface.py`` uses for the TF API file; only the zip directory and one member are fetched) and keeps
the ``Requires-Dist`` entries that name one of the four projects.  Markers other than ``python_version`` are
dropped with the entry (TensorFlow's Windows-only ``tensorflow-intel`` pin is not a Keras pairing).

Usage::

    python tools/gen_pairing.py            # writes the JSON
    python tools/gen_pairing.py --check    # exit 1 if the JSON is stale
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
import zipfile
from email.parser import HeaderParser
from typing import Dict, List, Optional

from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import Version

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_api_surface import DEFAULT_CACHE, REPO_ROOT, HttpRangeFile, log, pypi_files  # noqa: E402

DEFAULT_OUT = os.path.join(REPO_ROOT, "keras_backend_lint", "data", "pairing.json")
PROJECTS = ("tensorflow", "tensorflow-cpu", "tf-keras", "keras")
#: the first minor recorded per project (older TensorFlow had no keras dependency and tf.keras of its own)
FIRST = {"tensorflow": "2.0", "tensorflow-cpu": "2.1", "tf-keras": "2.14", "keras": "2.2"}
RELATED = set(PROJECTS)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def last_patches(files: Dict[str, List[dict]], first: str) -> Dict[str, str]:
    """minor -> the newest final release of it that has a wheel."""
    out: Dict[str, Version] = {}
    for text, entries in files.items():
        try:
            version = Version(text)
        except ValueError:
            continue
        if version.is_prerelease or version.is_devrelease or version < Version(first):
            continue
        if not any(f["filename"].endswith(".whl") for f in entries):
            continue
        minor = f"{version.major}.{version.minor}"
        if minor not in out or version > out[minor]:
            out[minor] = version
    return {minor: str(v) for minor, v in out.items()}


def pick_wheel(entries: List[dict]) -> dict:
    wheels = [f for f in entries if f["filename"].endswith(".whl")]
    linux = [f for f in wheels if "manylinux" in f["filename"] or "none-any" in f["filename"]]
    return sorted(linux or wheels, key=lambda f: f["filename"])[-1]


def requires(metadata_text: str) -> Dict[str, str]:
    """The Requires-Dist specifiers naming one of PROJECTS (markerless or python_version-only)."""
    out: Dict[str, List[str]] = {}
    for line in HeaderParser().parsestr(metadata_text).get_all("Requires-Dist") or []:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        name = _normal(req.name)
        if name not in RELATED or req.extras:
            continue
        if req.marker is not None and "python_version" not in str(req.marker):
            continue
        if req.marker is not None and ("platform" in str(req.marker) or "extra" in str(req.marker)):
            continue
        spec = ",".join(sorted(str(s) for s in req.specifier))
        out.setdefault(name, [])
        if spec not in out[name]:
            out[name].append(spec)
    return {name: " || ".join(specs) if len(specs) > 1 else specs[0] for name, specs in sorted(out.items())}


def wheel_metadata(url: str, filename: str, cache_dir: str) -> str:
    """The wheel's ``*.dist-info/METADATA`` (range requests; cached beside the API generator's downloads)."""
    cached = os.path.join(cache_dir, filename + ".METADATA")
    if os.path.exists(cached):
        with open(cached, encoding="utf-8") as fh:
            return fh.read()
    zf = zipfile.ZipFile(io.BufferedReader(HttpRangeFile(url), buffer_size=1 << 16))
    member = next(n for n in zf.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
    text = zf.read(member).decode("utf-8", "replace")
    os.makedirs(cache_dir, exist_ok=True)
    with open(cached, "w", encoding="utf-8") as fh:
        fh.write(text)
    return text


def generate(cache_dir: str) -> dict:
    data: dict = {"_generator": "tools/gen_pairing.py", "schema": 1}
    for project in PROJECTS:
        files = pypi_files(project)
        table = {}
        for minor, version in sorted(last_patches(files, FIRST[project]).items(), key=lambda kv: Version(kv[0])):
            wheel = pick_wheel(files[version])
            log(f"{project} {version}: {wheel['filename']}")
            body = wheel_metadata(wheel["url"], wheel["filename"], cache_dir)
            table[minor] = {"version": version, "requires": requires(body)}
        data[project] = table
    return data


def dumps(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", default=DEFAULT_OUT)
    p.add_argument("--cache-dir", default=os.environ.get("KBL_CACHE_DIR", DEFAULT_CACHE))
    p.add_argument("--check", action="store_true", help="exit 1 when the output file differs")
    args = p.parse_args(argv)
    text = dumps(generate(args.cache_dir))
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as fh:
                old = fh.read()
        except OSError:
            old = ""
        log(f"{args.output} is {'up to date' if old == text else 'stale'}")
        return 0 if old == text else 1
    with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
