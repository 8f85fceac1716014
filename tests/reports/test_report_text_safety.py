"""Report text that reads as typed (issue 18, section 4): the Markdown report escapes
'&' (an entity such as '&lt;' in a finding showed as '<'), and bidirectional control
characters are taken out in every format."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from pypdf import PdfReader

from reports.aar_markdown import escape
from reports.aar_model import Heading, Paragraph, Report, Section, Table
from reports.render import render

RLO = "\u202e"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _report(text: str) -> Report:
    section = Section(
        "findings",
        "1",
        "Findings",
        (
            Heading(f"Strength {text}"),
            Paragraph(f"Observed {text}", label="Observed"),
            Table(("Issue",), ((f"cell {text}",),), caption=""),
        ),
    )
    return Report(title=f"Drill {text}", draft=True, generated_at=NOW, sections=(section,))


def test_markdown_escapes_ampersands():
    assert escape("Tom &amp; Jerry &lt;b&gt;") == "Tom \\&amp; Jerry \\&lt;b\\&gt;"


def test_bidi_controls_are_taken_out_in_every_format():
    report = _report(f"exe.{RLO}gpj")
    for fmt in ("md", "html"):
        text = render(report, fmt).decode("utf-8")
        assert RLO not in text and "exe.gpj" in text, fmt
    pdf = render(report, "pdf")
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert RLO not in pdf_text and "exe.gpj" in pdf_text
    with zipfile.ZipFile(io.BytesIO(render(report, "docx"))) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert RLO not in xml and "exe.gpj" in xml
