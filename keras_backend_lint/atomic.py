"""Atomic file writes: a temp file in the same folder, fsync, ``os.replace``; never over a file that changed."""
from __future__ import annotations

import os
import stat
import tempfile
from typing import Optional, Tuple


class WriteError(Exception):
    """The file was not written; the message is one line for the user (the original file is intact)."""


def stamp(path: str) -> Tuple[int, int]:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size)


def write(path: str, data: bytes, expected_stamp: Optional[Tuple[int, int]] = None) -> None:
    """Replace ``path``'s content with ``data`` atomically.

    Symlinks are followed (the target is replaced, the link stays a link); the file mode is kept; when
    ``expected_stamp`` is given and the file's (mtime_ns, size) differs, nothing is written.
    """
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as exc:
        raise WriteError(f"cannot stat: {exc.strerror or exc}") from None
    if expected_stamp is not None and (st.st_mtime_ns, st.st_size) != tuple(expected_stamp):
        raise WriteError("changed on disk since it was read; not written")
    if not (st.st_mode & stat.S_IWUSR) or not os.access(target, os.W_OK):
        raise WriteError("file is read-only; not written")
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".kbl-tmp", dir=folder)
    except OSError as exc:
        raise WriteError(f"cannot create a temporary file in {folder}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        # last check right before the swap: the window left is the rename itself
        now = os.stat(target)
        if expected_stamp is not None and (now.st_mtime_ns, now.st_size) != tuple(expected_stamp):
            raise WriteError("changed on disk since it was read; not written")
        os.replace(tmp, target)
    except WriteError:
        _unlink(tmp)
        raise
    except OSError as exc:
        _unlink(tmp)
        raise WriteError(f"write failed, file left unchanged: {exc.strerror or exc}") from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
