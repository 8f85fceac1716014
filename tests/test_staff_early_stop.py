"""``drillsim staff`` stops a level once its verdict is decided, with today's answer.

Why a stored answer: tests/data/speed/staff_default.json is the search on the default
plan and scenario as main ran it before issue 19, every level in full (480 runs). The
search that stops early must give the same levels, the same verdicts and the same answer
on the same seed, and say on how many runs each verdict rests.
"""

from __future__ import annotations

import json
from pathlib import Path

from drillsim.cli import main
from sim.analysis.staffing_verdict import decided

STORED = Path(__file__).parent / "data" / "speed" / "staff_default.json"


def test_the_verdict_is_decided_as_soon_as_the_remaining_runs_cannot_change_it():
    # n = 40, confidence 0.9: 40 of 40 give a lower bound of 93.7%, 39 of 40 only 89.5%
    assert decided([0], 1, 40, 0.9) is False  # the first miss decides
    assert decided([38], 39, 40, 0.9) is False
    assert decided([39], 39, 40, 0.9) is None  # one run left that could still miss
    assert decided([40], 40, 40, 0.9) is True
    assert decided([40, 39], 40, 40, 0.9) is False  # every target must reach it
    # confidence 0.5: enough met runs decide support before the end, whatever the rest do
    assert decided([26], 26, 40, 0.5) is True
    assert decided([25], 26, 40, 0.5) is None
    assert decided([0], 20, 40, 0.5) is False


def test_staff_on_the_default_scenario_gives_todays_answer_on_fewer_runs(tmp_path, capsys):
    out = tmp_path / "staff.json"
    args = ["staff", "--target", "service_level>=0.8", "--target", "abandonment<=0.05"]
    assert main([*args, "--json", str(out)]) == 0
    text = capsys.readouterr().out
    doc, before = json.loads(out.read_text()), json.loads(STORED.read_text())
    assert (doc["found"], doc["agents"], doc["resolved"]) == (
        before["found"],
        before["agents"],
        before["resolved"],
    )
    assert [(lv["agents"], lv["supported"]) for lv in doc["levels"]] == [
        (lv["agents"], lv["supported"]) for lv in before["levels"]
    ]
    for now, then in zip(doc["levels"], before["levels"], strict=True):
        met = [t["met"] for t in now["targets"]]
        if now["supported"]:  # a supported level still rests on all 40 runs
            assert now["runs"] == 40 and met == then["met"]
        else:  # decided before the end, on the first runs of the same seeds
            assert now["runs"] < 40 and all(m <= t for m, t in zip(met, then["met"], strict=True))
    assert doc["runs"] == sum(lv["runs"] for lv in doc["levels"]) < before["runs"] / 2
    assert "a level stops once its verdict is decided" in text and "  runs  " in text
