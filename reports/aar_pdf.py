"""The after-action report as PDF (reportlab platypus), reproducible byte for byte.

Why these choices: the PDF base-14 Helvetica fonts for Latin text, so an English
report embeds nothing; Chinese (any CJK run) in WenQuanYi Micro Hei from
:mod:`reports.fonts`, embedded as a subset of the glyphs used, in paragraphs that
wrap between any two characters (reportlab's ``wordWrap="CJK"``); reportlab's
``invariant`` mode fixes the creation date and the document id, so the same report
gives the same bytes (reviewers diff them, tests compare them); 'DRAFT' in the
header and the footer of every page while any finding is a draft, as HSEEP asks;
'Page N of M' in the footer. Every string is XML-escaped before it meets reportlab's
paragraph markup, which would otherwise read a note's '<b>' as bold.
"""

from __future__ import annotations

import io
import re
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from i18n import _
from reports.aar_model import Figure, Heading, Paragraph, Report, Table
from reports.fonts import CJK, CJK_CHARS, has_cjk, register_pdf_font

MARGIN = 2 * cm
MARKING_RED = colors.HexColor("#BB0000")
CELL_SIZE = 8
CELL_PADDING = 4
SPLIT_IN_ROW = 30
"""Points: a row taller than a page (a long note) splits across pages, no piece shorter."""
UNBROKEN = 60
"""Points: cells narrower than this are kept on one line when the page allows."""
LONG_WORD = 120
"""Points: no column is widened past this for one long word (reportlab splits it)."""
NARROWEST = 24
"""Points: the narrowest any column gets."""
BREAKS = re.compile(f"[{CJK_CHARS}]|[^{CJK_CHARS}]+")
"""One CJK character, or a run of anything else: the pieces a cell may break between."""


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=base["BodyText"], fontName="Helvetica", fontSize=10, leading=13
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontName="Helvetica-Bold", fontSize=20, leading=24
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=14,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base["Heading3"],
            fontName="Helvetica-Bold",
            fontSize=12,
            leading=15,
            spaceBefore=8,
            keepWithNext=1,
        ),
        "h4": ParagraphStyle(
            "h4",
            parent=base["Heading4"],
            fontName="Helvetica-Bold",
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            keepWithNext=1,
        ),
        "body": body,
        "muted": ParagraphStyle(
            "muted", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")
        ),
        "marking": ParagraphStyle(
            "marking",
            parent=body,
            fontName="Helvetica-Bold",
            textColor=MARKING_RED,
            borderColor=MARKING_RED,
            borderWidth=1.5,
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=10,
        ),
        "cell": ParagraphStyle("cell", parent=body, fontSize=CELL_SIZE, leading=CELL_SIZE + 2),
        "head": ParagraphStyle(
            "head",
            parent=body,
            fontName="Helvetica-Bold",
            fontSize=CELL_SIZE,
            leading=CELL_SIZE + 2,
        ),
        "caption": ParagraphStyle(
            "caption", parent=body, fontName="Helvetica-Oblique", fontSize=8.5, leading=11
        ),
    }


def _cjk_runs(markup: str) -> str:
    """Escaped text with each CJK run set in the CJK font (Latin keeps the style's font)."""
    if not has_cjk(markup):
        return markup
    font = register_pdf_font()
    return CJK.sub(lambda m: f'<font name="{font}">{m.group(0)}</font>', markup)


def _markup(text: str) -> str:
    return "<br/>".join(_cjk_runs(escape(line)) for line in text.strip().splitlines())


def _para(markup: str, style: ParagraphStyle) -> RLParagraph:
    """A paragraph; one holding Chinese may break between any two characters."""
    if has_cjk(markup):
        style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
    return RLParagraph(markup, style)


def _string_width(text: str, font: str, size: float) -> float:
    """Width of ``text`` as drawn: CJK runs in the CJK font, the rest in ``font``."""
    if not has_cjk(text):
        return stringWidth(text, font, size)
    cjk = register_pdf_font()
    total, at = 0.0, 0
    for m in CJK.finditer(text):
        total += stringWidth(text[at : m.start()], font, size) + stringWidth(m.group(0), cjk, size)
        at = m.end()
    return total + stringWidth(text[at:], font, size)


def _words(text: str) -> list[str]:
    """Where a cell may break: at spaces, and between any two CJK characters."""
    return [w for part in text.split() for w in BREAKS.findall(part)]


