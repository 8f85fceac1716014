"""The after-action report rendered: one self-contained HTML file, a PDF, reproducible bytes.

The drill: the tiny plan with exact answering times, its CRM down from 1h, played to
3h by a room that declares level 2 and brings up the standby CRM; an observer's note
holds a script tag, and a refused decision stays in the log.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from drills.debrief import compare_policies
from reports.aar import build_report
from reports.aar_html import to_html
from reports.aar_input import AarInput, FindingText, ImprovementRow, Rating, aar_input_from_journal
from reports.aar_markdown import escape, escape_line, to_markdown
from reports.aar_pdf import to_pdf
from sim.analysis.journal import build_journal
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.simulation import Simulation
from sim.response.decisions import Decision

SEED = 3
UNTIL = 180.0
TODAY = dt.date(2026, 3, 5)
GENERATED = dt.datetime(2026, 3, 5, 16, 0, tzinfo=dt.UTC)
NOTE = "<script>alert(1)</script>"
PNG = b"\x89PNG\r\n\x1a\n"
HEADINGS = (
    "Overview",
    "Objectives and capabilities",
    "Results against targets",
    "Timeline",
    "Strengths and areas for improvement",
    "Improvement plan",
)


@pytest.fixture
def plan(tiny_plan):
    return tiny_plan


@pytest.fixture
def scenario(tiny_crm):
    return tiny_crm()


@pytest.fixture
def source(plan, scenario):
    sim = Simulation(plan, scenario, SEED, policy="scripted")
    entries = []
    for seq, (at, decision) in enumerate(
        [
            (75.0, Decision(action="declare_level", level=2, by="duty")),
            (80.0, Decision(action="activate_backup", target="net", by="it")),
            (
                85.0,
                Decision(action="activate_backup", target="crm_b", by="it", rationale="a & b <i>"),
            ),
        ],
        start=1,
    ):
        sim.run_until(at)
        verdict = sim.decide(decision)
        entries.append(
            {
                "seq": seq,
                "kind": "decision",
                "sim_time": at,
                "wall_time": "2026-03-05T10:00:00+00:00",
                "author": "Bob",
                "payload": decision.model_dump(mode="json"),
                "result": {"accepted": verdict.accepted, "reason": verdict.reason},
            }
        )
    entries.append(
        {
            "seq": 4,
            "kind": "note",
            "sim_time": 90.0,
            "wall_time": "2026-03-05T10:05:00+00:00",
            "author": "Eve",
            "payload": {"text": NOTE},
            "result": None,
        }
    )
    sim.run_until(UNTIL)
    room = sim.records()
    sim.release()
    return AarInput(
        title="After-action report: formats",
        generated_at=GENERATED,
        plan=plan,
        scenario=scenario,
        seed=SEED,
        drill_name="Formats drill <b>",
        drill_id="drill_0002",
        drill_date=TODAY,
        mode="tabletop",
        participants=[("Bob", "duty"), ("Eve <evaluator>", "")],
        entries=entries,
        room=room,
        runs=compare_policies(plan, scenario, SEED, room, until=UNTIL),
        until=UNTIL,
        ratings=[Rating("activate", "S", "Declared at once & the wrong backup first.", "Eve")],
        findings=[
            FindingText(
                "area",
                "activate",
                f"Observer wrote {NOTE}",
                "Plan flow system_failure, step 'activate'",
                "Unclear call sheet.",
                draft=True,
            ),
            FindingText(
                "strength", "discover_report", "Reported in time.", draft=False, author="Eve"
            ),
        ],
        items=[
            ImprovementRow(
                "Call sheet", "List standbys", "planning", "duty", None, TODAY, "open", "crm_b"
            )
        ],
        today=TODAY,
    )


class Tags(HTMLParser):
    """Collects tags, their attributes and the text; raises nothing on well-formed input."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in {"meta", "img", "br"}:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (
            f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        )
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def parsed(html):
    parser = Tags()
    parser.feed(html)
    parser.close()
    assert parser.open == []
    return parser


# --- Markdown -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell", "line"),
    [
        ("a | b", r"a \| b", r"a \| b"),
        ("<script>x</script>", r"\<script>x\</script>", r"\<script>x\</script>"),
        ("RTO <= 4h", "RTO <= 4h", "RTO <= 4h"),
        ("tiny_crm", "tiny_crm", "tiny_crm"),
        ("_stress_ *this*", r"\_stress\_ \*this\*", r"\_stress\_ \*this\*"),
        ("# not a heading", "# not a heading", r"\# not a heading"),
        ("- not a list", "- not a list", r"\- not a list"),
        ("12. not a list", "12. not a list", r"12\. not a list"),
        ("[not](a link)", r"\[not\](a link)", r"\[not\](a link)"),
    ],
)
def test_markdown_escapes_what_would_become_markup(text, cell, line):
    assert escape(text) == cell
    assert escape_line(text) == line


