"""The core checks the acting console role and keeps it with each entry (issue 18, s. 4).

Before, an observer's note could be saved as 'facilitator', and only the pages
decided who may do what; now the drill database refuses on the core's side too.
"""

from __future__ import annotations

import pytest

from drills import access, evaluations, session
from drills.access import RoleRefused, acting_as
from drills.store import DrillStore


def test_an_observer_cannot_move_the_clock_or_decide_through_the_core(new_drill, tmp_path):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store)
    with acting_as("observer"):
        with pytest.raises(RoleRefused, match="observer role may not move the clock"):
            session.advance(store, drill.id, 15, "Li Wei", drill.version)
        note = session.add_note(store, drill.id, "queue building", "Li Wei")
    assert note.payload["role"] == "observer"  # the role is kept with the entry
    after = store.get(drill.id)
    assert [e.kind for e in after.entries] == ["note"] and after.clock == 0


def test_a_reviewer_cannot_rate_and_an_evaluator_can(new_drill, tmp_path):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store)
    with acting_as("reviewer"), pytest.raises(RoleRefused, match="rate or write findings"):  # noqa: PT012
        evaluations.rate(store.path, drill.id, "activate", "P", "", "Eve")
    with acting_as("evaluator"):
        rated = evaluations.rate(store.path, drill.id, "activate", "P", "", "Eve")
    assert rated.rating == "P"


def test_trusted_callers_act_for_no_role(new_drill, tmp_path):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store)
    assert access.ACTING_ROLE.get() is None  # the command line and tests
    entry = session.add_note(store, drill.id, "from the terminal", "ops")
    assert "role" not in entry.payload
