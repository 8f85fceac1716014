"""The response steps of a run as a Gantt chart, with a live drill's observed steps beside.

Why its own module: it reads the response records (and, in a live drill, the step
times observers recorded, :mod:`drills.observed`) rather than the queues, and its
rows are steps, not time series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from drills.kpis import duration_text
from drills.observed import ObservedStep
from i18n import N_, _
from plans.model import STEP_NAMES
from reports.style import (
    BLACK,
    GREY,
    LIGHT_GREY,
    ON_TIME,
    WARNING,
    new_figure,
    no_data,
    time_axis,
)
from sim.response.incidents import Incident

STEP_LABELS = {
    "discover_report": N_("discover report"),
    "assess_grade": N_("assess grade"),
    "activate": N_("activate"),
    "handle_coordinate": N_("handle coordinate"),
    "track_feedback": N_("track feedback"),
    "review_improve": N_("review improve"),
}
"""A step's short name on the Gantt chart's rows."""
OBSERVED_HATCH = ".."
"""Observed bars are dotted, so they differ from simulated ones without colour."""


def step_gantt(
    incidents: Sequence[Incident],
    now: float | None = None,
    start: dt.datetime | None = None,
    observed: Sequence[ObservedStep] = (),
) -> Figure:
    """Each incident's six steps: a bar from start to done (or to ``now`` while open).

    Bars within the step's limit are blue, late ones vermillion; open steps are hatched.
    A black tick marks where each step's limit ran out (start + limit); ticks beyond the
    chart's right edge are not drawn, the limit is in the row's label. Without ``now``,
    open steps run to the latest time the incidents record.

    ``observed`` (a live drill's steps as observers saw them, :func:`drills.observed.
    observed_steps`): a dotted bar under the simulated one on the same row, coloured by
    the same rule against the same limit; a step observed done before it started has no
    bar (it has no duration) but a cross where it was seen done.
    """
    rows = [
        (inc, name, inc.steps[name])
        for inc in incidents
        for name in STEP_NAMES
        if name in inc.steps
    ]
    seen = {(o.incident, o.step): o for o in observed}
    fig = new_figure(12, 1.8 + (0.55 if seen else 0.4) * max(len(rows), 3))
    ax = fig.add_subplot()
    end = now if now is not None else _latest(incidents, observed)
    ax.set_title(_title(incidents))
    if not rows:
        no_data(ax, _("no incident with a response flow"))
        ax.set_xlabel(_("hours into the run"))
        return fig
    labels: list[str] = []
    limits: list[tuple[float, float]] = []
    sim_y, height = (-0.17, 0.32) if seen else (0.0, 0.6)
    for y, (inc, name, step) in enumerate(rows):
        prefix = f"{inc.id}: " if len(incidents) > 1 else ""
        step_name = _(STEP_LABELS[name]) if name in STEP_LABELS else name.replace("_", " ")
        row = _("{step} · {owner} · limit {limit}").format(
            step=step_name, owner=step.owner, limit=duration_text(step.limit)
        )
        labels.append(prefix + row)
        obs = seen.get((inc.id, name))
        if obs is not None:
            _observed_bar(ax, obs, y + 0.17, height)
        if step.started is None:
            ax.text(
                0.01,
                y + sim_y,
                _("not started"),
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color=GREY,
            )
            continue
        finish = step.done if step.done is not None else max(end, step.started)
        late = step.late(end)
        ax.barh(
            y + sim_y,
            max(finish - step.started, 0.0) / 60.0,
            left=step.started / 60.0,
            height=height,
            color=WARNING if late else ON_TIME,
            alpha=1.0 if step.done is not None else 0.55,
            hatch=None if step.done is not None else "//",
            edgecolor=BLACK,
            linewidth=0.6,
        )
        limits.append((step.started + step.limit, y + sim_y))
    x_max = max([end] + [t for t, _ in limits if t <= end * 1.5])
    shown = [(t, y) for t, y in limits if t <= x_max]
    if shown:
        ax.scatter(
            [t / 60.0 for t, _ in shown],
            [y for _, y in shown],
            marker="|",
            s=420 if not seen else 200,
            color=BLACK,
            linewidths=2.0,
            zorder=3,
        )
    if now is not None:
        ax.axvline(now / 60.0, color=GREY, linestyle="--", lw=1.0)
    ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, max(x_max, 1.0) / 60.0 * 1.03)
    ax.set_ylabel(_("step · owner role · limit"))
    time_axis(ax, x_max, start)
    ax.grid(axis="x", color=LIGHT_GREY, lw=0.6)
    ax.legend(
        handles=_legend(now is not None, bool(seen)),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8,
        frameon=False,
    )
    return fig


def _title(incidents: Sequence[Incident]) -> str:
    if len(incidents) != 1:
        return _("Response steps against their limits")
    inc = incidents[0]
    fields = {"incident": inc.id, "event_class": inc.event_class, "level": inc.level}
    if inc.level is not None:
        return _(
            "Response steps against their limits: {incident} ({event_class}, level {level})"
        ).format(**fields)
    return _("Response steps against their limits: {incident} ({event_class}, not graded)").format(
        **fields
    )


def _observed_bar(ax: Axes, obs: ObservedStep, y: float, height: float) -> None:
    """The observed step on the lower half of its row: a dotted bar, or a cross."""
    if obs.verdict == "done_before_start":
        ax.plot([obs.done / 60.0], [y], marker="X", markersize=9, color=WARNING, linestyle="none")
        ax.text(
            obs.done / 60.0,
            y,
            "  " + _("seen done before it started"),
            va="center",
            ha="left",
            fontsize=7.5,
            color=WARNING,
        )
        return
    ax.barh(
        y,
        (obs.done - obs.started) / 60.0,
        left=obs.started / 60.0,
        height=height,
        color=WARNING if obs.verdict == "over" else ON_TIME,
        alpha=0.45,
        hatch=OBSERVED_HATCH,
        edgecolor=BLACK,
        linewidth=0.6,
    )


def _legend(with_now: bool, with_observed: bool) -> list[Patch | Line2D]:
    handles: list[Patch | Line2D] = [
        Patch(facecolor=ON_TIME, edgecolor=BLACK, label=_("done within its limit")),
        Patch(facecolor=WARNING, edgecolor=BLACK, label=_("late (past its limit)")),
        Patch(facecolor="white", edgecolor=BLACK, hatch="//", label=_("still open")),
        Line2D(
            [],
            [],
            marker="|",
            color=BLACK,
            markersize=14,
            markeredgewidth=2,
            linestyle="none",
            label=_("limit (start + limit)"),
        ),
    ]
    if with_observed:
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=BLACK,
                hatch=OBSERVED_HATCH,
                label=_("observed in the live drill (lower bar)"),
            )
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="X",
                color=WARNING,
                linestyle="none",
                label=_("seen done before it started"),
            )
        )
    if with_now:
        handles.append(Line2D([], [], color=GREY, linestyle="--", label=_("now")))
    return handles


def _latest(incidents: Sequence[Incident], observed: Sequence[ObservedStep] = ()) -> float:
    times = [inc.occurred for inc in incidents]
    times += [
        t
        for inc in incidents
        for s in inc.steps.values()
        for t in (s.started, s.done)
        if t is not None
    ]
    times += [
        t for inc in incidents for t in (inc.detected, inc.restored, inc.closed) if t is not None
    ]
    times += [o.done for o in observed]
    return max(times, default=0.0)
