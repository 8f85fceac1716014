"""The after-action report as a Word document: opens in python-docx, keeps the model.

The drill: the default plan, its CRM down, a room that brings up the standby CRM and
an observer's note; once in English, once named, noted and staffed in Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from drills import session
from drills.store import DrillStore
from i18n import language
from reports.aar import build_report
from reports.aar_docx import EAST_ASIA_FONT, to_docx
from reports.aar_model import Figure, Table
from reports.render import FORMATS, render
from reports.source import aar_for_drill
from sim.response.decisions import Decision

DRILL = "台风桌面演练"
NOTE = "台风导致营业厅停电，客户服务负责人已启用备用场地"
GENERATED = dt.datetime(2026, 3, 5, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 5)


def played(tmp_path, new_drill, name: str, note: str, who: str) -> tuple[str, str]:
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name=name, seed=3, participants=[{"name": who, "role": "commander"}])
    record = session.advance(store, record.id, 90, who, record.version)
    _, record = session.decide(
        store,
        record.id,
        Decision(action="activate_backup", target="crm_standby"),
        who,
        "repair time unknown",
        record.version,
    )
    session.add_note(store, record.id, note, who, 90)
    session.advance(store, record.id, 240, who, record.version)
    return str(db), record.id


@pytest.fixture
def english(tmp_path, new_drill):
    db, drill_id = played(tmp_path, new_drill, "Monday drill", "standby up at 1h30m", "Li Wei")
    return build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))


@pytest.fixture
def chinese(tmp_path, new_drill):
    db, drill_id = played(tmp_path, new_drill, DRILL, NOTE, "张伟")
    with language("zh-CN"):
        report = build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))
        yield report, to_docx(report)


def opened(data: bytes):
    return Document(io.BytesIO(data))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_docx_holds_the_sections_tables_and_pictures_of_the_model(english):
    data = to_docx(english)
    assert data.startswith(b"PK")
    doc = opened(data)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.heading for s in english.sections if s.key != "cover"]
    assert headings[:2] == ["Executive summary", "1 Overview"]
    assert [p.text for p in doc.paragraphs if p.style.name == "Title"] == [
        english.sections[0].heading
    ]
    tables = [b for s in english.sections for b in s.blocks if isinstance(b, Table)]
    assert tables and len(doc.tables) == len(tables)
    for grid, table in zip(doc.tables, tables, strict=True):
        assert tuple(c.text for c in grid.rows[0].cells) == table.header
        assert len(grid.rows) == 1 + len(table.rows)
        assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    figures = [b for s in english.sections for b in s.blocks if isinstance(b, Figure)]
    assert figures and len(doc.inline_shapes) == len(figures)
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media")]
    assert len(media) == len(figures)
    assert "Figure 1: " in all_text(doc)
    assert doc.core_properties.created == GENERATED
    assert doc.core_properties.modified == GENERATED


def test_the_draft_mark_is_on_every_page(english):
    doc = opened(to_docx(english))
    assert english.draft
    assert doc.sections[0].header.paragraphs[0].text == "DRAFT"
    assert doc.sections[0].footer.paragraphs[0].text == "DRAFT"
    assert doc.core_properties.title.endswith("(DRAFT)")


def test_same_report_same_bytes(english):
    assert to_docx(english) == to_docx(english)
    assert render(english, "docx") == to_docx(english)
    assert FORMATS["docx"] == ".docx"
    stamps = {i.date_time for i in zipfile.ZipFile(io.BytesIO(to_docx(english))).infolist()}
    assert stamps == {(2026, 3, 5, 16, 0, 0)}


def test_chinese_text_survives_with_an_east_asian_font(chinese):
    report, data = chinese
    doc = opened(data)
    text = all_text(doc)
    assert DRILL in text and NOTE in text and "张伟" in text
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["执行摘要", "1 概述", "2 演练目标与能力", "3 目标达成情况"]
    assert report.draft and doc.sections[0].header.paragraphs[0].text == "草稿"
    runs = [r for p in doc.paragraphs for r in p.runs if DRILL in r.text]
    assert runs
    fonts = runs[0]._r.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == EAST_ASIA_FONT
    table = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert 'w:name="Microsoft YaHei"' in table and 'w:val="SimSun"' in table


def test_chinese_docx_is_reproducible(chinese):
    report, data = chinese
    with language("zh-CN"):
        assert to_docx(report) == data
