"""The scenario as a figure: its events as bars over the horizon, its injects as markers.

Why its own module: it reads only the scenario, before any run, for the people
who write and review drills.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from plans.types import human_minutes
from reports.style import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    LIGHT_GREY,
    ORANGE,
    PURPLE,
    VERMILLION,
    new_figure,
    no_data,
    time_axis,
)
from scenarios.model import Scenario

EVENT_COLOURS = {
    "outage": BLUE,
    "complaint_surge": ORANGE,
    "disaster": VERMILLION,
    "security_incident": PURPLE,
    "staff_absence": GREEN,
    "data_loss": BLACK,
}


def scenario_timeline(scenario: Scenario, start: dt.datetime | None = None) -> Figure:
    """The scenario's events as bars over the horizon, its injects as markers below them.

    A bar runs from the event's start for its expected length: the mean of its length's
    distribution (a surge: ramp up, peak, ramp down; an absence without an end: to the
    end of the run). A data loss is an instant (a cross). Bars are cut at the horizon,
    with an arrowhead there when the event lasts longer.
    """
    events, injects = scenario.events, scenario.injects
    rows = len(events) + len(injects)
    fig = new_figure(12, 1.6 + 0.45 * max(rows, 2))
    ax = fig.add_subplot()
    ax.set_title(f"Scenario: {scenario.meta.name}")
    if scenario.warm_up > 0:
        ax.axvspan(0, scenario.warm_up / 60.0, color=LIGHT_GREY, alpha=0.6, lw=0)
    labels = [f"{event.id}: {_event_text(event)}" for event in events]
    for y, event in enumerate(events):
        _draw_event(ax, scenario, event, y)
    if events and injects:
        ax.axhline(len(events) - 0.5, color=GREY, lw=0.8)
    for y, inject in enumerate(injects, start=len(events)):
        labels.append(f"inject: {inject.title}")
        ax.axvline(inject.at / 60.0, color=GREY, lw=0.6, linestyle=":", zorder=0)
        ax.plot([inject.at / 60.0], [y], marker="D", markersize=8, color=BLACK, linestyle="none")
    ax.set_yticks(range(rows), labels, fontsize=8.5)
    if rows:
        ax.set_ylim(rows - 0.5, -0.5)
    else:
        no_data(ax, "no events and no injects")
    ax.set_xlim(0, scenario.horizon / 60.0)
    ax.set_ylabel("events, then injects")
    time_axis(ax, scenario.horizon, start)
    ax.grid(axis="x", color=LIGHT_GREY, lw=0.6)
    handles = _timeline_legend(scenario)
    if handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
        )
    return fig


def _draw_event(ax: Axes, scenario: Scenario, event: Any, y: int) -> None:
    """One event's bar (a cross for an instant) on row ``y``, its expected length on it."""
    c = EVENT_COLOURS.get(event.kind, GREY)
    length = _expected_length(scenario, event)
    s = event.start / 60.0
    if length is None:
        ax.plot([s], [y], marker="X", markersize=11, color=c, linestyle="none")
        return
    end = min(event.start + length, scenario.horizon) / 60.0
    ax.barh(y, end - s, left=s, height=0.6, color=c, edgecolor=BLACK, linewidth=0.6)
    dark = c in (BLUE, VERMILLION, PURPLE, BLACK, GREEN)
    ax.text(s + 0.05, y, f"≈ {human_minutes(length)}", va="center", ha="left", fontsize=8,
            color="white" if dark else BLACK)  # fmt: skip
    if event.start + length > scenario.horizon:
        ax.plot([scenario.horizon / 60.0], [y], marker=">", color=c, markersize=9, clip_on=False)


def _timeline_legend(scenario: Scenario) -> list[Patch | Line2D]:
    kinds = dict.fromkeys(event.kind for event in scenario.events)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=EVENT_COLOURS.get(k, GREY), edgecolor=BLACK, label=k.replace("_", " "))
        for k in kinds
    ]
    if scenario.injects:
        handles.append(Line2D([], [], marker="D", color=BLACK, linestyle="none", label="inject"))
    if scenario.warm_up > 0:
        handles.append(Patch(facecolor=LIGHT_GREY, label="warm-up (not measured)"))
    return handles


def _expected_length(scenario: Scenario, event: object) -> float | None:
    """Minutes the event is expected to last (None: an instant)."""
    kind = getattr(event, "kind", "")
    length = getattr(event, "duration", None)
    if kind == "complaint_surge":
        return 2 * float(getattr(event, "ramp", 0.0)) + float(length or 0.0)
    if kind == "staff_absence" and length is None:
        return scenario.horizon - float(getattr(event, "start", 0.0))
    if length is None:
        return None
    if isinstance(length, int | float):
        return float(length)
    return float(length.moments()[0])


def _event_text(event: object) -> str:
    kind = getattr(event, "kind", "")
    if kind == "outage":
        share = getattr(event, "share", 1.0)
        return f"outage of {event.target}" + (f" ({share:.0%} lost)" if share < 1 else "")  # type: ignore[attr-defined]  # kind outage: an Outage
    if kind == "complaint_surge":
        return f"complaint surge x{event.multiplier:g}"  # type: ignore[attr-defined]  # kind complaint_surge: has multiplier
    if kind == "disaster":
        return f"disaster at {event.site}"  # type: ignore[attr-defined]  # kind disaster: has site
    if kind == "security_incident":
        return f"security incident on {', '.join(event.systems)}"  # type: ignore[attr-defined]  # kind security_incident: has systems
    if kind == "staff_absence":
        where = f" at {event.site}" if event.site else ""  # type: ignore[attr-defined]  # kind staff_absence: has site
        return f"{event.share:.0%} of staff absent{where}"  # type: ignore[attr-defined]  # kind staff_absence: has share
    if kind == "data_loss":
        return f"data loss on {event.system}"  # type: ignore[attr-defined]  # kind data_loss: has system
    return kind
