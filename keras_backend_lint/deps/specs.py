"""Turn the spellings of other tools (poetry ``^2.12``, conda ``=2.12``, Pipfile ``*``) into PEP 440 specifiers."""
from __future__ import annotations

import re
from typing import Optional

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def pep440(spec: str) -> Optional[str]:
    """``spec`` when it is a valid specifier set (``''`` for any version), else None."""
    spec = spec.strip()
    if spec in ("", "*"):
        return ""
    try:
        return str(SpecifierSet(spec))
    except InvalidSpecifier:
        return None


def _bump(version: Version, index: int) -> str:
    parts = list(version.release) + [0] * (index + 1 - len(version.release))
    parts = parts[: index + 1]
    parts[index] += 1
    return ".".join(str(p) for p in parts)


def poetry(constraint: str) -> Optional[str]:
    """Poetry's ``^``, ``~``, bare versions, wildcards and comma/space-separated lists; ``||`` unions are not ranges."""
    constraint = constraint.strip()
    if "||" in constraint:
        return None
    out = []
    for part in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint):
        part = part.strip()
        if part in ("", "*"):
            continue
        try:
            if part.startswith("^"):
                version = Version(part[1:])
                nonzero = next((i for i, p in enumerate(version.release) if p), len(version.release) - 1)
                out += [f">={version}", f"<{_bump(version, min(nonzero, len(version.release) - 1))}"]
            elif part.startswith("~") and not part.startswith("~="):
                version = Version(part[1:])
                out += [f">={version}", f"<{_bump(version, 1 if len(version.release) > 1 else 0)}"]
            elif part[0].isdigit():
                out.append(f"=={part}")
            else:
                out.append(part)
        except InvalidVersion:
            return None
    return pep440(",".join(out))


def conda(spec: str) -> Optional[str]:
    """conda's ``=2.12`` (a prefix: 2.12.*), ``2.12.*``, ``>=2.6,<3``, ``==2.12.1``, build strings dropped."""
    spec = spec.strip()
    if not spec:
        return ""
    fields = spec.split("=") if re.fullmatch(r"=?[\w.*+!]+=[\w.*+]+", spec) else None
    if fields is not None and len([f for f in fields if f]) == 2 and not spec.startswith("=="):
        spec = "=" + [f for f in fields if f][0]  # name=version=build: the build string says nothing here
    if spec.startswith("=") and not spec.startswith("=="):
        version = spec[1:]
        return pep440(f"=={version}" if version.endswith("*") else f"=={version}.*")
    if spec[0].isdigit():
        return pep440(f"=={spec}")
    return pep440(spec.replace(" ", ""))
