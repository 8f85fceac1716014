"""The after-action report's document model: headings, paragraphs, tables, figures, sections.

Why a module of its own: the builder (:mod:`~reports.aar` and the section builders it
calls) decides every word once, and three renderers (:mod:`~reports.aar_markdown`,
:mod:`~reports.aar_html`, :mod:`~reports.aar_pdf`) lay the same model out. Both sides
need the model and neither needs the other, so it sits below them. Figures are PNG
bytes saved here at a fixed dpi without creation metadata, so the same input gives
the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure as MplFigure

from i18n import _, current_language, format_datetime, format_weekday

DPI = 100
"""Figures are rendered at this resolution (12-inch charts: 1200 pixels wide)."""


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside a section (level 3 or 4; sections themselves are level 2)."""

    text: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph, with an optional bold label ('Observed') and a style."""

    text: str
    label: str = ""
    style: Literal["body", "marking", "muted"] = "body"


@dataclass(frozen=True, slots=True)
class Table:
    """A table of strings: a header row and body rows of the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart as PNG bytes, numbered through the report."""

    number: int
    caption: str
    png: bytes
    width: int
    """Pixels."""
    height: int


Block = Heading | Paragraph | Table | Figure


@dataclass(frozen=True, slots=True)
class Section:
    """A numbered part of the report ('1', '2'... ; '' for the cover and the appendix)."""

    key: str
    number: str
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        """'1 Overview', or the title alone when unnumbered."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class Report:
    """The whole after-action report, ready for a renderer."""

    title: str
    draft: bool
    generated_at: dt.datetime
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        """The section with that key ('cover', 'overview', ... 'participants')."""
        return next(s for s in self.sections if s.key == key)


def png_bytes(fig: MplFigure) -> bytes:
    """A figure as PNG at :data:`DPI`, without the Software tag, so the bytes are stable."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG's header."""
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def when(value: dt.datetime, tz: str | None = None) -> str:
    """'2026-03-05 14:30 UTC' (the zone only when the time has one).

    In another language than English, the language's own date in the plan's zone
    ``tz`` ('2026年3月5日 22:30 (Asia/Shanghai)'); English keeps its ISO form.
    """
    if current_language() != "en":
        if value.tzinfo is None or tz is None:
            return format_datetime(value)
        return _("{time} ({zone})").format(time=format_datetime(value, tz), zone=tz)
    zone = value.tzname()
    return f"{value:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")


def wall_time(value: dt.datetime, tz: str | None = None) -> str:
    """A wall time with its weekday: 'Mon 02 Mar 2026 09:00' ('2026年3月2日 09:00（周一）')."""
    if current_language() == "en":
        return f"{value:%a %d %b %Y %H:%M}"
    moment = value.astimezone(ZoneInfo(tz)) if tz and value.tzinfo is not None else value
    return _("{datetime} ({weekday})").format(
        datetime=format_datetime(moment), weekday=format_weekday(moment)
    )
