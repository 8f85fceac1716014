"""The report of a drill the evaluators own: the summary first, who wrote and who changed
every rating and finding, HSEEP's fields and table, drafts accepted or discarded, deleted
findings left out, the IP matrix's capability and point of contact; and all of it in
Chinese in every format."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from drills import evaluations as ev
from drills import items as it
from drills import session
from drills.store import DrillStore
from drillsim.cli import main
from i18n import language
from plans import ModelFileError
from plans.loader import load_plan_text
from reports.aar import Table, build_report
from reports.aar_docx import to_docx
from reports.aar_html import to_html
from reports.aar_markdown import to_markdown
from reports.aar_pdf import to_pdf
from reports.source import aar_for_drill, pending_drafts
from scenarios.loader import load_scenario_text
from scenarios.objective_capabilities import DEFAULT_CAPABILITIES, objective_capabilities

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml"
GENERATED = dt.datetime(2026, 3, 5, 16, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 5)


@pytest.fixture
def played(tmp_path, new_drill):
    """The default drill played to T+3h: drillsim drafts findings for it."""
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name="Monday drill", seed=3)
    session.advance(store, record.id, 180, "Alice", record.version)
    return db, record.id


def report_of(db: Path, drill_id: str):
    return build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))


def plan_of(db: Path, drill_id: str):
    record = DrillStore(db).get(drill_id)
    return load_plan_text(record.plan_text, record.plan_name)


def test_the_report_says_who_wrote_and_who_changed_and_leaves_out_what_was_deleted(played):
    db, drill_id = played
    ev.set_summary(db, drill_id, "The room restored the CRM.", "Eve Zhou")
    ev.set_summary(db, drill_id, "The room restored the CRM on its standby.", "Gus Wang")
    ev.rate(db, drill_id, "activate", "S", "25 min", "Eve Zhou")
    ev.rate(db, drill_id, "activate", "M", "40 min in the log", "Eve Zhou", "Gus Wang")
    kept = ev.add_finding(
        db, drill_id, "area", "activate", "commander late", "manual 7.2", "no deputy", "Eve Zhou"
    )
    ev.update_finding(db, kept, recommendations="a second deputy at night", by="Gus Wang")
    gone = ev.add_finding(
        db, drill_id, "strength", "discover_report", "an unlikely strength", "", "", "Eve Zhou"
    )
    ev.delete_finding(db, gone, "Gus Wang")
    report = report_of(db, drill_id)
    assert [s.key for s in report.sections][:3] == ["cover", "summary", "overview"]
    md = to_markdown(report)
    summary = md.split("## Executive summary", 1)[1].split("## 1 Overview", 1)[0]
    assert "The room restored the CRM on its standby." in summary
    assert (
        "**Written by:** *Eve Zhou (" in summary and "**Last changed by:** *Gus Wang (" in summary
    )
    assert "The room restored the CRM." not in md  # the older version is not the summary
    ratings = next(
        b
        for b in report.section("capabilities").blocks
        if isinstance(b, Table) and b.header[0] == "Capability"
    )
    [activation] = [r for r in ratings.rows if r[0] == "Activation"]
    assert activation[1].startswith("M:")
    assert activation[2].startswith("Eve Zhou (") and activation[3].startswith("Gus Wang (")
    findings = md.split("## 5 ", 1)[1].split("## 6 ", 1)[0]
    assert "**Recommendations:** a second deputy at night" in findings
    assert "an unlikely strength" not in md  # deleted: out of the report
    assert "Recorded by" not in md
    names = re.findall(r"\*\*(?:Written by|Last changed by):\*\* \*([^(*]+)", md)
    assert names and {n.strip() for n in names} == {"Eve Zhou", "Gus Wang"}


def test_hseep_table_lists_each_objective_its_capabilities_and_flags_the_unrated(played):
    db, drill_id = played
    ev.rate(db, drill_id, "handle_coordinate", "S", "restored after 2h", "Eve Zhou")
    report = report_of(db, drill_id)
    table = next(
        b
        for b in report.section("capabilities").blocks
        if isinstance(b, Table) and b.header[0] == "Objective"
    )
    assert table.header == ("Objective", "Capability", "Rating", "Written by", "Last changed by")
    scenario = load_scenario_text(SCENARIO.read_text(), "crm")
    expected = [(o.id, c) for o in scenario.objectives for c in objective_capabilities(o)]
    got = [(row[0].split(":", 1)[0], row[1]) for row in table.rows]
    names = {
        "handle_coordinate": "Handling and coordination",
        "resource_guarantee": "Resource guarantee",
        "track_feedback": "Tracking and feedback",
    }
    assert got == [(o, names[c]) for o, c in expected]
    rto = [row for row in table.rows if row[0].startswith("rto_crm")]
    assert [r[1:3] for r in rto] == [
        ("Handling and coordination", "S: Performed with some challenges"),
        ("Resource guarantee", "NOT RATED"),
    ]
    md = to_markdown(report)
    assert (
        "**Not rated yet:**" in md
        and "Resource guarantee" in md.split("**Not rated yet:**")[1].split("\n")[0]
    )
    assert "Handling and coordination" not in md.split("**Not rated yet:**")[1].split("\n")[0]


def test_drafts_are_marked_until_accepted_and_a_discarded_one_does_not_come_back(played):
    db, drill_id = played
    aar = aar_for_drill(db, drill_id, GENERATED, TODAY)
    drafts = pending_drafts(db, drill_id, aar)
    assert len(drafts) >= 2
    md = to_markdown(build_report(aar))
    assert md.count("no evaluator has accepted it yet") == len(drafts)
    (k1, d1), (k2, d2) = drafts[0], drafts[1]
    ev.accept_draft(
        db,
        drill_id,
        k1,
        d1.kind,
        d1.capability,
        d1.observed + " (checked)",
        d1.reference,
        d1.analysis,
        "Eve Zhou",
        recommendations="keep doing it",
    )
    ev.discard_draft(db, drill_id, k2, "Gus Wang")
    with language("zh-CN"):  # keys do not depend on the language read in
        zh = pending_drafts(db, drill_id, aar_for_drill(db, drill_id, GENERATED, TODAY))
    assert {k for k, _ in zh} == {k for k, _ in drafts} - {k1, k2}
    after = aar_for_drill(db, drill_id, GENERATED, TODAY)
    md = to_markdown(build_report(after))
    assert md.count("no evaluator has accepted it yet") == len(drafts) - 2
    assert d2.observed not in md  # discarded
    accepted = [f for f in after.findings if f.observed.endswith("(checked)")]
    assert [(f.author, f.provenance, f.pending) for f in accepted] == [
        ("Eve Zhou", "drillsim", False)
    ]
    assert "**Origin:** *drafted by drillsim*" in md


# --- objectives' capabilities -----------------------------------------------------------


def scenario_with(objective: str) -> str:
    text = SCENARIO.read_text()
    start = text.index("objectives:")
    return text[:start] + "objectives:\n" + objective + "\n"


def test_an_objective_names_its_capabilities_or_takes_its_metrics():
    own = load_scenario_text(
        scenario_with(
            "  - {id: rto_crm, metric: rto, op: '<=', threshold: 240,"
            " capabilities: [activate, resource_guarantee]}"
        )
    )
    assert objective_capabilities(own.objectives[0]) == ("activate", "resource_guarantee")
    default = load_scenario_text(
        scenario_with("  - {id: rto_crm, metric: rto, op: '<=', threshold: 240}")
    )
    assert objective_capabilities(default.objectives[0]) == (
        "handle_coordinate",
        "resource_guarantee",
    )
    assert set(DEFAULT_CAPABILITIES) == {
        "service_level",
        "asa",
        "abandonment",
        "max_queue",
        "backlog",
        "tickets_late",
        "availability",
        "occupancy",
        "rto",
        "rpo",
    }  # every metric of the scenario format has a default


def test_an_unknown_capability_names_the_field():
    with pytest.raises(ModelFileError, match=r"objectives.*capabilities"):
        load_scenario_text(
            scenario_with(
                "  - {id: rto_crm, metric: rto, op: '<=', threshold: 240, capabilities: [budget]}"
            )
        )


def test_drillsim_schema_scenario_documents_the_capabilities(capsys):
    assert main(["schema", "scenario"]) == 0
    schema = json.loads(capsys.readouterr().out)
    field = schema["$defs"]["Objective"]["properties"]["capabilities"]
    assert "HSEEP" in field["description"] and "left out" in field["description"]
    assert "resource_guarantee" in json.dumps(field)


# --- Chinese in every format ------------------------------------------------------------

SUMMARY_ZH = "演练中备用客户关系管理系统按时启用，但审批人难以联系"
FINDING_ZH = "指挥长在四十分钟后才接听电话"
RECOMMEND_ZH = "夜班增设第二名副指挥长"
ISSUE_ZH = "夜间指挥长响应缓慢"
POC_ZH = "刘洋"
EVALUATOR_ZH = "赵敏"
CHANGER_ZH = "孙丽"


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def chinese_evaluation(played):
    db, drill_id = played
    ev.set_summary(db, drill_id, SUMMARY_ZH, EVALUATOR_ZH)
    ev.rate(db, drill_id, "activate", "M", "四十分钟", EVALUATOR_ZH, CHANGER_ZH)
    fid = ev.add_finding(
        db, drill_id, "area", "activate", FINDING_ZH, "手册 7.2", "夜班无副指挥长", EVALUATOR_ZH
    )
    ev.update_finding(db, fid, recommendations=RECOMMEND_ZH, by=CHANGER_ZH)
    it.add_item(
        db,
        plan_of(db, drill_id),
        issue=ISSUE_ZH,
        corrective_action=RECOMMEND_ZH,
        element="organisation",
        owner_role="commander",
        start="2026-03-09",
        due="2026-04-30",
        node_kind="role",
        node_id="commander",
        author=EVALUATOR_ZH,
        drill_id=drill_id,
        capability="activate",
        poc=POC_ZH,
    )
    with language("zh-CN"):
        report = build_report(aar_for_drill(db, drill_id, GENERATED, TODAY))
        yield {
            "md": to_markdown(report),
            "html": to_html(report),
            "pdf": "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages),
            "docx": docx_text(to_docx(report)),
        }


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_chinese_evaluation_text_survives_in_every_format(chinese_evaluation, fmt):
    text = flat(chinese_evaluation[fmt])
    for words in (SUMMARY_ZH, FINDING_ZH, RECOMMEND_ZH, ISSUE_ZH, POC_ZH, EVALUATOR_ZH, CHANGER_ZH):
        assert flat(words) in text, (fmt, words)
    for label in ("执行摘要", "撰写人", "最后修改人", "建议", "联系人"):
        assert label in text, (fmt, label)
    assert text.index("执行摘要") < text.index("1概述")  # the summary comes first
