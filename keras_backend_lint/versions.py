"""The user's target Keras: a version or a specifier set, mapped onto the releases in the data.

``packaging`` does every comparison. Nothing here imports keras or tensorflow: the installed version is read from
distribution metadata only.
"""
from __future__ import annotations

from importlib import metadata
from typing import List, Optional, Tuple

from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:  # imported where a range is parsed: the common target (``3``, ``2.15``) never needs it
    from packaging.specifiers import SpecifierSet

from .surface import ApiSurface, Release, describe, load


class TargetError(ValueError):
    """A target that cannot be understood; the message is shown to the user as is."""


class Target:
    """The releases a run judges against, and where that choice came from. Immutable by convention.

    A plain class, not a dataclass: every cached verdict hashes it (once, here), and its flags are read per
    finding."""

    __slots__ = ("text", "releases", "source", "includes_keras3", "keras3_only", "_label", "_hash")

    def __init__(self, text: str, releases: Tuple[Release, ...], source: str) -> None:
        #: what the user wrote (or where it came from), e.g. ``>=2.12,<3.4`` or ``3.6.0``
        self.text = text
        self.releases = releases
        #: where the target came from: ``--keras-version``, ``installed keras 3.6.0``, ``default``
        self.source = source
        self.includes_keras3 = any(r.version.major >= 3 for r in releases)
        #: every release of the target is Keras 3 (no Keras 2 part that a keras.* spelling would break)
        self.keras3_only = all(r.version.major >= 3 for r in releases)
        self._label: Optional[str] = None
        self._hash = hash((text, releases, source))

    @property
    def label(self) -> str:
        """``3.x``, ``2.6-2.12, 3.0``: asked per finding, computed once."""
        if self._label is None:
            self._label = describe(self.releases, load().releases)
        return self._label

    @property
    def newest(self) -> Release:
        return self.releases[-1]

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Target:
            return NotImplemented
        return (self.text, self.releases, self.source) == (
            other.text, other.releases, other.source)  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        # unpickled through __init__: the releases are new objects in a new process, and so is their hash
        return Target, (self.text, self.releases, self.source)

    def __repr__(self) -> str:
        return f"Target(text={self.text!r}, releases={self.releases!r}, source={self.source!r})"

    def __str__(self) -> str:
        return f"Keras {self.label} ({self.source})"


def parse_target(text: str, source: str = "--keras-version", surface: Optional[ApiSurface] = None) -> Target:
    """Parse ``2.15``, ``3``, ``3.6.0`` or a specifier set such as ``>=2.12,<3.4``."""
    surface = surface or load()
    raw = text.strip()
    if not raw:
        raise TargetError("empty Keras version; give a version such as 3.6 or a range such as '>=2.12,<3.4'")
    if raw[0].isdigit():
        try:
            version = Version(raw)
        except InvalidVersion:
            raise TargetError(f"invalid Keras version {text!r}; give e.g. 2.15, 3, 3.6.0 or '>=2.12,<3.4'") from None
        parts = len(version.release)
        if parts >= 3:
            return Target(raw, (_release_for(version, surface),), source)
        if str(version) == ".".join(map(str, version.release)):
            # ``3`` or ``2.15`` is ``==3.*``: the releases whose version starts so. Matched on packaging's release
            # tuple, so the common target does not import packaging.specifiers (a flake8 run pays its import)
            prefix = version.release
            releases = tuple(r for r in surface.releases if (r.version.release + (0,) * parts)[:parts] == prefix)
            return _target_of(text, raw, releases, source, surface)
        spec = _specifier_set(f"=={raw}.*", text)
    else:
        spec = _specifier_set(raw, text)
    return _target_of(text, raw, tuple(r for r in surface.releases if _in_spec(r, spec)), source, surface)


def _specifier_set(raw: str, text: str) -> "SpecifierSet":
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(raw)
    except InvalidSpecifier:
        raise TargetError(
            f"invalid Keras version or range {text!r}; give e.g. 2.15, 3, 3.6.0 or '>=2.12,<3.4'"
        ) from None


def _target_of(text: str, raw: str, releases: Tuple[Release, ...], source: str, surface: ApiSurface) -> Target:
    if not releases:
        known = f"{surface.releases[0].label} to {surface.releases[-1].label}"
        raise TargetError(f"no known Keras release matches {text!r} (the data covers {known})")
    return Target(raw, releases, source)


def _in_spec(release: Release, spec: SpecifierSet) -> bool:
    # The data keeps the last patch of each minor; it stands for the whole minor, so `<3.4.1` still includes 3.4.
    v = release.version
    return spec.contains(v, prereleases=True) or spec.contains(Version(f"{v.major}.{v.minor}.0"), prereleases=True)


def _release_for(version: Version, surface: ApiSurface) -> Release:
    same_minor = [r for r in surface.releases if r.minor == (version.major, version.minor)]
    if same_minor:
        at_or_below = [r for r in same_minor if r.version <= version]
        return at_or_below[-1] if at_or_below else same_minor[0]
    older = [r for r in surface.releases if r.version <= version]
    return older[-1] if older else surface.releases[0]


def site_dirs() -> List[str]:
    """The interpreter's own install locations: ``sys.path`` without the working directory (``''``, ``.``) and the
    script's folder, so that a ``*.dist-info`` committed in the checked tree never passes for an installed one."""
    import os
    import site
    import sys
    import sysconfig

    here = os.path.realpath(os.getcwd())
    script = os.path.realpath(os.path.dirname(os.path.abspath(sys.argv[0]))) if sys.argv and sys.argv[0] else None
    dirs = []
    for entry in sys.path:
        if not entry or os.path.realpath(entry) in (here, script):
            continue
        dirs.append(entry)
    try:
        dirs.extend(p for p in (*site.getsitepackages(), sysconfig.get_paths()["purelib"]) if p not in dirs)
    except (AttributeError, KeyError):  # embedded or virtualenv-old interpreters
        pass
    return dirs


def _installed(dist: str) -> str:
    for found in metadata.distributions(name=dist, path=site_dirs()):
        version = found.metadata["Version"]
        if version:
            return version
    raise metadata.PackageNotFoundError(dist)


def installed_keras_version() -> Optional[Tuple[str, str]]:
    """(version, where from) of the installed keras, read from metadata; TensorFlow < 2.16 implies keras 2.x."""
    for dist in ("keras",):
        try:
            return _installed(dist), f"installed {dist}"
        except metadata.PackageNotFoundError:
            pass
    for dist in ("tensorflow", "tensorflow-cpu", "tensorflow-macos"):
        try:
            tf_version = Version(_installed(dist))
        except (metadata.PackageNotFoundError, InvalidVersion):
            continue
        if tf_version < Version("2.16"):
            return f"{tf_version.major}.{tf_version.minor}", f"installed {dist} {tf_version}"
    return None


def resolve_target(
    option: Optional[str], option_source: str = "--keras-version", project: Optional[str] = None
) -> Target:
    """The option when given, else what the project holding ``project`` (a path) declares, else the installed
    keras, else the newest Keras 3 in the data."""
    surface = load()
    if option is not None and str(option).strip():
        return parse_target(str(option), option_source, surface)
    if project is not None:
        from .deps.target import declared_target

        declared = declared_target(project, surface)
        if declared is not None:
            return declared
    installed = installed_keras_version()
    if installed is not None:
        version, where = installed
        try:
            return parse_target(version, f"{where} {version}" if "tensorflow" not in where else where, surface)
        except TargetError:
            pass  # an unparsable local install must not break linting; fall through to the default
    newest = surface.newest(major=3)
    return Target(newest.label, (newest,), "default: newest Keras 3 known")
