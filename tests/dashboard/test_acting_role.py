"""The core takes the acting console role as an argument and refuses what it may not do
(issue 18, s. 4).

Before, an observer's note could be saved as 'facilitator', and only the pages decided
who may do what; then the role reached the core through a context variable a callback
could miss. Now every core write takes ``role=`` (None: a trusted caller, the command
line), refuses a role that may not do it with nothing written, and keeps the role in the
entry's ``role`` column.
"""

from __future__ import annotations

import ast
import inspect
import sqlite3
from pathlib import Path

import pytest

from drills import access, evaluations, items, session, uploads_store
from drills.access import NOBODY, RoleRefused
from drills.store import DrillStore
from plans.loader import default_plan_path, load_plan

ROOT = Path(__file__).resolve().parents[2]

CORE_WRITES = {
    "uploads_store.save_upload": uploads_store.save_upload,
    "store.create_drill": DrillStore.create_drill,
    "store.append": DrillStore.append,
    "store.archive": DrillStore.archive,
    "store.restore": DrillStore.restore,
    "session.advance": session.advance,
    "session.decide": session.decide,
    "session.add_note": session.add_note,
    "session.add_observation": session.add_observation,
    "session.end_drill": session.end_drill,
    "session.start_live": session.start_live,
    "session.pause": session.pause,
    "session.resume": session.resume,
    "session.live_clock": session.live_clock,
    "session.deliver_inject": session.deliver_inject,
    "session.skip_inject": session.skip_inject,
    "session.add_inject": session.add_inject,
    "evaluations.rate": evaluations.rate,
    "evaluations.add_finding": evaluations.add_finding,
    "evaluations.update_finding": evaluations.update_finding,
    "evaluations.delete_finding": evaluations.delete_finding,
    "evaluations.restore_finding": evaluations.restore_finding,
    "evaluations.set_summary": evaluations.set_summary,
    "evaluations.accept_draft": evaluations.accept_draft,
    "evaluations.discard_draft": evaluations.discard_draft,
    "items.add_item": items.add_item,
    "items.set_status": items.set_status,
    "items.verify": items.verify,
}
"""Every write of the core a console page or a command reaches."""


def store_and_drill(new_drill, tmp_path, **changes):
    store = DrillStore(tmp_path / "d.sqlite")
    return store, new_drill(store, **changes)


def role_column(store: DrillStore) -> list[tuple[str, str | None]]:
    with sqlite3.connect(store.path) as conn:
        return conn.execute("SELECT kind, role FROM entries ORDER BY seq").fetchall()


@pytest.mark.parametrize("name", sorted(CORE_WRITES))
def test_every_core_write_takes_the_role_as_a_keyword(name):
    found = inspect.signature(CORE_WRITES[name]).parameters.get("role")
    assert found is not None, name
    assert found.kind is inspect.Parameter.KEYWORD_ONLY, name


def test_the_context_variable_is_gone():
    assert not hasattr(access, "ACTING_ROLE")
    assert not hasattr(access, "acting_as")


def test_an_observer_cannot_run_the_drill_through_the_core_and_its_note_keeps_its_role(
    new_drill, tmp_path
):
    store, drill = store_and_drill(new_drill, tmp_path)
    refused = [
        lambda: session.advance(store, drill.id, 15, "Li Wei", drill.version, role="observer"),
        lambda: session.end_drill(store, drill.id, "Li Wei", drill.version, role="observer"),
        lambda: session.deliver_inject(
            store, drill.id, 0, "Li Wei", drill.version, role="observer"
        ),
        lambda: session.skip_inject(store, drill.id, 0, "Li Wei", drill.version, role="observer"),
        lambda: session.add_inject(
            store, drill.id, "Fire", "Leave", [], "Li Wei", drill.version, role="observer"
        ),
        lambda: store.append(drill.id, "advance", 5.0, "Li Wei", {"to": 5.0}, role="observer"),
        lambda: store.archive(drill.id, "Li Wei", role="observer"),
    ]
    for attempt in refused:
        with pytest.raises(RoleRefused, match="observer role may not"):
            attempt()
    note = session.add_note(store, drill.id, "queue building", "Li Wei", role="observer")
    assert note.role == "observer" and "role" not in note.payload  # a column, not the payload
    after = store.get(drill.id)
    assert [(e.kind, e.role) for e in after.entries] == [("note", "observer")]
    assert after.clock == 0 and after.version == drill.version and not after.archived
    assert role_column(store) == [("note", "observer")]


def test_an_observer_cannot_decide_or_drive_a_live_clock(new_drill, tmp_path):
    from sim.response.decisions import Decision

    store, drill = store_and_drill(new_drill, tmp_path, mode="live")
    with pytest.raises(RoleRefused, match="take decisions"):
        session.decide(
            store, drill.id, Decision(action="close"), "Li", "", drill.version, role="observer"
        )
    for action in ("start", "pause", "resume"):
        with pytest.raises(RoleRefused, match="move the clock"):
            session.live_clock(store, drill.id, action, drill.version, "Li", role="observer")
    assert store.get(drill.id).entries == ()