def _widths(table: Table, total: float) -> list[float]:
    """Column widths: each at least its longest word, the rest shared by how much text it holds."""
    pad = 2 * CELL_PADDING + 1

    def width(text: str, font: str) -> float:
        return _string_width(text, font, CELL_SIZE) + pad

    columns = [
        [(table.header[i], "Helvetica-Bold")] + [(r[i], "Helvetica") for r in table.rows]
        for i in range(len(table.header))
    ]
    cell_widths: list[list[float]] = [
        [max(width(line, f) for line in (t.splitlines() or [""])) for t, f in col]
        for col in columns
    ]
    # A short cell ('Mon 10:00', '66.67%') is not worth wrapping; a long one may wrap at any
    # word; a word longer than LONG_WORD is split by reportlab (splitLongWords) instead.
    least = [
        min(
            LONG_WORD,
            max(
                n if n <= UNBROKEN else max(width(w, f) for w in _words(t))
                for (t, f), n in zip(col, nat, strict=True)
            ),
        )
        for col, nat in zip(columns, cell_widths, strict=True)
    ]
    least = [max(w, NARROWEST) for w in least]
    natural = [max(nat) for nat in cell_widths]
    if sum(least) >= total:
        return [total * w / sum(least) for w in least]
    if sum(natural) <= total:
        return [total * w / sum(natural) for w in natural]
    spare = [n - m for n, m in zip(natural, least, strict=True)]
    return [m + (total - sum(least)) * s / sum(spare) for m, s in zip(least, spare, strict=True)]


def _table(table: Table, styles: dict[str, ParagraphStyle], width: float) -> RLTable:
    data = [[_para(_markup(h), styles["head"]) for h in table.header]]
    data += [[_para(_markup(c), styles["cell"]) for c in row] for row in table.rows]
    out = RLTable(
        data,
        colWidths=_widths(table, width),
        repeatRows=1,
        splitInRow=SPLIT_IN_ROW,
        hAlign="LEFT",
    )
    out.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ]
        )
    )
    return out


def _figure(
    fig: Figure, styles: dict[str, ParagraphStyle], width: float, height: float
) -> Flowable:
    w = width
    h = w * fig.height / fig.width
    if h > height * 0.8:  # a tall chart shrinks to leave room for its caption
        h = height * 0.8
        w = h * fig.width / fig.height
    image = Image(io.BytesIO(fig.png), width=w, height=h)
    text = _("Figure {number}: {caption}").format(number=fig.number, caption=fig.caption)
    caption = _para(_markup(text), styles["caption"])
    return KeepTogether([image, caption, Spacer(1, 6)])


def _flowables(report: Report, width: float, height: float) -> list[Flowable]:
    styles = _styles()
    out: list[Flowable] = []
    for section in report.sections:
        style = styles["title"] if section.key == "cover" else styles["h2"]
        out.append(_para(_markup(section.heading), style))
        for block in section.blocks:
            if isinstance(block, Heading):
                level = min(max(block.level, 3), 4)
                out.append(_para(_markup(block.text), styles[f"h{level}"]))
            elif isinstance(block, Paragraph):
                label = _("{label}:").format(label=block.label) if block.label else ""
                label = f"<b>{_cjk_runs(escape(label))}</b> " if label else ""
                out.append(_para(label + _markup(block.text), styles[block.style]))
            elif isinstance(block, Table):
                out += [_table(block, styles, width), Spacer(1, 6)]
            elif isinstance(block, Figure):
                out.append(_figure(block, styles, width, height))
    return out


def _canvas_class(title: str, draft: bool) -> type[Canvas]:
    """A canvas that holds its pages until the end, to write 'Page N of M' on each."""

    class PagedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _font(self, text: str, latin: str, size: float) -> None:
            """The Latin font, or the CJK font for a line holding Chinese."""
            self.setFont(register_pdf_font() if has_cjk(text) else latin, size)

        def _decorate(self, total: int) -> None:
            page_w, page_h = self._pagesize
            self.saveState()
            self.setFillColor(colors.HexColor("#555555"))
            self._font(title, "Helvetica", 8)
            self.drawString(MARGIN, page_h - MARGIN + 14, title[:90])
            page = _("Page {page} of {total}").format(page=self._pageNumber, total=total)
            self._font(page, "Helvetica", 8)
            self.drawRightString(page_w - MARGIN, MARGIN - 24, page)
            if draft:
                word = _("DRAFT")
                self._font(word, "Helvetica-Bold", 11)
                self.setFillColor(MARKING_RED)
                self.drawCentredString(page_w / 2, page_h - MARGIN + 28, word)
                self.drawCentredString(page_w / 2, MARGIN - 24, word)
            self.restoreState()

    return PagedCanvas


def to_pdf(report: Report) -> bytes:
    """The report as PDF bytes: the same report always gives the same bytes."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=_("{title} (DRAFT)").format(title=report.title) if report.draft else report.title,
        author="drillsim",
        creator="drillsim",
        subject=_("After-action report and improvement plan"),
        invariant=1,
    )
    doc.build(
        _flowables(report, doc.width, doc.height),
        canvasmaker=_canvas_class(report.title, report.draft),
    )
    return buf.getvalue()
