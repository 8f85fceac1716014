"""Figure captions only where their figure is, in every format; the manual cited as
'manual 7.2' (Chinese '手册 7.2'), never by an internal name such as 'SOURCE' or a file.

The report: the hand-made live drill of tests/dashboard/test_live_observed.py (its
Gantt chart has observed steps beside simulated ones), and every catalog message.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from docx import Document

from i18n import language
from reports.aar import build_report
from reports.aar_docx import to_docx
from reports.aar_html import to_html
from reports.aar_markdown import to_markdown
from reports.aar_model import Figure
from reports.aar_pdf import _flowables
from reports.source import aar_for_drill
from tests.dashboard.test_live_observed import W0, live  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES"
CAPTION = re.compile(r"Figure \d+: |图 ?\d+[:：]")
INTERNAL = re.compile(r"\bSOURCE\b|[A-Za-z_]\.md\b")
"""How the code names the manual inside (SOURCE.md, 'SOURCE 7.2'): never for a reader."""
CITED = re.compile(r"manual(?! (\d+(\.\d+)*)(,| |\)|\.|$))")
"""'manual' not followed by a section number: a citation without its section."""


@pytest.fixture
def report(live):  # noqa: F811
    store, drill = live
    return build_report(aar_for_drill(store.path, drill.id, W0, W0.date()))


def figures_of(report) -> list[Figure]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Figure)]


class _Figures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.captions: list[tuple[bool, str]] = []
        self.images_in_figures = 0
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "img" and "figure" in self.stack:
            self.images_in_figures += 1
        if tag == "figcaption":
            self._caption = []

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._caption is not None:
            self.captions.append(("figure" in self.stack, "".join(self._caption)))
            self._caption = None
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if self._caption is not None:
            self._caption.append(data)


def test_markdown_prints_no_caption_without_its_figure(report):
    figures = figures_of(report)
    assert len(figures) == 2
    assert figures[0].caption.endswith("observed in the live drill")
    text = to_markdown(report)
    assert not CAPTION.search(text)
    assert not any(f.caption in text for f in figures)
    assert text.count("The charts of this section are in the HTML and PDF reports.") == 1


def test_html_captions_sit_in_their_figures(report):
    page = _Figures()
    page.feed(to_html(report))
    figures = figures_of(report)
    assert page.images_in_figures == len(figures)
    assert [c for inside, c in page.captions] == [
        f"Figure {f.number}: {f.caption}" for f in figures
    ]
    assert all(inside for inside, _c in page.captions)


def test_docx_captions_follow_their_pictures(report):
    doc = Document(io.BytesIO(to_docx(report)))
    paragraphs = doc.paragraphs
    captions = [i for i, p in enumerate(paragraphs) if CAPTION.match(p.text)]
    assert len(captions) == len(figures_of(report))
    for i in captions:
        assert paragraphs[i - 1]._p.xpath(".//w:drawing"), paragraphs[i].text


def test_pdf_captions_are_kept_with_their_images(report):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Image, KeepTogether, Paragraph

    flow = _flowables(report, A4[0] - 100, A4[1] - 100)
    kept = [f for f in flow if isinstance(f, KeepTogether)]
    pairs = [(f._content[0], f._content[1]) for f in kept if isinstance(f._content[0], Image)]
    assert len(pairs) == len(figures_of(report))
    assert all(isinstance(c, Paragraph) and CAPTION.match(c.getPlainText()) for _i, c in pairs)
    loose = [f for f in flow if isinstance(f, Paragraph) and CAPTION.match(f.getPlainText())]
    assert loose == []


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_report_cites_the_manual_by_section(live, lang):  # noqa: F811
    store, drill = live
    with language(lang):
        report = build_report(aar_for_drill(store.path, drill.id, W0, W0.date()))
        text = to_markdown(report)
    assert not INTERNAL.search(text), INTERNAL.search(text)
    if lang == "en":
        assert "(manual 7.2)" in text
        assert not CITED.search(text), text[CITED.search(text).start() - 60 :][:120]
    else:
        assert "（手册 7.2）" in text


def test_every_message_cites_the_manual_by_section():
    """No message (English or Chinese) names the manual by an internal name, and a
    section number in brackets is always the manual's: the message names the manual."""
    bad = []
    for path in sorted(LOCALE.glob("*.po")):
        with path.open("rb") as fh:
            for m in read_po(fh):
                ids = m.id if isinstance(m.id, tuple) else (m.id,)
                strs = m.string if isinstance(m.string, tuple) else (m.string,)
                for text in (*ids, *strs):
                    if not text:
                        continue
                    if INTERNAL.search(text):
                        bad.append(f"{path.name}: {text}")
                    section = re.search(r"[(（]\d+\.\d+(\.\d+)*[)）,、]", text)
                    if section and "manual" not in text and "手册" not in text:
                        bad.append(f"{path.name}: {text}")
    assert bad == []
