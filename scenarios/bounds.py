"""Bounds on the figures of a scenario: what one run can hold on one machine.

Why a module of its own: the scenario model checks that figures make sense; these
check that a run of them can finish, and say why a figure is refused.
"""

from __future__ import annotations

from typing import Any

from i18n import _
from plans.issues import Issue

MAX_HORIZON = 366 * 24 * 60.0
"""Longest run, in minutes: a year (known-answer studies run 40 days for steady state;
a drill lasts hours). What a long horizon costs is judged before a run by its estimate."""
MAX_RATE = 100_000.0
"""Most arrivals an hour: far above the busiest hour of a national centre."""
MAX_DAY_FACTOR = 20.0
"""Largest day factor: a day twenty times an ordinary one is a disaster, not a weekday."""
MAX_MULTIPLIER = 100.0
"""Largest surge multiplier."""


def bound_issues(scenario: Any) -> list[Issue]:
    """Figures beyond what a run can hold, each with its bound and the reason.

    Why bounds at all: a 10-year horizon, a rate of 1e30 an hour or a day factor of 1e12
    passed the checks before, and the run then ate the machine's memory.
    """
    found: list[Issue] = []
    fmt = "{:,.0f}".format  # not for people: number format, the message is translated
    if scenario.horizon > MAX_HORIZON:
        found.append(
            Issue(
                ("horizon",),
                _(
                    "the horizon is at most {days} days (a drill lasts hours; study a longer "
                    "period as several runs)"
                ).format(days=int(MAX_HORIZON // 1440)),
            )
        )
    demand = scenario.demand
    rates: list[tuple[str | int, ...]] = (
        [("rate_per_hour",)] if demand.rate_per_hour is not None else []
    )
    values = [demand.rate_per_hour] if demand.rate_per_hour is not None else []
    for hour, value in enumerate(demand.hourly or ()):
        rates.append(("hourly", hour))
        values.append(value)
    for loc, value in zip(rates, values, strict=True):
        if value is not None and value > MAX_RATE:
            found.append(
                Issue(
                    ("demand", *loc),
                    _(
                        "{value} arrivals an hour is more than drillsim simulates (at most "
                        "{limit}, far above the busiest hour of a national centre)"
                    ).format(value=fmt(value), limit=fmt(MAX_RATE)),
                )
            )
    for day, factor in demand.day_factors.items():
        if factor > MAX_DAY_FACTOR:
            found.append(
                Issue(
                    ("demand", "day_factors", day),
                    _("a day factor is at most {limit}, not {value}").format(
                        limit=fmt(MAX_DAY_FACTOR), value=fmt(factor)
                    ),
                )
            )
    for i, event in enumerate(scenario.events):
        multiplier = getattr(event, "multiplier", None)
        if isinstance(multiplier, float) and multiplier > MAX_MULTIPLIER:
            found.append(
                Issue(
                    ("events", i, "multiplier"),
                    _("a surge multiplies demand by at most {limit}, not {value}").format(
                        limit=fmt(MAX_MULTIPLIER), value=fmt(multiplier)
                    ),
                )
            )
    return found
