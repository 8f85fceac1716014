"""How customers behave: redials, channel switching, callbacks, opening hours, forecast error.

Why a module of its own beside the scenario model: these are settings about people,
not about what goes wrong, and every one of them is off by default, so a scenario
that leaves ``behaviour`` out runs exactly as before (the known-answer queues rely on
that). The bundled drill scenarios turn them on with figures whose source is in
their comments.

* **Redials**: a customer who gives up waiting tries again, with a probability, after
  a delay, up to ``max_attempts`` attempts in all (the first included). A customer
  notice on the channel (the plan's ``notify_customers`` action) lowers the redial
  probability by the share the plan gives that notice.
* **Dark channels**: a customer who finds a channel dark (an outage turns them away,
  or cuts off their queue) switches to another channel, tries the same channel again
  later, or gives up; shares per channel pair, each with a delay.
* **Callbacks**: a callback that does not reach the customer is tried again later,
  up to a number of attempts; then the customer is lost.
* **Opening hours**: a channel, or the offline channels of a site, takes arrivals only
  in its hours; arrivals at a closed channel move to other channels by the shares given,
  the rest are turned away.
* **Channel profile**: the channel mix by hour of the day.
* **Forecast error**: a per-replication volume factor and a per-replication surge size,
  both lognormal with mean 1 and the coefficient of variation given.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from i18n import _
from plans.base import StrictModel
from plans.checks import raise_consistency
from plans.issues import Issue
from plans.schedule import WeeklyWindow
from plans.types import ChannelRef, Duration, Probability, SiteRef
from scenarios.distributions import Distribution, Exponential

SHARE_TOLERANCE = 1e-9
Attempts = Annotated[int, Field(ge=1, le=20)]
Weight = Annotated[float, Field(ge=0)]


def _shares_at_most_one(shares: dict[str, float], also: float = 0.0) -> None:
    total = sum(shares.values()) + also
    if total > 1.0 + SHARE_TOLERANCE:
        raise ValueError(
            _("the shares add up to {total:.3f}; they must add up to at most 1").format(total=total)
        )


class RedialRule(StrictModel):
    """Redials on one channel."""

    probability: Probability
    """Share of customers who give up waiting and try the same channel again."""
    delay: Distribution = Exponential(dist="exponential", mean=10.0)
    """Time from giving up to the next attempt."""


class Redials(StrictModel):
    """Customers who give up waiting and try again."""

    probability: Probability = 0.0
    """Share of customers who give up waiting and redial (0: nobody does)."""
    delay: Distribution = Exponential(dist="exponential", mean=10.0)
    """Time from giving up to the redial."""
    channels: dict[ChannelRef, RedialRule] = {}
    """Per channel, instead of the probability and delay above."""

    def rule(self, channel: str) -> RedialRule:
        """The redial rule of a channel."""
        return self.channels.get(
            channel, RedialRule(probability=self.probability, delay=self.delay)
        )


class DarkChannel(StrictModel):
    """What customers do who find one channel dark."""

    switch: dict[ChannelRef, Probability] = {}
    """Share of them who try each other channel instead."""
    switch_delay: Distribution = Exponential(dist="exponential", mean=5.0)
    """Time before they try the other channel."""
    retry: Probability = 0.0
    """Share of them who try the same channel again later; the rest give up."""
    retry_delay: Distribution = Exponential(dist="exponential", mean=30.0)
    """Time before they try the same channel again."""

    @model_validator(mode="after")
    def _at_most_one(self) -> DarkChannel:
        _shares_at_most_one(self.switch, self.retry)
        return self


class Callbacks(StrictModel):
    """Callbacks that do not reach the customer."""

    reach: Probability = 1.0
    """Share of callback attempts that reach the customer (1: every one does)."""
    attempts: Attempts = 3
    """Callback attempts in all before the customer counts as lost."""
    retry_after: Duration = 30.0
    """Time between a callback that does not reach the customer and the next attempt."""
    attempt_time: Duration = 1.0
    """Agent time spent on an attempt that does not reach the customer."""


class OpeningHours(StrictModel):
    """When a channel, or a site's offline channels, take arrivals."""

    open: tuple[WeeklyWindow, ...] = Field(min_length=1)
    """Weekly windows when it is open, e.g. [{days: all, hours: '07:00-23:00'}]."""


