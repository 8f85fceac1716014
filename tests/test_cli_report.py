"""``drillsim report`` from a drill id and from a run journal, in the three formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from drills import session
from drills.store import DrillStore
from drillsim.cli import main
from sim.response.decisions import Decision

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def drill_db(tmp_path):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = store.create_drill(
        name="Report drill",
        plan_name="default_centre",
        plan_text=(ROOT / "plans/examples/default_centre.yaml").read_text(),
        scenario_name="crm_outage_monday_peak",
        scenario_text=(ROOT / "scenarios/library/crm_outage_monday_peak.yaml").read_text(),
        seed=3,
    )
    record = session.advance(store, record.id, 90, "facilitator", record.version)
    _, record = session.decide(
        store,
        record.id,
        Decision(action="activate_backup", target="crm_standby"),
        "facilitator",
        "repair time unknown",
        record.version,
    )
    session.add_note(store, record.id, "<script>alert(1)</script> seen", "observer", 90)
    session.advance(store, record.id, 240, "facilitator", record.version)
    return db


@pytest.mark.parametrize("fmt", ["md", "html", "pdf", "docx"])
def test_report_from_a_drill(drill_db, tmp_path, capsys, fmt):
    out = tmp_path / f"aar.{fmt}"
    assert (
        main(["report", "drill-0001", "--db", str(drill_db), "--format", fmt, "--out", str(out)])
        == 0
    )
    assert "After-action report written" in capsys.readouterr().out
    if fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
        assert "Overview" in text and "Improvement plan" in text
    elif fmt == "docx":
        doc = Document(str(out))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "1 Overview" in text and "Report drill" in text
        assert doc.inline_shapes  # the charts, as pictures
    else:
        text = out.read_text()
        assert "Report drill" in text and "Results against targets" in text
        if fmt == "html":
            assert "&lt;script&gt;" in text and "<script" not in text
    assert not list(tmp_path.glob("*.tmp"))


def test_report_from_a_run_journal(tmp_path, capsys):
    journal = tmp_path / "run.json"
    assert main(["run", "-n", "3", "--workers", "1", "--json", str(journal)]) == 0
    out = tmp_path / "run.md"
    assert main(["report", str(journal), "--out", str(out)]) == 0
    assert "Results against targets" in out.read_text()


def test_report_refuses_unknown_drill_and_bad_journal(drill_db, tmp_path, capsys):
    assert main(["report", "drill-0042", "--db", str(drill_db)]) == 2
    assert "no drill 'drill-0042'" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"kind": "something else"}))
    assert main(["report", str(bad)]) == 2
    assert "not a drillsim run journal" in capsys.readouterr().err


def test_report_with_a_monte_carlo_distribution(drill_db, tmp_path):
    out = tmp_path / "mc.md"
    assert (
        main(
            ["report", "drill-0001", "--db", str(drill_db), "--monte-carlo", "4", "--out", str(out)]
        )
        == 0
    )
    text = out.read_text()
    assert "Monte Carlo distribution (4 replications, policy plan)" in text
