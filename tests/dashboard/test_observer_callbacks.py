"""An observer's session forcing every facilitator and evaluator callback (issue 18, s. 4).

A hidden button cannot be clicked, in a browser or in AppTest, but its callback can be
reached (a stale page after the role changed, a crafted websocket message). Here an
observer's session calls each callback of the Drill, Evaluate and Programme pages
directly: each is refused with a message and nothing is written. Then the same again
with the page's own check switched off, as if a page forgot it: the core, which takes
the tab's role as an argument, refuses each one all the same.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from drills import evaluations as ev
from drills import items as it
from drills.paths import DB_ENV
from drills.store import DrillStore
from plans.loader import default_plan_path, load_plan


def _script(drill_id: str, finding_id: int, item_id: int, plan_text: str) -> None:
    import datetime as dt

    import streamlit as st

    from dashboard import drill_actions as drill
    from dashboard import evaluate_findings as findings
    from dashboard import evaluate_items as item_form
    from dashboard import evaluate_ratings as ratings
    from dashboard import state

    ss = st.session_state
    ss["role"] = "observer"
    ss["person_name"] = "Olga"
    ss.update(
        {  # what the hidden widgets would hold
            "decision_choice": ("close", None),
            "decision_rationale": "forced",
            "adhoc_title": "Fake alarm",
            "adhoc_message": "forced",
            "adhoc_to": [],
            "end_confirm": True,
            "end_summary": "forced",
            "rate_capability": "activate",
            "rate_value": "P",
            "rate_evidence": "forced",
            f"summary_text_{drill_id}": "forced",
            "new_finding_obs": "forced",
            f"f{finding_id}_obs": "forced",
            f"f{finding_id}_sure": True,
            "dk1_obs": "forced",
            "item_issue": "forced",
            "item_action": "forced",
            "item_element": "training",
            "item_owner": "duty_manager",
            "item_start": dt.date(2026, 1, 1),
            "item_due": dt.date(2026, 2, 1),
            "item_node_kind": "role",
            "item_node_id": "commander",
            f"status_{item_id}": "in_progress",
            f"verify_with_{item_id}": drill_id,
        }
    )
    forced = {
        "advance": lambda: drill.advance(drill_id, 30.0, 0),
        "decide": lambda: drill.decide(drill_id, 0),
        "start": lambda: drill.clock(drill_id, "start", 0),
        "pause": lambda: drill.clock(drill_id, "pause", 0),
        "resume": lambda: drill.clock(drill_id, "resume", 0),
        "deliver": lambda: drill.deliver(drill_id, 0, "inject", 0),
        "skip": lambda: drill.skip(drill_id, 0, "inject", 0),
        "adhoc": lambda: drill.adhoc(drill_id, 0),
        "end": lambda: drill.end(drill_id, 0),
        "archive": lambda: drill.archive(drill_id),
        "restore": lambda: drill.restore(drill_id),
        "rate": lambda: ratings._rate(drill_id),
        "summary": lambda: ratings._save_summary(drill_id),
        "add finding": lambda: findings._add(drill_id),
        "save finding": lambda: findings._save(finding_id),
        "delete finding": lambda: findings._delete(finding_id),
        "restore finding": lambda: findings._restore(finding_id),
        "accept draft": lambda: findings._accept(drill_id, "k1"),
        "discard draft": lambda: findings._discard(drill_id, "k1"),
        "add item": lambda: item_form._add_item(drill_id, plan_text, "default_centre"),
    }
    from dashboard import programme_actions as programme

    forced["item status"] = lambda: programme.status(item_id)
    forced["verify item"] = lambda: programme.verify(item_id, plan_text, "default_centre")
    for name, callback in forced.items():
        callback()
        flash = state.pop_flash()
        st.text(f"{name}|{flash[0] if flash else '-'}|{flash[1] if flash else '-'}")


def _world(tmp_path: Path, new_drill):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, mode="live")
    finding = ev.add_finding(db, record.id, "strength", "activate", "fast", "", "", "Eve")
    plan = load_plan(default_plan_path())
    item = it.add_item(
        db,
        plan,
        issue="slow activation",
        corrective_action="deputy",
        element="training",
        owner_role="duty_manager",
        start="2026-01-01",
        due="2026-02-01",
        node_kind="role",
        node_id="commander",
        author="Eve",
        drill_id=record.id,
    )
    it.set_status(db, item.id, "in_progress", "Eve")
    it.set_status(db, item.id, "done", "Eve")
    return db, record, finding, item


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] not in ("sqlite_sequence",)
        ]
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in sorted(tables)}


def _force(tmp_path, monkeypatch, new_drill) -> tuple[dict[str, tuple[str, str]], bool]:
    db, record, finding, item = _world(tmp_path, new_drill)
    monkeypatch.setenv(DB_ENV, str(db))
    before = _snapshot(db)
    at = AppTest.from_function(
        _script, args=(record.id, finding, item.id, record.plan_text), default_timeout=120
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    outcomes = {}
    for element in at.text:
        name, kind, message = element.value.split("|", 2)
        outcomes[name] = (kind, message)
    return outcomes, _snapshot(db) == before


CALLBACKS = 22


def test_every_forced_callback_of_an_observer_is_refused_and_writes_nothing(
    tmp_path, monkeypatch, new_drill
):
    outcomes, unchanged = _force(tmp_path, monkeypatch, new_drill)
    assert len(outcomes) == CALLBACKS
    for name, (kind, message) in outcomes.items():
        assert kind == "error", (name, kind, message)
        assert "may not" in message, (name, message)
    assert unchanged  # every table of the drill database as it was


@pytest.mark.parametrize("page_check", ["off"])
def test_with_the_page_check_off_the_core_refuses_each_one_all_the_same(
    tmp_path, monkeypatch, new_drill, page_check
):
    monkeypatch.setattr(state, "may", lambda action: True)  # as if a page forgot its check
    outcomes, unchanged = _force(tmp_path, monkeypatch, new_drill)
    assert len(outcomes) == CALLBACKS
    for name, (kind, message) in outcomes.items():
        assert kind == "error", (name, kind, message)
        assert "the observer role may not" in message and "nothing was saved" in message, (
            name,
            message,
        )
    assert unchanged
