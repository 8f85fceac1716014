"""The after-action report and its charts in Chinese: text that extracts back, glyphs that draw.

Why these checks: a PDF in Helvetica alone prints Chinese as nothing (or as boxes), and
matplotlib without a CJK font warns "Glyph ... missing from font(s)" and draws boxes; both
fail silently for a reader. So a drill written in Chinese (its name, a note, the people)
is rendered under zh-CN in the three formats, and each must give the same Chinese back;
the PDF must embed the CJK font (a subset, FontFile2); a chart with Chinese names must
draw without a missing-glyph warning or a font log line. English stays as it was: the
English PDF embeds no font (tests/dashboard/test_aar_formats.py).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from drills import session
from drills.store import DrillStore
from i18n import language
from reports.aar import build_report
from reports.aar_html import to_html
from reports.aar_markdown import to_markdown
from reports.aar_model import png_bytes
from reports.aar_pdf import to_pdf
from reports.figures import plan_graph, queue_and_service, step_gantt
from reports.fonts import has_cjk
from reports.source import aar_for_drill
from sim.response.decisions import Decision

DRILL = "台风桌面演练"
NOTE = "台风导致营业厅停电，客户服务负责人已启用备用场地"
PEOPLE = [("张伟", "commander"), ("李娜", "duty_manager"), ("王芳", "")]
GENERATED = dt.datetime(2026, 3, 5, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 5)
ARTIFACT = Path(__file__).resolve().parents[1] / "artifacts" / "report_zh_page1.png"
HEADINGS_ZH = ["1 概述", "2 演练目标与能力", "3 目标达成情况", "4 时间线", "6 改进计划"]


@pytest.fixture
def chinese_drill(tmp_path, new_drill):
    """A tabletop drill of the default plan, named, noted and staffed in Chinese."""
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(
        store,
        name=DRILL,
        seed=3,
        participants=[{"name": n, "role": r} for n, r in PEOPLE if r]
        + [{"name": n} for n, r in PEOPLE if not r],
    )
    record = session.advance(store, record.id, 90, "张伟", record.version)
    _, record = session.decide(
        store,
        record.id,
        Decision(action="activate_backup", target="crm_standby"),
        "李娜",
        "修复时间未知",
        record.version,
    )
    session.add_note(store, record.id, NOTE, "王芳", 90)
    session.advance(store, record.id, 240, "张伟", record.version)
    return db, record.id


@pytest.fixture
def chinese_report(chinese_drill):
    db, drill_id = chinese_drill
    with language("zh-CN"):
        yield build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))


def flat(text: str) -> str:
    """Text without line breaks and spaces (wrapping and font changes may insert either)."""
    return re.sub(r"\s+", "", text)


def test_pdf_in_chinese_gives_back_the_drill_the_note_and_the_people(chinese_report):
    with language("zh-CN"):
        pdf = to_pdf(chinese_report)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    text = flat("\n".join(pages))
    for words in (DRILL, NOTE, *(n for n, _ in PEOPLE), *HEADINGS_ZH):
        assert flat(words) in text, words
    assert "演练总结评估报告" in text and "附录：参演人员" in text
    assert all(f"第{i}页，共{len(pages)}页" in flat(p) for i, p in enumerate(pages, start=1))
    assert b"/FontFile2" in pdf  # embedded, as a TrueType subset
    assert b"+WenQuanYiMicroHei" in pdf


def test_chinese_pdf_is_reproducible(chinese_report):
    with language("zh-CN"):
        assert to_pdf(chinese_report) == to_pdf(chinese_report)


def test_markdown_and_html_in_chinese(chinese_report):
    with language("zh-CN"):
        md, html = to_markdown(chinese_report), to_html(chinese_report)
    for text in (md, html):
        for words in (DRILL, NOTE, *(n for n, _ in PEOPLE)):
            assert words in text, words
    for heading in HEADINGS_ZH:
        assert f"## {heading}" in md
        assert f"<h2>{heading}</h2>" in html
    assert "**演练：** 台风桌面演练" in md
    assert '<html lang="zh-CN">' in html
    assert '"Noto Sans CJK SC"' in html and '"WenQuanYi Micro Hei"' in html
    # the fixed words are Chinese too: no English prose left in the headings and labels
    assert "Overview" not in md and "Figure " not in md and "Page " not in md


def test_the_report_reads_chinese_headings_and_capabilities(chinese_report):
    assert chinese_report.sections[1].heading == "执行摘要"
    sections = [s.heading for s in chinese_report.sections[2:]]
    assert sections[:4] == HEADINGS_ZH[:4]
    assert sections[-1] == "附录：参演人员"
    capabilities = next(
        b
        for b in chinese_report.section("capabilities").blocks
        if getattr(b, "header", ("",))[0] == "能力"
    )
    assert capabilities.header == ("能力", "评级", "撰写人", "最后修改人")
    assert [r[0] for r in capabilities.rows][:2] == ["事件发现与报告", "事件评估与分级"]


def test_english_is_untouched_by_the_chinese_font(chinese_drill):
    db, drill_id = chinese_drill
    report = build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))
    assert report.section("overview").heading == "1 Overview"
    assert '<html lang="en">' in to_html(report)


# --- charts ---------------------------------------------------------------------------


def chinese_names(data):
    """Plan edit: every role, person, system, site and channel named in Chinese."""
    names = {
        "roles": "角色",
        "people": "人员",
        "systems": "系统",
        "sites": "场地",
        "channels": "渠道",
    }
    for key, word in names.items():
        for i, item in enumerate(data.get(key) or []):
            item["name"] = {"zh-CN": f"{word}{i + 1}号", "en": f"{key} {i + 1}"}
    data["meta"]["name"] = {"zh-CN": "小型客服中心", "en": "Tiny centre"}


def quiet_render(make):
    """Render a figure to PNG; return the figure and the warnings and font log lines raised."""
    records: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Catch(level=logging.WARNING)
    log = logging.getLogger("matplotlib")
    log.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig = make()
            png = png_bytes(fig)
    finally:
        log.removeHandler(handler)
    return fig, png, [str(w.message) for w in caught], [r.getMessage() for r in records]


def test_a_plan_graph_with_chinese_names_draws_every_glyph(make_plan):
    plan = make_plan(chinese_names)
    with language("zh-CN"):
        fig, png, warned, logged = quiet_render(lambda: plan_graph(plan))
    assert png.startswith(b"\x89PNG")
    assert not [w for w in warned if "missing from font" in w or "Glyph" in w], warned
    assert not logged, logged
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert {"角色1号", "人员1号", "系统1号", "渠道1号"} <= texts
    assert ax.get_title() == "应急预案关系图：小型客服中心（第 1 版）"
    assert {"人员", "角色", "服务渠道"} <= texts  # the column titles


def test_the_report_charts_in_chinese_draw_every_glyph(chinese_drill):
    db, drill_id = chinese_drill
    with language("zh-CN"):
        source = aar_for_drill(db, drill_id, GENERATED, TODAY)
        room = source.room
        assert room is not None and room.response is not None
        for make in (
            lambda: step_gantt(
                room.response.incidents, now=source.until, start=source.scenario.start
            ),
            lambda: queue_and_service(room, source.plan, start=source.scenario.start),
        ):
            fig, _png, warned, logged = quiet_render(make)
            assert not [w for w in warned if "missing from font" in w], warned
            assert not logged, logged
            titles = [ax.get_title() for ax in fig.axes]
            assert all(has_cjk(t) for t in titles), titles


# --- a page to look at ----------------------------------------------------------------


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_first_page_renders_to_an_image(chinese_report, tmp_path):
    """Writes tests/artifacts/report_zh_page1.png, for a person to look at the glyphs."""
    pdf = tmp_path / "report.pdf"
    with language("zh-CN"):
        pdf.write_bytes(to_pdf(chinese_report))
    stem = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(stem)], check=True
    )
    (page,) = tmp_path.glob("page*.png")
    assert page.read_bytes().startswith(b"\x89PNG")
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(page, ARTIFACT)
