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

from i18n import N_, _, local_text
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
EVENT_KINDS = {
    "outage": N_("outage"),
    "complaint_surge": N_("complaint surge"),
    "disaster": N_("disaster"),
    "security_incident": N_("security incident"),
    "staff_absence": N_("staff absence"),
    "data_loss": N_("data loss"),
}
"""Each kind of event as the legend names it."""


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
    name = local_text(scenario.meta.name, fallback=scenario.meta.id)
    ax.set_title(_("Scenario: {name}").format(name=name))
    if scenario.warm_up > 0:
        ax.axvspan(0, scenario.warm_up / 60.0, color=LIGHT_GREY, alpha=0.6, lw=0)
    labels = [f"{event.id}: {_event_text(event)}" for event in events]
    for y, event in enumerate(events):
        _draw_event(ax, scenario, event, y)
    if events and injects:
        ax.axhline(len(events) - 0.5, color=GREY, lw=0.8)
    for y, inject in enumerate(injects, start=len(events)):
        labels.append(_("inject: {title}").format(title=local_text(inject.title)))
        ax.axvline(inject.at / 60.0, color=GREY, lw=0.6, linestyle=":", zorder=0)
        ax.plot([inject.at / 60.0], [y], marker="D", markersize=8, color=BLACK, linestyle="none")
    ax.set_yticks(range(rows), labels, fontsize=8.5)
    if rows:
        ax.set_ylim(rows - 0.5, -0.5)
    else:
        no_data(ax, _("no events and no injects"))
    ax.set_xlim(0, scenario.horizon / 60.0)
    ax.set_ylabel(_("events, then injects"))
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
        Patch(
            facecolor=EVENT_COLOURS.get(k, GREY),
            edgecolor=BLACK,
            label=_(EVENT_KINDS[k]) if k in EVENT_KINDS else k.replace("_", " "),
        )
        for k in kinds
    ]
    if scenario.injects:
        handles.append(Line2D([], [], marker="D", color=BLACK, linestyle="none", label=_("inject")))
    if scenario.warm_up > 0:
        handles.append(Patch(facecolor=LIGHT_GREY, label=_("warm-up (not measured)")))
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
    e: Any = event  # the kind says which fields it has
    if kind == "outage":
        share = getattr(e, "share", 1.0)
        if share < 1:
            return _("outage of {target} ({share:.0%} lost)").format(target=e.target, share=share)
        return _("outage of {target}").format(target=e.target)
    if kind == "complaint_surge":
        return _("complaint surge x{multiplier:g}").format(multiplier=e.multiplier)
    if kind == "disaster":
        return _("disaster at {site}").format(site=e.site)
    if kind == "security_incident":
        return _("security incident on {systems}").format(systems=_(", ").join(e.systems))
    if kind == "staff_absence":
        if e.site:
            return _("{share:.0%} of staff absent at {site}").format(share=e.share, site=e.site)
        return _("{share:.0%} of staff absent").format(share=e.share)
    if kind == "data_loss":
        return _("data loss on {system}").format(system=e.system)
    return kind
