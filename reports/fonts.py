"""The CJK font every report and chart draws Chinese with: WenQuanYi Micro Hei.

Why a bundled font and not the system's: a report must draw the same on a build
server with no Chinese fonts as on a desk; the font ships in a pinned Python package
(``paperang-p2-fonts-cjk``), so the PDF embeds it (as a subset: only the glyphs
used) and matplotlib finds it without a font cache of the machine. Latin text keeps
its own fonts (Helvetica in the PDF, DejaVu Sans in charts): Chinese falls back to
this one, so an English report is byte for byte what it was.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

CJK_FONT = "WQYMicroHei"
"""The font's name in reportlab (regular, bold and italic alike: it has one face)."""
CJK_FAMILY = "WenQuanYi Micro Hei"
"""The font's family name in matplotlib."""
CHART_FAMILIES = ["DejaVu Sans", CJK_FAMILY]
"""matplotlib's font list: Latin in DejaVu Sans, what it lacks from the CJK font."""
CJK_CHARS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
"""CJK ideographs, kana, CJK punctuation and full-width forms, as a regex class's body."""
CJK = re.compile(f"[{CJK_CHARS}]+")
"""Runs of CJK ideographs, kana, CJK punctuation and full-width forms."""


def font_path() -> Path:
    """The TrueType collection file of WenQuanYi Micro Hei."""
    return Path(str(resources.files("paperang_p2_fonts_cjk") / "fonts" / "wqy-microhei.ttc"))


def has_cjk(text: str) -> bool:
    """True when ``text`` holds a character the Latin fonts cannot draw."""
    return CJK.search(text) is not None


@cache
def register_pdf_font() -> str:
    """Register the CJK font with reportlab once (as a family, so bold text finds it)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(CJK_FONT, str(font_path()), subfontIndex=0))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK_FONT, bold, italic, CJK_FONT)
    return CJK_FONT


@cache
def register_chart_font() -> str:
    """Add the CJK font to matplotlib once and make it the fallback after DejaVu Sans.

    The font has one weight; it is listed as bold too, so a bold label in Chinese
    (a critical role, a column title) draws in it without a font log warning.
    """
    import dataclasses

    import matplotlib
    from matplotlib import font_manager, ft2font

    manager = font_manager.fontManager
    path = str(font_path())
    if not any(entry.fname == path for entry in manager.ttflist):
        regular = font_manager.ttfFontProperty(ft2font.FT2Font(path))
        manager.ttflist.append(dataclasses.replace(regular, weight=700))
        manager.addfont(path)  # the regular face, and clears the font look-up cache
    matplotlib.rcParams["font.family"] = CHART_FAMILIES
    return CJK_FAMILY
