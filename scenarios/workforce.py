"""How agents work in a scenario: seats, staff under a disaster, shrinkage, chat concurrency.

Why a block of its own: these settings change what the engine assumes about people,
not what happens to the centre; each one is off by default, so a scenario that does
not name them runs exactly as before (the known-answer queues keep them off), and the
bundled drills turn them on with their sources in the file's comments.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from i18n import _
from plans.base import StrictModel
from plans.types import ChannelRef, Duration, Probability, ResourceRef, ShiftRef


class Shrinkage(StrictModel):
    """Time agents are on shift but not taking contacts: breaks, meetings, training."""

    share: Probability
    """Share of staffed time off the queues, for every shift not listed in ``shifts``."""
    shifts: dict[ShiftRef, Probability] = {}
    """Share for particular shifts, e.g. {night: 0.15} (breaks differ by shift)."""
    cycle: Duration = 60.0
    """Breaks rotate among a group's agents over this cycle, so the number away moves
    between the two whole numbers either side of share x agents and averages to it."""

    @model_validator(mode="after")
    def _cycle_positive(self) -> Shrinkage:
        if self.cycle <= 0:
            raise ValueError(_("the shrinkage cycle must be longer than zero"))
        return self

    def is_off(self) -> bool:
        """Whether nobody is ever away (share 0 on every shift)."""
        return self.share == 0 and not any(self.shifts.values())

    def share_for(self, shift: str | None) -> float:
        """Shrinkage of a group working ``shift`` (None: a group on duty all run)."""
        if shift is not None and shift in self.shifts:
            return float(self.shifts[shift])
        return float(self.share)


class Concurrency(StrictModel):
    """An agent on a channel serves several contacts at once (chat)."""

    channel: ChannelRef
    """The channel, usually chat."""
    contacts: Annotated[int, Field(ge=1, le=10)]
    """At most this many contacts at once per agent (1: one at a time, as on the phone)."""
    stretch: Annotated[float, Field(ge=1.0)] = 1.0
    """Handle time is multiplied by this once for each other contact the agent has open
    (1: no slow-down)."""


class Workforce(StrictModel):
    """How agents work: seats, disasters, shrinkage and chat concurrency (all off by default)."""

    seats: Literal["backup_sites", "every_site"] = "backup_sites"
    """'every_site': agents at work at any site never exceed its seats, whatever moved
    them there; 'backup_sites': seats bind only at backup sites (as before)."""
    disasters_hold: bool = False
    """True: staff of a site lost to a disaster who cannot work are not relocated; the
    others reach the site they are moved to after its ``travel_time``; remote work starts
    after the disaster's ``remote_after`` and needs a ``remote_kits`` kit per person;
    reserves count only if they can reach a working site or work remotely. False: a
    relocated group works at once, at full strength (as before)."""
    remote_kits: ResourceRef | None = None
    """The plan's materials resource whose ``quantity`` caps how many people work
    remotely at once (staff of a lost site and reserves without a site); left out: no cap."""
    shrinkage: Shrinkage = Shrinkage(share=0.0)
    """Breaks, meetings and training as a share of staffed time; left out: none."""
    concurrency: tuple[Concurrency, ...] = ()
    """Channels whose agents serve several contacts at once."""

    @model_validator(mode="after")
    def _one_per_channel(self) -> Workforce:
        seen: set[str] = set()
        for i, c in enumerate(self.concurrency):
            if c.channel in seen:
                raise ValueError(
                    _("concurrency[{i}] repeats channel '{channel}'").format(i=i, channel=c.channel)
                )
            seen.add(c.channel)
        return self

    def is_default(self) -> bool:
        """Whether every setting is off (the engine then runs exactly as before)."""
        return self == Workforce()