class ClosedChannel(StrictModel):
    """Where arrivals at a closed channel go."""

    move_to: dict[ChannelRef, Probability] = {}
    """Share of them who use each other channel instead; the rest are turned away."""

    @model_validator(mode="after")
    def _at_most_one(self) -> ClosedChannel:
        _shares_at_most_one(self.move_to)
        return self


class Forecast(StrictModel):
    """How far a day's demand may be from the forecast, drawn once per replication."""

    volume_cv: Annotated[float, Field(ge=0, le=2)] = 0.0
    """Coefficient of variation of the day's volume factor (lognormal, mean 1; 0: none)."""
    surge_cv: Annotated[float, Field(ge=0, le=2)] = 0.0
    """Coefficient of variation of each surge's extra demand (lognormal, mean 1; 0: none)."""


class Behaviour(StrictModel):
    """How customers behave; every part is off when left out."""

    max_attempts: Attempts = 5
    """Attempts per customer in all (first contact, redials and switches) before they stop."""
    redials: Redials = Redials()
    """Customers who give up waiting and try again."""
    dark_channels: dict[ChannelRef, DarkChannel] = {}
    """Per channel, what customers do who find it dark; left out: they give up."""
    callbacks: Callbacks = Callbacks()
    """Callbacks that do not reach the customer."""
    channel_hours: dict[ChannelRef, OpeningHours] = {}
    """Opening hours per channel; left out: always open."""
    site_hours: dict[SiteRef, OpeningHours] = {}
    """Opening hours of sites' service halls: an offline channel is closed when every
    site serving it is closed."""
    when_closed: dict[ChannelRef, ClosedChannel] = {}
    """Per channel, where arrivals go while it is closed; left out: turned away."""
    channel_profile: dict[ChannelRef, tuple[Weight, ...]] = {}
    """Per channel, a weight for each hour of the day (24 values, 00:00 first): the
    channel's share in an hour is its share times the weight, the shares then scaled
    back to add up to 1, so the total per hour stays the demand profile's."""
    forecast: Forecast = Forecast()
    """Forecast error of the day's volume and of surges."""

    @model_validator(mode="after")
    def _consistent(self) -> Behaviour:
        # absolute paths: a behaviour is only ever read as a scenario's ``behaviour``
        issues: list[Issue] = []
        for channel, weights in self.channel_profile.items():
            if len(weights) != 24:
                issues.append(
                    Issue(
                        ("behaviour", "channel_profile", channel),
                        _("{n} values given; give 24, one per hour of the day").format(
                            n=len(weights)
                        ),
                    )
                )
        pairs = [("dark_channels", c, "switch", d.switch) for c, d in self.dark_channels.items()]
        pairs += [("when_closed", c, "move_to", d.move_to) for c, d in self.when_closed.items()]
        for name, source, field, targets in pairs:
            if source in targets:
                issues.append(
                    Issue(
                        ("behaviour", name, source, field, source),
                        _("customers cannot switch from a channel to the same channel"),
                    )
                )
        raise_consistency(issues)
        return self

    def redials_on(self) -> bool:
        """Whether anybody ever redials."""
        r = self.redials
        return r.probability > 0 or any(x.probability > 0 for x in r.channels.values())

    def in_run(self) -> bool:
        """Whether the run must generate contacts as it goes (redials, switches, callbacks)."""
        return (
            self.redials_on()
            or any(d.switch or d.retry > 0 for d in self.dark_channels.values())
            or self.callbacks.reach < 1.0
            or self.has_hours()
        )

    def has_hours(self) -> bool:
        """Whether some channel or site keeps opening hours."""
        return bool(self.channel_hours or self.site_hours)
