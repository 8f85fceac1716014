"""What the Evaluate page's parts share: the database, the signed-in person, the callbacks.

Why: every write on the page records who made it; the name is the signed-in
person's (:func:`dashboard.signin.person_name`), never a role, and a write without
one is refused with a message rather than stored under a placeholder.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard import services, state
from dashboard.drill_actions import not_saved
from dashboard.signin import person_name, role_name
from drills.errors import DrillError
from i18n import _
from reports.aar_model import when


def db() -> str:
    """The drill database's path."""
    return str(services.store().path)


def me() -> str | None:
    """Who is writing: the signed-in person's name (None until given)."""
    return person_name()


def act(fn: Callable[..., object], *args: Any, ok: str, need: str = "rate", **kwargs: Any) -> bool:
    """Run a write in a callback; flash its outcome (``ok`` is a msgid). True when it worked.

    The role is checked again when the callback runs (``need``: the permission, 'rate' or
    'items'): the page hides what a role may not do, but a callback is reachable anyway;
    ``fn`` gets the tab's role as ``role=``, so the core refuses it once more.
    A report prepared before the write is dropped, so the download never offers a file
    without the change just made.
    """
    role = state.begin_run()  # a callback runs before the page sets the language
    if not state.may(need):
        state.flash(
            "error",
            _("The {role} role may not change the evaluation.").format(
                role=role_name(state.current_role())
            ),
        )
        return False
    try:
        fn(*args, role=role, **kwargs)
    except (DrillError, ValueError, LookupError) as exc:
        state.flash("error", str(exc))
        return False
    except (sqlite3.Error, OSError) as exc:  # the disk or the database failed: say so
        state.flash("error", not_saved(exc))
        return False
    state.flash("success", _(ok))
    st.session_state.pop("report_bytes", None)  # a report prepared before says the old words
    return True


def need_name() -> bool:
    """True when the person gave their name; else a note where to give it."""
    if me():
        return True
    st.warning(_("Give your name in the sidebar first: what you write here records who wrote it."))
    return False


def stamp(name: str, wall: str) -> str:
    """'Eve, 2026-03-05 14:30 UTC' for the page (wall: an ISO time)."""
    if not wall:
        return name or "-"
    try:
        return _("{name} ({time})").format(name=name, time=when(dt.datetime.fromisoformat(wall)))
    except ValueError:
        return name


def field(key: str, default: str = "") -> str:
    """A text widget's value in a callback."""
    return str(st.session_state.get(key) or default)
