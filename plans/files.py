"""Reading a user's file and writing ours, so that neither can hang, flood or harm.

Why one module at the bottom of the layers: every command reads files a person names
(plans, scenarios, decisions, variants, journals, histories) and writes files a person
names (journals, reports, CSV, charts). Before this module, a FIFO given as a plan
hung for ever, ``/dev/zero`` was read until memory ran out, and the atomic write
replaced whatever the path was: a device node, a FIFO, a symlink.

* :func:`read_bytes` reads only a regular file, opened without blocking, up to a size
  limit, and says why otherwise.
* :func:`check_output` says, before any work, whether a path can take our output: a
  regular file or a new name in an existing, writable folder.
* :func:`write_atomic` writes a unique temporary file beside the target, fsyncs it,
  renames it over the target and fsyncs the folder, so a reader never sees half a file
  and a power loss leaves the old file or the new one. Every file gets one mode
  (:data:`FILE_MODE`, less the umask).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from i18n import _, format_count

FILE_MODE = 0o644
"""The mode of every file drillsim writes, less the user's umask."""


class FileRefused(ValueError):
    """A path that cannot be read or written as asked; ``reason`` is for a person."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("is a directory, not a file")
    if stat.S_ISFIFO(mode):
        return _("is a named pipe (FIFO), not a regular file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device, not a regular file")
    if stat.S_ISSOCK(mode):
        return _("is a socket, not a regular file")
    return _("is not a regular file")


def read_bytes(path: str | Path, max_bytes: int) -> bytes:
    """The content of a regular file of at most ``max_bytes``; :class:`FileRefused` else.

    Opened with ``O_NONBLOCK`` so a FIFO cannot block the open, then checked with
    ``fstat`` on the open file (not the name, which could change in between); at most
    ``max_bytes + 1`` bytes are read, so a file that grows while read is still refused.
    """
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(p, flags)
    except FileNotFoundError:
        raise FileRefused(p, _("file not found")) from None
    except IsADirectoryError:
        raise FileRefused(p, _("is a directory, not a file")) from None
    except OSError as exc:
        raise FileRefused(
            p, _("cannot read file: {reason}").format(reason=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(p, _kind(info.st_mode))
        if info.st_size > max_bytes:
            raise FileRefused(p, _too_big(info.st_size, max_bytes))
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise FileRefused(
            p, _("cannot read file: {reason}").format(reason=exc.strerror or exc)
        ) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise FileRefused(p, _too_big(len(data), max_bytes))
    return data


def _too_big(size: int, limit: int) -> str:
    return _("file is {size} bytes; the limit is {limit}").format(
        size=format_count(size), limit=format_count(limit)
    )


def check_output(path: str | Path) -> Path:
    """The path, if our output may go there; :class:`FileRefused` with the reason if not.

    Allowed: an existing regular file (it is replaced whole), or a new name in an
    existing folder we may write to. Refused: a folder, a device, a FIFO, a socket, a
    symlink (whose target could be anything), and a folder that is missing or read-only.
    Called before the work, so a long run does not end in a failed write.
    """
    p = Path(path)
    try:
        info = os.lstat(p)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        reason = _("cannot use this path: {reason}").format(reason=exc.strerror)
        raise FileRefused(p, reason) from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            raise FileRefused(p, _("is a symbolic link; give the path of a regular file"))
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(p, _kind(info.st_mode))
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise FileRefused(p, _("its folder {folder} does not exist").format(folder=folder))
    try:  # the only sure test: write a file beside it (as write_atomic will), then remove it
        fd, probe = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".probe", dir=folder)
    except OSError as exc:
        raise FileRefused(
            p,
            _("its folder {folder} is not writable: {reason}").format(
                folder=folder, reason=exc.strerror or exc
            ),
        ) from None
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return p


def write_atomic(path: str | Path, data: bytes, mode: int = FILE_MODE) -> Path:
    """Write ``data`` to ``path`` atomically and durably; the path is checked first.

    A unique temporary name (two writers to one path cannot collide), removed on any
    failure; the file and then its folder are fsynced around the rename, so after a
    power loss the path holds the old content or the new, never a torn file.
    """
    p = check_output(path)
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode & ~_umask())
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)
    return p


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot open a folder for fsync
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
