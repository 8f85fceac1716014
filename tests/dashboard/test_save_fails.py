"""Every text a person types and saves is kept on the page when the save fails (issue 18, s. 3).

The disk is broken the way SQLite meets it: every write transaction of the drill
database fails with 'disk I/O error' while reads still work. For each form that saves
text (the Drill page's decision, ad-hoc inject, end of drill and new drill; the
Evaluate page's rating, executive summary, new finding, edited finding, accepted draft
and improvement item) the page says 'Not saved' with the reason, acknowledges
nothing, writes nothing, and still holds every word typed; once the disk is back the
same click saves the same words. (The observer's note: test_app_pages.py.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from drills import evaluations as ev
from drills import session
from drills.paths import DB_ENV
from drills.store import DrillStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
REAL_CONNECT = sqlite3.connect


class _BrokenDisk(sqlite3.Connection):
    """A connection whose write transactions fail as on a disk that lost its device."""

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.lstrip().upper().startswith("BEGIN IMMEDIATE"):
            raise sqlite3.OperationalError("disk I/O error")
        return super().execute(sql, *args)


@contextmanager
def broken_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as m:
        m.setattr(sqlite3, "connect", lambda *a, **k: REAL_CONNECT(*a, factory=_BrokenDisk, **k))
        yield


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with REAL_CONNECT(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in sorted(names)}


def _values(at: AppTest, typed: dict[str, str]) -> dict[str, Any]:
    widgets = {w.key: w.value for w in [*at.text_input, *at.text_area] if w.key}
    return {key: widgets.get(key) for key in typed}


def _fails_then_saves(
    at: AppTest,
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: dict[str, str],
    submit: Callable[[AppTest], object],
    ok: str,
) -> None:
    for key, text in typed.items():
        widget = next(w for w in [*at.text_input, *at.text_area] if w.key == key)
        widget.set_value(text)
    before = _snapshot(db)
    with broken_disk(monkeypatch):
        submit(at)
        assert not at.exception, [e.value for e in at.exception]
        errors = [e.value for e in at.error]
        assert not at.success, [s.value for s in at.success]
        assert any("Not saved" in e and "disk I/O error" in e for e in errors), errors
        assert _values(at, typed) == typed  # every word typed is still on the page
    assert _snapshot(db) == before  # nothing written
    submit(at)  # the disk is back: the same click saves the same words
    assert not at.exception
    assert any(ok in s.value for s in at.success), ([s.value for s in at.success], at.error)
    assert _snapshot(db) != before


def _form_button(name: str) -> Callable[[AppTest], object]:
    def click(at: AppTest) -> object:
        [button] = [b for b in at.button if name in str(b.id)]
        return button.click().run()

    return click


def _button(key: str) -> Callable[[AppTest], object]:
    return lambda at: at.button(key=key).click().run()


# --- the Drill page ---------------------------------------------------------------------


@pytest.fixture
def drill_page(tmp_path, monkeypatch, new_drill):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name="Monday drill")
    session.advance(store, record.id, 65, "Alice", record.version)
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    return at, db


def test_a_decision_whose_save_fails_keeps_its_rationale(drill_page, monkeypatch):
    at, db = drill_page
    at.selectbox(key="decision_choice").set_value(("activate_backup", "crm_standby")).run()
    typed = {"decision_rationale": "repair time unknown"}
    _fails_then_saves(at, db, monkeypatch, typed, _button("decide"), "Decision taken and saved")


def test_an_ad_hoc_inject_whose_save_fails_keeps_its_title_and_message(drill_page, monkeypatch):
    at, db = drill_page
    typed = {"adhoc_title": "Journalist calls", "adhoc_message": "A reporter asks about it."}
    _fails_then_saves(
        at, db, monkeypatch, typed, _form_button("adhoc_inject"), "Ad-hoc inject 'Journalist"
    )


def test_an_end_whose_save_fails_keeps_the_closing_summary(drill_page, monkeypatch):
    at, db = drill_page
    at.checkbox(key="end_confirm").check()
    typed = {"end_summary": "CRM back on the standby in 25 minutes."}
    _fails_then_saves(at, db, monkeypatch, typed, _button("end_drill"), "Drill ended")


def test_a_new_drill_whose_save_fails_keeps_its_name_and_people(drill_page, monkeypatch):
    at, db = drill_page
    typed = {"new_name": "Tuesday drill", "new_participants": "Li Wei, duty_manager"}
    _fails_then_saves(
        at, db, monkeypatch, typed, lambda a: a.button[0].click().run(), "created (drill-0002)"
    )


# --- the Evaluate page --------------------------------------------------------------------


@pytest.fixture
def evaluate_page(tmp_path, monkeypatch, new_drill):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name="Monday drill", seed=3)
    session.advance(store, record.id, 180, "Alice", record.version)
    finding = ev.add_finding(db, record.id, "strength", "activate", "fast", "", "", "Eve Zhou")
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/evaluate.py").run()
    at.text_input(key="sign_in_name").set_value("Eve Zhou")
    at.button(key="save_name").click().run()
    assert not at.exception
    return at, db, record.id, finding


def test_a_rating_whose_save_fails_keeps_its_evidence(evaluate_page, monkeypatch):
    at, db, _drill, _finding = evaluate_page
    at.radio(key="rate_value").set_value("M")
    typed = {"rate_evidence": "commander reached after 40 min"}
    _fails_then_saves(at, db, monkeypatch, typed, _button("save_rating"), "Rating saved.")


def test_a_summary_whose_save_fails_keeps_its_text(evaluate_page, monkeypatch):
    at, db, drill_id, _finding = evaluate_page
    typed = {f"summary_text_{drill_id}": "The room restored the CRM on time."}
    _fails_then_saves(
        at, db, monkeypatch, typed, _button("save_summary"), "Executive summary saved."
    )


def test_a_new_finding_whose_save_fails_keeps_its_four_fields(evaluate_page, monkeypatch):
    at, db, _drill, _finding = evaluate_page
    at.selectbox(key="new_finding_kind").set_value("area")
    typed = {
        "new_finding_obs": "The commander answered after 40 min.",
        "new_finding_ref": "manual 7.2, activation within 15m",
        "new_finding_ana": "The night rota has no deputy.",
        "new_finding_rec": "Add a second deputy.",
    }
    _fails_then_saves(at, db, monkeypatch, typed, _button("add_finding"), "Finding added.")


def test_an_edited_finding_whose_save_fails_keeps_the_edit(evaluate_page, monkeypatch):
    at, db, _drill, finding = evaluate_page
    typed = {f"f{finding}_obs": "fast: 10 min", f"f{finding}_rec": "keep the rota"}
    _fails_then_saves(at, db, monkeypatch, typed, _button(f"save_{finding}"), "Finding saved.")


def test_an_edited_draft_whose_acceptance_fails_keeps_the_edit(evaluate_page, monkeypatch):
    at, db, _drill, _finding = evaluate_page
    keys = [b.key.removeprefix("accept_") for b in at.button if (b.key or "").startswith("accept_")]
    assert keys, "no draft offered"
    typed = {f"d{keys[0]}_obs": "Edited by Eve: level 2 declared late."}
    _fails_then_saves(
        at, db, monkeypatch, typed, _button(f"accept_{keys[0]}"), "Draft accepted as your finding."
    )


def test_an_item_whose_save_fails_keeps_its_texts(evaluate_page, monkeypatch):
    at, db, _drill, _finding = evaluate_page
    at.selectbox(key="item_node_kind").set_value("role")
    typed = {
        "item_issue": "Commander slow to answer at night",
        "item_action": "Add a second deputy on the night rota",
        "item_node_id": "commander",
    }
    _fails_then_saves(at, db, monkeypatch, typed, _button("add_item"), "Improvement item saved.")
