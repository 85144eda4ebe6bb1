"""The target Keras implied by what the project declares: keras, else tf-keras, else TensorFlow's tf.keras.

The first file (in ``FORMATS`` order: lock files first) that pins one of them decides; an unpinned requirement
(``keras`` alone) says nothing about the version and is passed over. A TensorFlow pin becomes the Keras its
``tf.keras`` gives, from the pairing data: ``tensorflow==2.12.1`` -> Keras 2.12, ``tensorflow>=2.16`` -> Keras 3.
"""
from __future__ import annotations

import os
from typing import List, Optional, Sequence

from packaging.version import Version

from .. import pairing
from ..surface import ApiSurface, Release, load
from ..versions import Target, TargetError, _release_for, parse_target
from . import discover, project_directory, read
from .model import KERAS, TF_KERAS, TENSORFLOW_NAMES, Declared, DependencyFile


def display(path: str) -> str:
    """``path`` relative to the working directory when it is below it (what the stderr line shows)."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def declared_target(start: str, surface: Optional[ApiSurface] = None) -> Optional[Target]:
    """The target from the dependency files of the project holding ``start``, or None."""
    directory = project_directory(start)
    if directory is None:
        return None
    return target_from_files([read(p) for p in discover(directory)], surface)


def target_from_files(files: Sequence[DependencyFile], surface: Optional[ApiSurface] = None) -> Optional[Target]:
    surface = surface or load()
    for dep_file in files:
        for names, releases_of in (((KERAS,), _keras_releases), ((TF_KERAS,), _tf_keras_releases),
                                   (TENSORFLOW_NAMES, _tensorflow_releases)):
            declared = next((d for d in dep_file.find(*names) if d.spec), None)
            if declared is None:
                continue
            spec = pairing.parse_spec(declared.spec)
            releases = releases_of(spec, surface) if spec is not None else []
            if releases:
                source = f"{declared.text} in {display(declared.path)}:{declared.line}"
                if names == (KERAS,):
                    try:  # the user's own range reads best: keras>=2.6,<3 -> '>=2.6,<3'
                        return parse_target(declared.spec, source, surface)
                    except TargetError:
                        pass
                return _as_target(releases, source, surface)
    return None


def _keras_releases(spec, surface: ApiSurface) -> List[Release]:
    return [r for r in surface.releases if pairing.contains(spec, r.version)]


def _tf_keras_releases(spec, surface: ApiSurface) -> List[Release]:
    # tf-keras X.Y is the Keras 2 of TensorFlow X.Y; past the last standalone Keras 2 the newest Keras 2 stands in
    return [_release_for(entry.version, surface) for entry in pairing.matching(pairing.TF_KERAS, spec)]


def _tensorflow_releases(spec, surface: ApiSurface) -> List[Release]:
    out: List[Release] = []
    for tf in pairing.matching(pairing.TENSORFLOW, spec):
        need = tf.requires.get(pairing.KERAS)
        if need is None:  # before 2.6: tf.keras is TensorFlow's own, the Keras of the same minor
            out.append(_release_for(Version(f"{tf.version.major}.{tf.version.minor}.99"), surface))
        else:
            out.extend(r for r in surface.releases if pairing.contains(need, r.version))
    return out


def _as_target(releases: List[Release], source: str, surface: ApiSurface) -> Target:
    """A target whose text ``parse_target`` reads back to the same (contiguous) releases, for worker processes."""
    ordered = sorted(set(releases), key=lambda r: r.version)
    low, high = ordered[0], ordered[-1]
    if low is high:
        text = low.label
    else:
        text = f">={low.version.major}.{low.version.minor}"
        if high is not surface.releases[-1]:
            text += f",<={high.label}"
    try:
        return parse_target(text, source, surface)
    except TargetError:  # pragma: no cover - the releases come from the data itself
        return Target(high.label, (high,), source)


def has_declared(files: Sequence[DependencyFile], *names: str) -> Optional[Declared]:
    for dep_file in files:
        found = dep_file.first(*names)
        if found is not None:
            return found
    return None