# --- HTML ---------------------------------------------------------------------------


def test_html_is_one_self_contained_file_with_embedded_charts(source):
    html = to_html(build_report(source))
    page = parsed(html)
    headings = [t for t in "".join(page.text).splitlines() if t]
    for heading in HEADINGS:
        assert any(line.endswith(heading) for line in headings), heading
    images = [a["src"] for tag, a in page.tags if tag == "img"]
    assert len(images) >= 2
    for src in images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1], validate=True).startswith(PNG)
    assert "http://" not in html and "https://" not in html
    assert not [a for tag, a in page.tags if tag in {"link", "script", "iframe", "object"}]
    assert "@import" not in html and "url(" not in html


def test_html_escapes_every_user_string(source):
    html = to_html(build_report(source))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "<b>" not in html and "<i>" not in html
    assert (
        "Formats drill &lt;b&gt;" in html
        and "Eve &lt;evaluator&gt;" in html
        and "a &amp; b" in html
    )
    assert NOTE in "".join(parsed(html).text)  # shown as text


def test_html_marks_a_draft_on_every_printed_page(source):
    html = to_html(build_report(source))
    assert html.count('class="marking marking-fixed') == 2
    assert "position: fixed" in html


# --- PDF ----------------------------------------------------------------------------


def test_pdf_opens_and_says_what_the_report_says(source):
    pdf = to_pdf(build_report(source))
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    for heading in HEADINGS:
        assert heading in text, heading
    assert all("DRAFT" in p for p in pages)
    assert all(f"Page {i} of {len(pages)}" in p for i, p in enumerate(pages, start=1))
    assert NOTE in text  # shown as text, not swallowed as markup
    assert reader.metadata.title == "After-action report: formats (DRAFT)"
    images = [img for page in reader.pages for img in page.images]
    assert len(images) >= 2


def test_pdf_uses_only_the_built_in_fonts(source):
    reader = PdfReader(io.BytesIO(to_pdf(build_report(source))))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            obj = font.get_object()
            fonts.add(obj["/BaseFont"])
            assert "/FontDescriptor" not in obj  # nothing embedded
    assert fonts <= {
        "/Helvetica",
        "/Helvetica-Bold",
        "/Helvetica-Oblique",
        "/Helvetica-BoldOblique",
    }


def test_a_final_report_has_no_draft_marking(source):
    final = replace(source, findings=[FindingText("area", "activate", "x", draft=False)])
    report = build_report(final)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages)
    assert "DRAFT" not in text and "DRAFT" not in to_html(report)


# --- reproducible ---------------------------------------------------------------------


def test_same_input_same_bytes_in_every_format(source):
    first, second = build_report(source), build_report(source)
    assert to_markdown(first) == to_markdown(second)
    assert to_html(first) == to_html(second)
    assert to_pdf(first) == to_pdf(second)


def test_only_the_generated_at_text_differs_between_two_generations(source):
    later = replace(source, generated_at=GENERATED + dt.timedelta(days=1))
    a, b = to_html(build_report(source)), to_html(build_report(later))
    assert a != b
    strip = re.compile(r"2026-03-0[56] 16:00 UTC")
    assert strip.sub("", a) == strip.sub("", b)


# --- from a Monte Carlo journal alone --------------------------------------------------


def test_a_journal_alone_renders_in_the_three_formats(plan, scenario):
    result = run_monte_carlo(plan, scenario, 2, SEED)
    journal = build_journal(
        plan,
        scenario,
        result,
        seed=SEED,
        plan_file="tiny.yaml",
        scenario_file="crm.yaml",
        started=GENERATED,
        ended=GENERATED,
        workers=1,
    )
    report = build_report(aar_input_from_journal(journal, GENERATED, TODAY))
    markdown = to_markdown(report)
    assert "Monte Carlo distribution (2 replications, policy plan)" in markdown
    html = to_html(report)
    parsed(html)
    assert "<img" not in html and "http" not in html
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages)
    for heading in HEADINGS:
        assert heading in text
    assert "Replications" in text


def test_pdf_long_tables_repeat_their_header_and_split_rows_taller_than_a_page(source):
    notes = [
        {
            "seq": 100 + i,
            "kind": "note",
            "sim_time": 100.0 + i,
            "wall_time": "2026-03-05T11:00:00+00:00",
            "author": "Eve",
            "payload": {"text": f"note {i}"},
            "result": None,
        }
        for i in range(60)
    ]
    huge = (
        "a very long observation " * 400 + "x" * 600
    )  # taller than a page, one word wider than it
    notes.append({**notes[0], "seq": 99, "payload": {"text": huge}})
    report = build_report(replace(source, entries=[*source.entries, *notes]))
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages]
    with_header = [p for p in pages if "Sim time" in p and "Outcome" in p]
    assert len(with_header) >= 3
    assert "note 59" in "\n".join(pages)
