"""The chart of requirements by interval: agents needed against the scenario's roster, per channel.

Why this chart: a planner reads a requirement as "where does today's roster fall short,
and by how many agents"; one panel per channel shows, as steps over the day, the agents
the roster has on duty for that channel, Erlang A's staffed figure, the requirement the
simulated check settled on and, when the scenario has events, the normal day's
requirement, so the gap an event opens is the distance between two lines.

The roster line counts an agent trained on several channels on each of them (the most
the roster could put on that channel), so it flatters a cross-skilled roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, DateFormatter, HourLocator, date2num
from matplotlib.figure import Figure

from i18n import _
from reports.style import channel_style, new_figure


@dataclass(frozen=True)
class ChannelSeries:
    """One channel's agents per interval (each list as long as the interval starts)."""

    channel: str
    roster: Sequence[int]
    staffed: Sequence[int]
    required: Sequence[int]
    normal: Sequence[int] | None = None
    """The normal day's requirement (None: the scenario has no events)."""
    judged: bool = True
    """False for a ticket channel: rostered to carry its load, not judged."""


def _steps(times: Sequence[dt.datetime], end: dt.datetime) -> np.ndarray:
    return np.asarray(date2num([*times, end]), dtype=float)


def requirement_chart(
    starts: Sequence[dt.datetime], end: dt.datetime, series: Sequence[ChannelSeries]
) -> Figure:
    """One panel per channel: roster on duty, Erlang A staffed, required, normal day."""
    fig = new_figure(11, 2.3 * max(1, len(series)) + 0.6)
    axes = fig.subplots(max(1, len(series)), 1, sharex=True, squeeze=False)[:, 0]
    x = _steps(starts, end)
    for i, (ax, s) in enumerate(zip(axes, series, strict=False)):
        colour = str(channel_style(i)["color"])

        def step(values: Sequence[int], ax: Axes = ax, **style: Any) -> None:
            y = np.asarray([*values, values[-1]], dtype=float)
            ax.step(x, y, where="post", **style)

        step(s.roster, color="#888888", lw=1.4, label=_("roster on duty"))
        step(s.staffed, color=colour, lw=1.0, ls="--", label=_("Erlang A, staffed"))
        label = _("required (simulated check)") if s.judged else _("carrying the load")
        step(s.required, color=colour, lw=2.0, label=label)
        if s.normal is not None:
            step(s.normal, color="#000000", lw=1.0, ls=":", label=_("required, normal day"))
        ax.set_ylabel(_("agents"))
        ax.set_ylim(bottom=0)
        title = s.channel if s.judged else _("{channel} (not judged)").format(channel=s.channel)
        ax.set_title(title, fontsize=10, loc="left")
        ax.legend(loc="upper right", fontsize=7, ncols=2)
    span = (end - starts[0]).total_seconds() / 3600 if starts else 0.0
    axes[-1].xaxis.set_major_locator(HourLocator() if span <= 16 else AutoDateLocator())
    clock = "%m-%d %H:%M" if span > 24 else "%H:%M"  # not for people: a time format
    axes[-1].xaxis.set_major_formatter(DateFormatter(clock))
    fig.suptitle(_("Agents needed by interval against the scenario's roster"))
    return fig
