"""Atomic file writes: a temp file in the same folder, fsync, ``os.replace``; never over a file that changed."""
from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from typing import Optional, Tuple

#: our temp files: short (a 250-character file name leaves room for them) and recognisable for the sweep
TEMP_PREFIX, TEMP_SUFFIX = ".kbl-", ".tmp"
TEMP_NAME = re.compile(r"^\.kbl-[a-z0-9_]{8}\.tmp$|^\..+\.[a-z0-9_]{8}\.kbl-tmp$")
#: a temp file older than this was left by a killed run (a live run renames its file within seconds)
STALE_SECONDS = 3600


class WriteError(Exception):
    """The file was not written; the message is one line for the user (the original file is intact)."""


def stamp(path: str) -> Tuple[int, ...]:
    return stamp_of(os.stat(path))


def stamp_of(st: os.stat_result) -> Tuple[int, ...]:
    """What must not change between read and write: ``cp -p``, ``rsync -t`` or ``tar x`` keep mtime and size but
    replace the inode or touch the ctime."""
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def sweep(folder: str, now: Optional[float] = None) -> int:
    """Remove temp files of our own naming that a killed run left in ``folder`` (older than an hour)."""
    removed = 0
    now = time.time() if now is None else now
    try:
        names = [n for n in os.listdir(folder) if TEMP_NAME.match(n)]
    except OSError:
        return 0
    for name in names:
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_SECONDS:
                os.unlink(path)
                removed += 1
        except OSError:
            continue
    return removed


def write(path: str, data: bytes, expected_stamp: Optional[Tuple[int, ...]] = None) -> None:
    """Replace ``path``'s content with ``data`` atomically.

    Symlinks are followed (the target is replaced, the link stays a link); the file mode is kept; when
    ``expected_stamp`` is given and the file's ``stamp`` differs, nothing is written.
    """
    target = os.path.realpath(path)
    try:
        st = os.stat(target)
    except OSError as exc:
        raise WriteError(f"cannot stat: {exc.strerror or exc}") from None
    if expected_stamp is not None and stamp_of(st)[:len(expected_stamp)] != tuple(expected_stamp):
        raise WriteError("changed on disk since it was read; not written")
    if not (st.st_mode & stat.S_IWUSR) or not os.access(target, os.W_OK):
        raise WriteError("file is read-only; not written")
    folder = os.path.dirname(target) or "."
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
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
        if expected_stamp is not None and stamp_of(now)[:len(expected_stamp)] != tuple(expected_stamp):
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
