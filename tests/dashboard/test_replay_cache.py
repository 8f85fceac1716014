"""A board from a kept, carried-forward centre is the board a fresh replay gives.

Why: drills/replay_cache.py keeps the replayed centre between views (issue 19: a board
at 7 h replayed 7 h of simulation on every click). Every step of a drill advanced 15
minutes at a time, with a decision and a note on the way, must show exactly what a
replay from the log alone shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drills import replay_cache, session
from drills.store import DrillStore
from plans.loader import default_plan_path
from scenarios.loader import default_scenario_path
from sim.response.decisions import Decision


def _fresh_board(record):
    replay_cache.forget()
    return json.loads(json.dumps(session.board(record)))


@pytest.fixture
def drill(tmp_path: Path):
    store = DrillStore(tmp_path / "cache.sqlite")
    record = store.create_drill(
        name="cache",
        plan_name="default_centre",
        plan_text=default_plan_path().read_text(),
        scenario_name="crm_outage_monday_peak",
        scenario_text=default_scenario_path().read_text(),
        seed=3,
    )
    yield store, record
    replay_cache.forget()


def test_boards_carried_forward_equal_fresh_replays(drill):
    store, record = drill
    replay_cache.forget()
    checked = 0
    while record.clock < 4 * 60:
        record = session.advance(store, record.id, record.clock + 15, "t", record.version)
        if record.clock == 75:
            _verdict, record = session.decide(
                store,
                record.id,
                Decision(action="activate_backup", target="crm_standby"),
                "t",
                "",
                record.version,
            )
            session.add_note(store, record.id, "t", "backup asked for", record.version)
            record = store.get(record.id)
        kept = json.loads(json.dumps(session.board(record)))  # carried forward from the last view
        again = json.loads(json.dumps(session.board(record)))  # the same view once more
        assert kept == again
        if record.clock % 60 == 0:  # a fresh replay costs the whole log: check each hour
            assert kept == _fresh_board(record), record.clock
            checked += 1
    assert checked == 4 and kept["kpis"]["offered"] > 0


def test_a_kept_centre_ahead_of_the_log_is_not_used(drill):
    store, record = drill
    later = session.advance(store, record.id, 120, "t", record.version)
    session.board(later)  # keeps a centre at 2 h
    # a view of the drill as it was at its start (an older record) must not use it
    assert session.board(record)["time"] == 0.0
    assert json.loads(json.dumps(session.board(later))) == _fresh_board(later)


def test_a_kept_centre_speaks_the_language_of_the_view(drill):
    from i18n import language

    store, record = drill
    record = session.advance(store, record.id, 30, "t", record.version)
    verdict, record = session.decide(
        store, record.id, Decision(action="declare_level"), "t", "", record.version
    )
    assert not verdict.accepted
    english = session.board(record)  # kept, its verdict said in English
    with language("zh-CN"):
        chinese = json.loads(json.dumps(session.board(record)))
        assert chinese == _fresh_board(record)
    said = [e["reason"] for e in chinese["log"] if e["kind"] == "decision"]
    assert said and said != [e["reason"] for e in english["log"] if e["kind"] == "decision"]
