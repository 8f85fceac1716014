"""The Programme page's callbacks: verifying an improvement item, changing its status.

Why apart from the page: a page module draws itself when imported; its callbacks live
here so they can be reached (and tested) without drawing it, as the Drill page's live in
:mod:`dashboard.drill_actions` and the Evaluate page's in the ``evaluate_*`` modules.
"""

from __future__ import annotations

import sqlite3
from typing import cast

import streamlit as st

from dashboard import services, signin, state
from dashboard.drill_actions import not_saved
from drills import items
from drills.errors import DrillError
from i18n import _
from plans.loader import load_plan_text


def verify(item_id: int, plan_text: str, plan_name: str) -> None:
    """Verify a done item on the evidence of the later drill chosen beside it."""
    role = state.begin_run()  # a callback runs before the page sets the language
    if not state.may("items"):  # checked again at the click: a callback is reachable anyway
        state.flash("error", _("Your role may not change improvement items."))
        return
    # Why the cast: the "Verify" button is only shown beside the "verify_with_" selectbox,
    # whose options are drill ids (str), so its value is one of them when the button fires.
    evidence = cast(str, st.session_state.get(f"verify_with_{item_id}"))
    try:
        items.verify(
            str(services.store().path),
            item_id,
            evidence,
            load_plan_text(plan_text, plan_name),
            by=str(st.session_state.get("author") or signin.person_name() or state.current_role()),
            role=role,
        )
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
    except (sqlite3.Error, OSError) as exc:  # the disk or the database failed: say so
        state.flash("error", not_saved(exc))
    else:
        state.flash(
            "success", _("Item {id} verified by {drill}.").format(id=item_id, drill=evidence)
        )


def status(item_id: int) -> None:
    """Change an item's status to the one chosen beside it."""
    role = state.begin_run()
    if not state.may("items"):  # checked again at the click: a callback is reachable anyway
        state.flash("error", _("Your role may not change improvement items."))
        return
    try:
        items.set_status(
            str(services.store().path),
            item_id,
            st.session_state[f"status_{item_id}"],
            str(st.session_state.get("author") or signin.person_name() or state.current_role()),
            role=role,
        )
    except (DrillError, ValueError) as exc:
        state.flash("error", str(exc))
    except (sqlite3.Error, OSError) as exc:  # the disk or the database failed: say so
        state.flash("error", not_saved(exc))
