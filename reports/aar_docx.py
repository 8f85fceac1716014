"""The after-action report as a Word document (DOCX), for reviewers who edit it in Word.

Why a renderer of its own: reviewers rewrite the report before it goes to management,
and they do that in Word, not in a PDF. It lays out the same document model as the
Markdown, HTML and PDF renderings (:mod:`~reports.aar_model`), with real headings,
tables with a header row, and the charts as embedded pictures.

Why fonts set on every run: Word picks the font of Chinese characters from the
``w:eastAsia`` attribute of ``w:rFonts``, not from the font name python-docx sets, so
each run names both (Microsoft YaHei, with SimSun as its substitute in the font table).

Why the zip is rewritten: python-docx stamps each zip entry with the time of saving
and the core properties with the template's dates; both are fixed to the report's
generation time, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from i18n import _, current_language
from reports.aar_model import DPI, Figure, Heading, Paragraph, Report, Table

LATIN_FONT = "Calibri"
EAST_ASIA_FONT = "Microsoft YaHei"
EAST_ASIA_FALLBACK = "SimSun"
TEXT_WIDTH = 6.0
"""Inches between the margins of the template's page: wider figures are scaled down."""
MARKING = RGBColor(0xBB, 0x00, 0x00)
MUTED = RGBColor(0x55, 0x55, 0x55)
FONT_ENTRY = (
    '<w:font xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    f' w:name="{EAST_ASIA_FONT}"><w:altName w:val="{EAST_ASIA_FALLBACK}"/>'
    '<w:charset w:val="86"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
)  # not for people: WordprocessingML


def _fonts(rpr_owner: Any) -> None:
    """Name the Latin and the East Asian font on a run's or a style's properties."""
    element = rpr_owner._element if hasattr(rpr_owner, "_element") else rpr_owner
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _run(
    paragraph: DocxParagraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    size: float | None = None,
) -> None:
    """Text added to a paragraph, one line break per newline, with both fonts named."""
    run = paragraph.add_run()
    for i, line in enumerate(text.split("\n")):
        if i:
            run.add_break()
        run.add_text(line)
    run.font.name = LATIN_FONT
    _fonts(run)
    run.bold = bold or None
    run.italic = italic or None
    if color is not None:
        run.font.color.rgb = color
    if size is not None:
        run.font.size = Pt(size)


def _styles(doc: Any) -> None:
    """Both fonts on the styles the report uses, and the language of the text."""
    styles = doc.styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = styles[name]
        style.font.name = LATIN_FONT
        _fonts(style.element)
    lang = styles["Normal"].element.get_or_add_rPr().find(qn("w:lang"))
    if lang is None:
        lang = styles["Normal"].element.get_or_add_rPr().makeelement(qn("w:lang"), {})
        styles["Normal"].element.get_or_add_rPr().append(lang)
    lang.set(qn("w:val"), "en-GB" if current_language() == "en" else current_language())
    lang.set(qn("w:eastAsia"), "zh-CN")


def _font_table(doc: Any) -> None:
    """Declare SimSun as the substitute for Microsoft YaHei where it is not installed."""
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            root = parse_xml(part.blob)
            root.append(parse_xml(FONT_ENTRY))
            part._blob = serialize_part_xml(root)
            return


def _table(doc: Any, table: Table) -> None:
    if table.caption:
        _run(doc.add_paragraph(style="Caption"), table.caption, italic=True)
    grid = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = "Table Grid"
    for row_index, row in enumerate((table.header, *table.rows)):
        for cell, text in zip(grid.rows[row_index].cells, row, strict=False):
            _run(cell.paragraphs[0], text, bold=row_index == 0, size=9.5)
    header = grid.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))  # repeated on every page


def _figure(doc: Any, fig: Figure) -> None:
    width = min(TEXT_WIDTH, fig.width / DPI)
    doc.add_picture(io.BytesIO(fig.png), width=Inches(width))
    caption = _("Figure {number}: {caption}").format(number=fig.number, caption=fig.caption)
    _run(doc.add_paragraph(style="Caption"), caption, italic=True)


def _block(doc: Any, block: Heading | Paragraph | Table | Figure) -> None:
    if isinstance(block, Heading):
        _run(doc.add_heading(level=block.level), block.text)
    elif isinstance(block, Paragraph):
        para = doc.add_paragraph()
        if block.label:
            _run(para, _("{label}:").format(label=block.label) + " ", bold=True)
        if block.style == "marking":
            _run(para, block.text.strip(), bold=True, color=MARKING)
        elif block.style == "muted":
            _run(para, block.text.strip(), color=MUTED, size=9.5)
        else:
            _run(para, block.text.strip())
    elif isinstance(block, Table):
        _table(doc, block)
    else:
        _figure(doc, block)


def _marking(paragraph: DocxParagraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, _("DRAFT"), bold=True, color=MARKING)


def _fixed_zip(data: bytes, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The same zip with every entry dated ``stamp`` (python-docx dates them now)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def to_docx(report: Report) -> bytes:
    """The report as a Word document; the same report gives the same bytes."""
    doc = Document()
    _styles(doc)
    _font_table(doc)
    title = _("{title} (DRAFT)").format(title=report.title) if report.draft else report.title
    props = doc.core_properties
    props.title = title
    props.author = "drillsim"  # not for people: the program that wrote the file
    props.last_modified_by = "drillsim"  # not for people: the program that wrote the file
    props.comments = ""
    props.revision = 1
    generated = report.generated_at
    if generated.tzinfo is not None:
        generated = generated.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = generated
    props.modified = generated
    props.last_printed = generated
    props.language = current_language()
    if report.draft:
        _marking(doc.sections[0].header.paragraphs[0])
        _marking(doc.sections[0].footer.paragraphs[0])
    for section in report.sections:
        if section.key == "cover":
            _run(doc.add_heading(level=0), section.heading)
        else:
            _run(doc.add_heading(level=1), section.heading)
        for block in section.blocks:
            _block(doc, block)
    buf = io.BytesIO()
    doc.save(buf)
    stamp = (max(generated.year, 1980), generated.month, generated.day, generated.hour,
             generated.minute, generated.second)  # fmt: skip
    return _fixed_zip(buf.getvalue(), stamp)
