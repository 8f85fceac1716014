"""The services customers use and who answers them: channels, shifts, staffing (2.1.1).

Why a module of its own: this is the demand side the simulation queues on; channels
say what they need to work and how demand splits, shifts and staff groups say who is
at work to answer, and none of it depends on how the response is organised.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from i18n import _
from plans.base import StrictModel
from plans.schedule import DAYS, WEEK_MINUTES, WeeklyWindow
from plans.types import (
    ChannelRef,
    DependencyRef,
    Duration,
    Headcount,
    Id,
    LocalName,
    Probability,
    ShiftRef,
    SiteRef,
    SystemRef,
)

ChannelKind = Literal["phone", "chat", "app", "web", "email", "counter", "custom"]
LIVE_KINDS = frozenset({"phone", "chat", "counter", "custom"})
"""Channel kinds where the customer waits in a queue; the others create tickets."""


class Degradation(StrictModel):
    """How a channel slows down while a system it leans on is down."""

    system: SystemRef
    """System whose loss slows the channel."""
    handle_time_factor: Annotated[float, Field(ge=1.0)]
    """Handle time is multiplied by this while the system is down."""


class Channel(StrictModel):
    """A service channel customers use (2.1.1)."""

    id: Id
    """Id used by staffing and scenarios."""
    name: LocalName
    """Readable name."""
    kind: ChannelKind
    """phone, chat, app, web, email, counter or custom."""
    online: bool
    """Online (remote) or offline (counters, halls) channel."""
    share: Probability | None = None
    """Share of all requests; leave out on every channel to use the online/offline split."""
    depends_on: tuple[DependencyRef, ...] = ()
    """Systems or resources without which the channel goes dark."""
    degraded_by: tuple[Degradation, ...] = ()
    """Systems whose loss slows the channel without stopping it."""
    sites: tuple[SiteRef, ...] = ()
    """Sites that serve the channel; it needs at least one working."""
    mode: Literal["live", "ticket"] | None = None
    """'live': customers wait in a queue and may give up; 'ticket': requests become tickets
    worked against the ticket time limits. Left out: live for phone, chat, counter and
    custom channels, ticket for app, web and email."""

    def effective_mode(self) -> Literal["live", "ticket"]:
        """The mode as stated, or the one its kind implies."""
        if self.mode is not None:
            return self.mode
        return "live" if self.kind in LIVE_KINDS else "ticket"


class ChannelSplit(StrictModel):
    """Default split of demand between online and offline channels (2.1.1)."""

    online: Probability = 0.683
    """Share of requests arriving online (2024: 68.3%)."""
    offline: Probability = 0.317
    """Share of requests arriving offline (2024: 31.7%)."""


class ShiftBreak(StrictModel):
    """A break every agent of a shift takes at the same moment (a lunch, a team brief).

    Lunches taken in turns are several shifts, each with its own break: the shift cover
    (``drillsim staff --by-interval --shifts``) then chooses how many agents each takes.
    """

    start: Duration
    """When the break begins, after the shift starts (e.g. '4h')."""
    length: Duration
    """How long it lasts (e.g. '30m'); more than zero."""

    @model_validator(mode="after")
    def _not_empty(self) -> ShiftBreak:
        if self.length <= 0:
            raise ValueError(_("a break must last more than 0 minutes"))
        return self


class Shift(StrictModel):
    """A working shift: its days and hours, and the breaks it takes off them."""

    id: Id
    """Id used by staffing."""
    name: LocalName
    """Readable name."""
    window: WeeklyWindow
    """Days and hours of the shift."""
    breaks: tuple[ShiftBreak, ...] = ()
    """Breaks off the shift, each {start: offset after the shift starts, length}, e.g.
    [{start: 4h, length: 30m}]; agents are not at work during them. Left out: none."""

    def length(self) -> int:
        """Minutes from the shift's start to its end (past midnight: into the next day)."""
        start, end = self.window.hours
        return end - start if end > start else end + 1440 - start

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        last = 0.0
        for i, b in enumerate(sorted(self.breaks, key=lambda b: b.start)):
            if b.start + b.length > self.length():
                raise ValueError(
                    _("breaks[{i}] ends after the shift ends").format(i=self.breaks.index(b))
                )
            if i and b.start < last:
                raise ValueError(
                    _("breaks[{i}] overlaps an earlier break").format(i=self.breaks.index(b))
                )
            last = b.start + b.length
        return self

    def working_intervals(self) -> list[tuple[int, int]]:
        """Minute-of-week intervals [start, end) at work: the window less every break.

        Without breaks exactly :meth:`WeeklyWindow.intervals`, so a plan that states none
        runs as before.
        """
        if not self.breaks:
            return self.window.intervals()
        start, _end = self.window.hours
        out: list[tuple[int, int]] = []
        for day in self.window.days:
            begin = DAYS.index(day) * 1440 + start
            cursor = 0.0
            pieces: list[tuple[float, float]] = []
            for b in sorted(self.breaks, key=lambda b: b.start):
                pieces.append((cursor, b.start))
                cursor = b.start + b.length
            pieces.append((cursor, float(self.length())))
            for lo, hi in pieces:
                if hi <= lo:
                    continue
                a, z = begin + round(lo), begin + round(hi)
                if z <= WEEK_MINUTES:
                    out.append((a, z))
                elif a >= WEEK_MINUTES:
                    out.append((a - WEEK_MINUTES, z - WEEK_MINUTES))
                else:
                    out += [(a, WEEK_MINUTES), (0, z - WEEK_MINUTES)]
        return out


class StaffGroup(StrictModel):
    """Agents of one site and shift with the same skills."""

    site: SiteRef
    """Where they work."""
    shift: ShiftRef
    """When they work."""
    agents: Headcount
    """How many."""
    skills: tuple[ChannelRef, ...]
    """Channels they serve."""
