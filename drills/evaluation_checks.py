"""The evaluation's vocabulary and the checks its records share.

Why a module of its own: ratings (:mod:`~drills.evaluations`), findings
(:mod:`~drills.findings`) and the executive summary (:mod:`~drills.summary`) check
the same capabilities, names and texts; keeping the checks below all three lets the
evaluation re-export the findings without an import cycle.
"""

from __future__ import annotations

import sqlite3
from typing import Literal

from drills.errors import UnknownDrill
from i18n import N_, _
from plans.model import STEP_NAMES

CAPABILITIES: tuple[str, ...] = (*STEP_NAMES, "resource_guarantee")
"""What is rated: the six response steps, then resource guarantee (people, money,
materials, information, backup systems)."""

Rating = Literal["P", "S", "M", "U"]
RATINGS: dict[str, str] = {
    "P": N_("performed without challenges"),
    "S": N_("performed with some challenges"),
    "M": N_("performed with major challenges"),
    "U": N_("unable to be performed"),
}
"""HSEEP's ratings and what each means (msgids: shown with ``_()``)."""

FindingKind = Literal["strength", "area"]
FINDING_KINDS: dict[str, str] = {"strength": N_("strength"), "area": N_("area for improvement")}

DRAFTED_BY_DRILLSIM = "drillsim"
"""A finding's ``provenance`` when drillsim drafted it and a person accepted it, and the
author of the drafts drillsim wrote into the database before layout 4."""


def check_capability(value: object) -> str:
    """One of :data:`CAPABILITIES`, or ValueError."""
    if isinstance(value, str) and value in CAPABILITIES:
        return value
    raise ValueError(
        _("unknown capability {value!r}: one of {choices}").format(
            value=value, choices=", ".join(CAPABILITIES)
        )
    )


def check_rating(value: object) -> Rating:
    """'P', 'S', 'M' or 'U', or ValueError."""
    for r in ("P", "S", "M", "U"):
        if value == r:
            return r
    meanings = "; ".join(f"{k}: {_(v)}" for k, v in RATINGS.items())
    raise ValueError(
        _("rating {value!r} is not one of P, S, M, U ({meanings})").format(
            value=value, meanings=meanings
        )
    )


def text(value: object, what: str) -> str:
    """Stripped text ('' for None), or ValueError naming ``what`` (a msgid)."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(_("{what} must be text, not {value!r}").format(what=_(what), value=value))
    return value.strip()


def who(value: object, what: str) -> str:
    """A person's name, stripped, or ValueError: every record says who wrote it."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(_("every {what} needs a name: who gives it?").format(what=_(what)))
    return value.strip()


def finding_kind(value: object) -> FindingKind:
    """'strength' or 'area', or ValueError."""
    for k in ("strength", "area"):
        if value == k:
            return k
    raise ValueError(
        _("unknown finding kind {value!r}: 'strength' or 'area' (area for improvement)").format(
            value=value
        )
    )


def drill_exists(conn: sqlite3.Connection, drill_id: str) -> None:
    """UnknownDrill unless the drill is in the database."""
    if conn.execute("SELECT 1 FROM drills WHERE id = ?", (drill_id,)).fetchone() is None:
        raise UnknownDrill(drill_id)