def test_a_reviewer_cannot_rate_write_findings_or_items_and_an_evaluator_can(new_drill, tmp_path):
    store, drill = store_and_drill(new_drill, tmp_path)
    plan = load_plan(default_plan_path())
    item = {
        "issue": "nobody declared a level",
        "corrective_action": "duty manager declares within 15 min",
        "element": "training",
        "owner_role": "duty_manager",
        "start": "2026-01-10",
        "due": "2026-03-31",
        "node_kind": "step",
        "node_id": "system_failure.activate",
        "author": "Eve",
    }
    reviewer = [
        lambda: evaluations.rate(store.path, drill.id, "activate", "P", "", "Eve", role="reviewer"),
        lambda: evaluations.add_finding(
            store.path, drill.id, "strength", "activate", "fast", "", "", "Eve", role="reviewer"
        ),
        lambda: evaluations.set_summary(store.path, drill.id, "went well", "Eve", role="reviewer"),
        lambda: evaluations.discard_draft(store.path, drill.id, "k1", "Eve", role="reviewer"),
    ]
    for attempt in reviewer:
        with pytest.raises(RoleRefused, match="rate or write findings"):
            attempt()
    with pytest.raises(RoleRefused, match="change improvement items"):
        items.add_item(store.path, plan, **item, role="reviewer")
    assert evaluations.ratings(store.path, drill.id) == []
    assert evaluations.findings(store.path, drill.id) == []
    assert evaluations.summary(store.path, drill.id) is None
    assert items.open_items(store.path, "default_centre") == []

    rated = evaluations.rate(store.path, drill.id, "activate", "P", "", "Eve", role="evaluator")
    made = items.add_item(store.path, plan, **item, role="evaluator")
    assert rated.rating == "P" and made.status == "open"
    with pytest.raises(RoleRefused, match="observer role may not change improvement items"):
        items.set_status(store.path, made.id, "in_progress", "Li", role="observer")
    assert items.get_item(store.path, made.id).status == "open"


def test_a_tab_signed_in_as_nobody_is_refused_everything_never_trusted(new_drill, tmp_path):
    store, drill = store_and_drill(new_drill, tmp_path)
    with pytest.raises(RoleRefused, match="nobody is signed in"):
        session.add_note(store, drill.id, "hello", "stranger", role=NOBODY)
    with pytest.raises(RoleRefused, match="nobody is signed in"):
        store.create_drill(
            "x", "default_centre", drill.plan_text, "s", drill.scenario_text, role=NOBODY
        )
    with pytest.raises(RoleRefused):
        evaluations.rate(store.path, drill.id, "activate", "P", "", "Eve", role="")
    assert store.get(drill.id).entries == () and len(store.list_drills()) == 1


def test_trusted_callers_act_for_no_role(new_drill, tmp_path):
    store, drill = store_and_drill(new_drill, tmp_path)
    entry = session.add_note(store, drill.id, "from the terminal", "ops", role=None)
    moved = session.advance(store, drill.id, 15, "ops", drill.version, role=None)
    assert entry.role is None and "role" not in entry.payload
    assert moved.clock == 15
    assert role_column(store) == [("note", None), ("advance", None)]


def test_the_command_line_writes_as_a_trusted_caller(new_drill, tmp_path):
    from drillsim.cli import main

    store, drill = store_and_drill(new_drill, tmp_path)
    db = str(store.path)
    assert main(["drill", "advance", drill.id, "--by", "15m", "--db", db]) == 0
    assert main(["drill", "note", drill.id, "seen from the terminal", "--db", db]) == 0
    assert role_column(store) == [("advance", None), ("note", None)]


# --- every console callback and command passes the role ------------------------------------

WRITE_NAMES = {name.split(".")[1] for name in CORE_WRITES} - {"append", "pause", "resume"}
"""Calls checked by name (list.append and st's widgets share no name with these)."""


def _calls_without_role(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute):
            name = node.func.attr
        elif isinstance(node.func, ast.Name) and node.func.id == "save_upload":
            name = node.func.id  # imported by name, as the widgets do
        else:
            continue
        if name not in WRITE_NAMES:
            continue
        if not any(k.arg == "role" for k in node.keywords):
            missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return missing


def test_every_console_and_command_line_call_of_a_core_write_names_the_role():
    """A call that left ``role`` out would write as a trusted caller: none may.

    The callbacks that hand a core function to a helper (``_run`` on the Drill page,
    ``act`` on the Evaluate page) have the helper pass ``role=`` itself; those are
    tested by forcing each callback with an observer's session (test_callback_roles).
    """
    files = sorted((ROOT / "dashboard").rglob("*.py")) + sorted(
        (ROOT / "drillsim").glob("drill*.py")
    )
    missing = [m for path in files for m in _calls_without_role(path)]
    assert missing == []


def test_an_observer_cannot_keep_an_upload_and_an_evaluator_can(tmp_path):
    """Uploads change every tab's lists of plans and scenarios: the core checks the role."""
    db = tmp_path / "drills.sqlite"
    DrillStore(db)
    text = default_plan_path().read_text(encoding="utf-8")
    for role in ("observer", "reviewer", NOBODY):
        with pytest.raises(RoleRefused, match="nothing was saved"):
            uploads_store.save_upload(db, "plan", "mine.yaml", text, role=role)
    assert uploads_store.uploaded(db, "plan") == {}
    uploads_store.save_upload(db, "plan", "mine.yaml", text, role="evaluator")
    uploads_store.save_upload(db, "scenario", "s.yaml", "meta: {}", role="facilitator")
    assert list(uploads_store.uploaded(db, "plan")) == ["mine.yaml"]
