"""The after-action report as PDF (reportlab platypus), reproducible byte for byte.

Why these choices: only the PDF base-14 Helvetica fonts, so nothing is fetched or
embedded; reportlab's ``invariant`` mode fixes the creation date and the document id,
so the same report gives the same bytes (reviewers diff them, tests compare them);
'DRAFT' in the header and the footer of every page while any finding is a draft, as
HSEEP asks; 'Page N of M' in the footer. Every string is XML-escaped before it meets
reportlab's paragraph markup, which would otherwise read a note's '<b>' as bold.
"""

from __future__ import annotations

import io
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

from reports.aar_model import Figure, Heading, Paragraph, Report, Table

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


def _markup(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.strip().splitlines())


def _widths(table: Table, total: float) -> list[float]:
    """Column widths: each at least its longest word, the rest shared by how much text it holds."""
    pad = 2 * CELL_PADDING + 1

    def width(text: str, font: str) -> float:
        return stringWidth(text, font, CELL_SIZE) + pad

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
                n if n <= UNBROKEN else max(width(w, f) for w in t.split())
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
    data = [[RLParagraph(_markup(h), styles["head"]) for h in table.header]]
    data += [[RLParagraph(_markup(c), styles["cell"]) for c in row] for row in table.rows]
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
    caption = RLParagraph(_markup(f"Figure {fig.number}: {fig.caption}"), styles["caption"])
    return KeepTogether([image, caption, Spacer(1, 6)])


def _flowables(report: Report, width: float, height: float) -> list[Flowable]:
    styles = _styles()
    out: list[Flowable] = []
    for section in report.sections:
        style = styles["title"] if section.key == "cover" else styles["h2"]
        out.append(RLParagraph(_markup(section.heading), style))
        for block in section.blocks:
            if isinstance(block, Heading):
                out.append(
                    RLParagraph(_markup(block.text), styles[f"h{min(max(block.level, 3), 4)}"])
                )
            elif isinstance(block, Paragraph):
                label = f"<b>{escape(block.label)}:</b> " if block.label else ""
                out.append(RLParagraph(label + _markup(block.text), styles[block.style]))
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

        def _decorate(self, total: int) -> None:
            page_w, page_h = self._pagesize
            self.saveState()
            self.setFont("Helvetica", 8)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, page_h - MARGIN + 14, title[:90])
            self.drawRightString(
                page_w - MARGIN, MARGIN - 24, f"Page {self._pageNumber} of {total}"
            )
            if draft:
                self.setFont("Helvetica-Bold", 11)
                self.setFillColor(MARKING_RED)
                self.drawCentredString(page_w / 2, page_h - MARGIN + 28, "DRAFT")
                self.drawCentredString(page_w / 2, MARGIN - 24, "DRAFT")
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
        title=report.title + (" (DRAFT)" if report.draft else ""),
        author="drillsim",
        creator="drillsim",
        subject="After-action report and improvement plan",
        invariant=1,
    )
    doc.build(
        _flowables(report, doc.width, doc.height),
        canvasmaker=_canvas_class(report.title, report.draft),
    )
    return buf.getvalue()
