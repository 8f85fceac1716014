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

from matplotlib.figure import Figure as MplFigure

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


def when(value: dt.datetime) -> str:
    """'2026-03-05 14:30 UTC' (the zone only when the time has one)."""
    zone = value.tzname()
    return f"{value:%Y-%m-%d %H:%M}" + (f" {zone}" if zone else "")
