"""Open a history export safely and tell how it is written: encoding, BOM, delimiter.

Why apart from the reader: the console and the command line say which encoding was used
before the rows are read, and the checks that a file is a regular file of bounded size
are those of :mod:`plans.files` (a FIFO must not hang, ``/dev/zero`` must not be read).
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from history.errors import HistoryError
from i18n import _
from plans.files import FileRefused, read_bytes

MAX_HISTORY_BYTES = 2 * 1024**3
"""Largest export read: 2 GiB, some 20 million contact rows; the reader streams, so the
limit guards the disk and the wait, not the memory."""
SNIFF_BYTES = 1 << 20
"""How much of the file's start tells its encoding and delimiter."""
ENCODINGS = ("utf-8", "gb18030")
"""Tried in this order: UTF-8 (with or without BOM), then GB18030 (Chinese ACD exports)."""
DELIMITERS = (",", ";", "\t")
BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """How a history export is written."""

    encoding: str  # "utf-8" or "gb18030"
    bom: bool  # a UTF-8 byte-order mark starts the file (skipped)
    delimiter: str  # ",", ";" or "\t"

    @property
    def delimiter_name(self) -> str:
        """The delimiter as a person names it."""
        return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}[self.delimiter]


def open_export(path: str | Path, max_bytes: int = MAX_HISTORY_BYTES) -> io.BufferedReader:
    """The file opened for reading in binary; :class:`FileRefused` if it is no regular file.

    Opened without blocking (a FIFO cannot hang the open) and checked on the open file.
    Anything refused is refused by :func:`plans.files.read_bytes`, so its reason reads
    as for every other file drillsim reads; that call reads nothing of a refused file.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        read_bytes(path, max_bytes)
        raise FileRefused(path, _("cannot read file")) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        read_bytes(path, max_bytes)
        raise FileRefused(path, _("changed while it was opened"))
    os.set_blocking(fd, True)
    f = os.fdopen(fd, "rb", buffering=SNIFF_BYTES)
    assert isinstance(f, io.BufferedReader)  # not for people: "rb" with a buffer gives one
    return f


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        # a character cut at the end of the sample is not an error
        return exc.start >= len(data) - 4 and exc.reason.startswith("unexpected end")
    return True


def sniff(path: str | Path, head: bytes | None = None) -> ExportFormat:
    """The encoding, BOM and delimiter of an export, from its first megabyte.

    The delimiter is the one of comma, semicolon and tab found most often in the header
    line outside quotes (a comma when none is: a one-column header then says so).
    """
    if head is None:
        with open_export(path) as f:
            head = f.read(SNIFF_BYTES)
    if not head.strip():
        raise HistoryError(path, _("file is empty"))
    if b"\x00" in head:
        raise HistoryError(path, _("is a binary file, not a CSV export"))
    bom = head.startswith(BOM)
    body = head[len(BOM) :] if bom else head
    if len(head) == SNIFF_BYTES and b"\n" in body:
        body = body[: body.rindex(b"\n") + 1]
    encoding = "utf-8" if bom else next((e for e in ENCODINGS if _decodes(body, e)), None)
    if encoding is None:
        raise HistoryError(path, _("is neither UTF-8 nor GB18030 text; save the export as UTF-8"))
    first = body.split(b"\n", 1)[0].decode(encoding, errors="replace")
    return ExportFormat(encoding, bom, _delimiter(first))


def _delimiter(header: str) -> str:
    best, most = ",", 0
    for delimiter in DELIMITERS:
        try:
            n = len(next(csv.reader(io.StringIO(header), delimiter=delimiter), []))
        except csv.Error:
            continue
        if n - 1 > most:
            best, most = delimiter, n - 1
    return best


def scenario_id_for(name: str | Path) -> str:
    """A scenario id from an export's file name: 'ACD export 2026.csv' -> 'acd_export_2026'.

    Why here: the command line and the console name the fitted scenario the same way.
    """
    stem = "".join(c if c.isascii() and c.isalnum() else "_" for c in Path(name).stem.lower())
    stem = "_".join(part for part in stem.split("_") if part)
    if not stem or not stem[0].isalpha():
        stem = "history_" + stem if stem else "history"
    return stem[:64].rstrip("_")  # an id is at most 64 characters
