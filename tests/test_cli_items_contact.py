"""``drillsim items`` prints an item's capability and point of contact (a plan person's
name and contact, or the name typed in), in text and in JSON."""

from __future__ import annotations

import json
from pathlib import Path

from drills import items as it
from drills.store import DrillStore
from drillsim.cli import main
from plans import default_plan_path, load_plan

ROOT = Path(__file__).resolve().parents[1]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()


def test_items_show_capability_and_point_of_contact(tmp_path, capsys):
    db = tmp_path / "drills.sqlite"
    drill = DrillStore(db).create_drill(
        "CRM outage", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT
    )
    plan = load_plan(default_plan_path())
    common = {
        "corrective_action": "second deputy on the night rota",
        "element": "organisation",
        "owner_role": "commander",
        "start": "2026-01-10",
        "due": "2099-03-31",
        "node_kind": "role",
        "node_id": "commander",
        "author": "Eve Zhou",
        "drill_id": drill.id,
    }
    it.add_item(db, plan, issue="slow at night", capability="activate", poc="chen_hua", **common)
    it.add_item(db, plan, issue="no approver", poc="Liu Yang", **common)
    assert main(["items", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "capability: Activation; point of contact: Chen Hua (ext. 8001)" in out
    assert "capability: -; point of contact: Liu Yang" in out
    assert main(["items", "--db", str(db), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["items"]
    assert [(r["capability"], r["poc"], r["poc_name"]) for r in rows] == [
        ("activate", "chen_hua", "Chen Hua (ext. 8001)"),
        (None, "Liu Yang", "Liu Yang"),
    ]
