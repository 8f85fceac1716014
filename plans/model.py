"""The emergency plan as frozen pydantic models (SOURCE.md chapter 7 and the targets).

Why these shapes: each section maps to one part of the manual so a coordinator can
check the file against the written plan line by line:

- ``meta``: who owns the plan, its version, review and last full drill (7.1, 7.3);
- ``event_classes`` and ``levels``: classification and grading 1-3 (7.1, 7.2 step 2);
- ``roles`` and ``people``: the emergency organisation, deputies, on-call cover;
- ``sites``, ``systems``, ``resources``: what the centre runs on and its reserves (7.4);
- ``channels``, ``shifts``, ``staffing``: the services and who answers them (2.1.1);
- ``flows``: the six-step response of 7.2 for each event class;
- ``targets``: RTO, RPO, availability, service level, ticket limits (2.1.3, 4.1, 5.3).

Cross-references (an owner role that must exist, a deputy who must be a person) are
marked with :class:`plans.types.Ref` and checked by :mod:`plans.checks`.

Where each part lives: this module holds the plan as a whole (:class:`Plan`, its
:class:`Meta`); the sections are in :mod:`plans.grading` (event classes, levels),
:mod:`plans.organisation` (roles, people), :mod:`plans.assets` (sites, systems,
resources), :mod:`plans.service` (channels, shifts, staffing), :mod:`plans.flows`
(flows, response settings) and :mod:`plans.targets`. ``STEP_NAMES`` is re-exported
here because drills, reports and the console import it beside ``Plan``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from i18n import _
from plans.assets import Resource, Site, System
from plans.base import StrictModel
from plans.calendar import WorkingCalendar
from plans.checks import raise_plan_issues
from plans.flows import STEP_NAMES, Flow, ResponseSettings
from plans.grading import EventClass, LevelDef
from plans.organisation import Person, Role
from plans.service import Channel, ChannelSplit, Shift, StaffGroup
from plans.targets import Targets
from plans.types import Id, LocalDescription, LocalName, NonEmptyText

__all__ = ["STEP_NAMES", "Meta", "Plan"]


def _text_version(value: object) -> object:
    """Let people write `version: 3` unquoted, but not `version: 2026.10`.

    YAML reads 2026.10 as the number 2026.1, so a decimal version would silently lose
    its trailing zero; asking for quotes keeps it exactly as written.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(
            _(
                "version {value} was read as a number; put it in quotes "
                '(e.g. version: "2026.10") so it stays exactly as written'
            ).format(value=repr(value))
        )
    return value


def _check_timezone(value: str) -> str:
    """An IANA zone name that this system's time-zone database knows."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(
            _("unknown time zone '{zone}': use an IANA name such as 'Asia/Shanghai'").format(
                zone=value
            )
        ) from None
    return value


class Meta(StrictModel):
    """Who owns the plan and when it was last approved, reviewed and drilled."""

    id: Id
    """Short id of the plan, e.g. 'north_centre_2025'."""
    name: LocalName
    """Title as printed on the plan."""
    version: Annotated[NonEmptyText, BeforeValidator(_text_version)]
    """Plan version, e.g. '2025.1'."""
    owner: NonEmptyText
    """Person or department accountable for the plan."""
    approved: dt.date
    """Date the current version was approved."""
    next_review: dt.date
    """Date by which the plan must be reviewed again (7.1: dynamic updating)."""
    last_full_drill: dt.date | None = None
    """Date of the last full drill; the manual asks for one at least yearly (7.1, 7.3)."""
    description: LocalDescription = ""
    """Scope of the plan in a sentence or two."""
    language: Literal["zh-CN", "en"] | None = None
    """The plan's own language: used for messages and reports when neither ``--lang``,
    DRILLSIM_LANG nor LANG choose one. Leave out to fall back to English."""
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "Asia/Shanghai"
    """IANA time zone the plan's hours are written in, e.g. 'Asia/Shanghai' or
    'Europe/London'; dates and times in reports are shown in it."""


class Plan(StrictModel):
    """A customer-service centre's emergency plan."""

    meta: Meta
    """Ownership, version, review and drill dates."""
    event_classes: tuple[EventClass, ...] = Field(min_length=1)
    """Classes of event the plan covers."""
    levels: tuple[LevelDef, ...]
    """Levels 1-3 with their grading criteria and responses."""
    people: tuple[Person, ...] = Field(min_length=1)
    """Everyone named in the organisation."""
    roles: tuple[Role, ...] = Field(min_length=1)
    """The emergency organisation."""
    sites: tuple[Site, ...] = Field(min_length=1)
    """Working sites, including any backup site."""
    systems: tuple[System, ...] = ()
    """Technical systems, including standbys."""
    resources: tuple[Resource, ...] = ()
    """People, money, materials and information reserves."""
    channels: tuple[Channel, ...] = Field(min_length=1)
    """Service channels."""
    channel_split: ChannelSplit = ChannelSplit()
    """Online/offline split used when channels give no share."""
    shifts: tuple[Shift, ...] = ()
    """Working shifts."""
    staffing: tuple[StaffGroup, ...] = ()
    """Agents by site, shift and skills: the simulation's default staffing."""
    flows: tuple[Flow, ...] = Field(min_length=1)
    """The six-step response flow for each event class."""
    targets: Targets = Targets()
    """Targets drills are measured against."""
    response: ResponseSettings = ResponseSettings()
    """How the simulation plays the response (detection, answering, restoration)."""
    calendar: WorkingCalendar = WorkingCalendar()
    """Working days, office hours and holidays; which ticket limits count working time."""

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        # the model class is passed in so that plans.checks need not import this module
        raise_plan_issues(self, Plan)
        return self

    def channel_shares(self) -> dict[str, float]:
        """Share of demand per channel: as written, or from the online/offline split."""
        if all(c.share is not None for c in self.channels):
            return {c.id: float(c.share or 0.0) for c in self.channels}
        online = [c.id for c in self.channels if c.online]
        offline = [c.id for c in self.channels if not c.online]
        split = self.channel_split
        if not offline:
            return {cid: 1.0 / len(online) for cid in online}
        if not online:
            return {cid: 1.0 / len(offline) for cid in offline}
        shares = {cid: split.online / len(online) for cid in online}
        shares.update({cid: split.offline / len(offline) for cid in offline})
        return shares

    def ids_by_kind(self) -> dict[str, set[str]]:
        """The plan's ids by collection ('roles', 'systems', ...), as files reference them."""
        return {
            "roles": {x.id for x in self.roles},
            "people": {x.id for x in self.people},
            "sites": {x.id for x in self.sites},
            "systems": {x.id for x in self.systems},
            "resources": {x.id for x in self.resources},
            "channels": {x.id for x in self.channels},
            "shifts": {x.id for x in self.shifts},
            "event_classes": {x.id for x in self.event_classes},
        }

    def role(self, role_id: str) -> Role:
        """The role with that id."""
        return next(r for r in self.roles if r.id == role_id)

    def person(self, person_id: str) -> Person:
        """The person with that id."""
        return next(p for p in self.people if p.id == person_id)

    def commander(self) -> Role:
        """The one role of kind 'commander'."""
        return next(r for r in self.roles if r.kind == "commander")

    def flow_for(self, event_class: str) -> Flow | None:
        """The flow answering an event class, if the plan has one."""
        return next((f for f in self.flows if f.event_class == event_class), None)
