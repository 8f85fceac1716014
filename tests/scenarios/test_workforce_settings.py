"""The scenario's workforce settings as a user writes them, and seats in ``drillsim check``.

Bad settings get the loader's message with file, line and field path; a plan or a
scenario whose staffing exceeds a site's seats is warned about by ``drillsim check``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.cli import main
from plans import ModelFileError, load_plan
from plans.loader import default_plan_path
from plans.model import Plan
from plans.seats import seat_findings
from plans.types import FROM_FILE
from scenarios import load_scenario
from scenarios.loader import library_dir

TINY = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "tiny_drill.yaml"


def write(tmp_path: Path, block: str) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(TINY.read_text() + block)
    return path


def only_issue(path: Path) -> tuple[str, str, int | None]:
    with pytest.raises(ModelFileError) as err:
        load_scenario(path)
    assert len(err.value.issues) == 1, str(err.value)
    issue = err.value.issues[0]
    assert str(err.value).startswith(f"{path}:{issue.line}: {issue.path}: ")
    return issue.path, issue.msg, issue.line


def test_the_settings_load_and_default_to_off(tmp_path):
    scenario = load_scenario(TINY)
    assert scenario.workforce.is_default()
    block = """workforce:
  seats: every_site
  disasters_hold: true
  remote_kits: spare_equipment
  shrinkage: {share: 0.2, shifts: {night: 0.1}, cycle: 30m}
  concurrency:
    - {channel: chat, contacts: 2, stretch: 1.25}
"""
    loaded = load_scenario(write(tmp_path, block)).workforce
    assert loaded.shrinkage.share_for("night") == 0.1
    assert loaded.shrinkage.share_for("early") == 0.2 and loaded.shrinkage.cycle == 30
    assert loaded.concurrency[0].contacts == 2


@pytest.mark.parametrize(
    ("block", "path", "reason", "line"),
    [
        (
            "workforce:\n  shrinkage: {share: 1.5}\n",
            "workforce.shrinkage.share",
            "less than or equal to 1",
            36,
        ),
        (
            "workforce:\n  shrinkage:\n    share: 0.2\n    cycle: 0m\n",
            "workforce.shrinkage",
            "the shrinkage cycle must be longer than zero",
            36,
        ),
        (
            "workforce:\n  concurrency:\n    - {channel: chat, contacts: 0}\n",
            "workforce.concurrency[0].contacts",
            "greater than or equal to 1",
            37,
        ),
        (
            "workforce:\n  concurrency:\n    - {channel: chat, contacts: 2, stretch: 0.5}\n",
            "workforce.concurrency[0].stretch",
            "greater than or equal to 1",
            37,
        ),
        (
            "workforce:\n  seats: main_only\n",
            "workforce.seats",
            "'backup_sites' or 'every_site'",
            36,
        ),
        (
            "workforce:\n  concurrency:\n    - {channel: chat, contacts: 2}\n"
            "    - {channel: chat, contacts: 3}\n",
            "workforce",
            "concurrency[1] repeats channel 'chat'",
            35,
        ),
    ],
)
def test_bad_settings_name_file_line_and_field(tmp_path, block, path, reason, line):
    got_path, msg, got_line = only_issue(write(tmp_path, block))
    assert got_path == path
    assert reason in msg
    assert got_line == line


def test_unknown_shift_and_channel_are_found_against_the_plan(tmp_path):
    from scenarios import check_against_plan

    block = (
        "workforce:\n  shrinkage: {share: 0.2, shifts: {dawn: 0.1}}\n"
        "  concurrency:\n    - {channel: sms, contacts: 2}\n"
    )
    scenario = load_scenario(write(tmp_path, block))
    issues = check_against_plan(load_plan(default_plan_path()), scenario)
    paths = sorted(i.path for i in issues)
    assert paths == ["workforce.concurrency[0].channel", "workforce.shrinkage.shifts.dawn"]


def plan_with_seats(**seats: int) -> Plan:
    data = load_plan(default_plan_path()).model_dump(mode="json")
    for site in data["sites"]:
        site["seats"] = seats.get(site["id"], site["seats"])
    return Plan.model_validate(data, context={FROM_FILE: True})


def test_plan_staffing_over_the_seats_is_a_finding():
    assert seat_findings(load_plan(default_plan_path())) == []
    found = {f.code: f for f in seat_findings(plan_with_seats(main_centre=20, backup_centre=25))}
    over = found["seats.exceeded"]
    assert over.severity == "warning" and over.ids == ("main_centre",)
    assert over.data == {"agents": 30, "seats": 20}
    assert "has 30 agents on duty at mon 07:00 but only 20 seats" in over.message
    short = found["seats.backup_short"]
    assert short.ids == ("main_centre", "backup_centre") and short.data["agents"] == 30


def test_drillsim_check_warns_about_seats(tmp_path, capsys):
    plan_file = tmp_path / "plan.yaml"
    text = default_plan_path().read_text().replace("seats: 80", "seats: 20", 1)
    plan_file.write_text(text)
    main(["check", str(plan_file)])
    out = capsys.readouterr().out
    assert "has 30 agents on duty at mon 07:00 but only 20 seats" in out
    status = main(["check", str(library_dir() / "mmcm_200_agents.yaml")])
    out = capsys.readouterr().out
    assert status == 0
    assert "warning: Site 'Main centre' has 200 agents on duty at mon 00:00 but only 80" in out


def test_drillsim_schema_documents_the_scenario_settings(capsys):
    import json

    assert main(["schema", "scenario"]) == 0
    defs = json.loads(capsys.readouterr().out)["$defs"]
    assert "every_site" in json.dumps(defs["Workforce"]["properties"]["seats"])
    assert "travel_time" in defs["Workforce"]["properties"]["disasters_hold"]["description"]
    assert defs["Shrinkage"]["properties"]["cycle"]["default"] == "1h"
    assert defs["Concurrency"]["properties"]["stretch"]["minimum"] == 1.0
    assert "office hours" in defs["BackOffice"]["properties"]["hours"]["description"]
    assert "confirms" in defs["TicketLife"]["properties"]["confirmation"]["description"]
