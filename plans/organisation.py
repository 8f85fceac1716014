"""The emergency organisation: roles and the people who hold or deputise for them.

Why a module of its own: who can be reached, and how fast, decides most of a plan's
readiness (escalation lines, deputies, on-call cover); the organisation is checked
and played as one unit, apart from the sites and systems it looks after.
"""

from __future__ import annotations

from typing import Literal

from plans.base import StrictModel
from plans.schedule import WeeklyWindow
from plans.types import Duration, Id, LocalName, PersonRef, RoleRef, SiteRef

RoleKind = Literal[
    "commander",
    "deputy_commander",
    "duty_manager",
    "it_on_call",
    "communications_lead",
    "site_lead",
    "security_lead",
    "custom",
]


class ResponseTime(StrictModel):
    """How long a person takes to answer a call-out."""

    on_call: Duration
    """Time to answer while on call."""
    off_call: Duration | None = None
    """Time to answer off call; leave out if the person cannot be reached off call."""


class Person(StrictModel):
    """Someone who holds or deputises for a role."""

    id: Id
    """Id used by roles."""
    name: LocalName
    """Full name."""
    title: str = ""
    """Job title."""
    contact: str = ""
    """Phone or pager, as printed on the contact list."""
    site: SiteRef | None = None
    """Usual work site; losing that site takes the person out unless they work remotely."""
    remote_capable: bool = True
    """Can act from elsewhere when their site is lost."""
    on_call: tuple[WeeklyWindow, ...] = ()
    """Weekly hours during which the person is on call."""
    response_time: ResponseTime
    """How long the person takes to answer."""


class Role(StrictModel):
    """A position in the emergency organisation (7.1: command body, division of duties)."""

    id: Id
    """Id used by flows, levels and resources."""
    name: LocalName
    """Readable name."""
    kind: RoleKind
    """One of the standard roles, or 'custom'."""
    critical: bool = False
    """A role the response cannot do without; it needs a deputy."""
    holder: PersonRef
    """Person who holds the role."""
    deputies: tuple[PersonRef, ...] = ()
    """People called in this order when the holder does not answer in time."""
    answer_within: Duration = 10.0
    """How long to wait for an answer before calling the next person."""
    reports_to: RoleRef | None = None
    """Role this one reports to."""
    escalates_to: RoleRef | None = None
    """Role this one escalates to, if other than the one it reports to."""
    duties: str = ""
    """Duties in the plan's own words."""
