"""Figures of a run: response steps against their limits, queues and service level, KPIs.

Why together: each reads a run's records (or several runs' KPIs) and shares the
run's time axis, in hours of the run or clock time from the scenario's start.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from drills.kpis import duration_text, format_value, spec_for
from i18n import N_, _, current_language
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from reports.aar_records import RUNS
from reports.style import (
    BLACK,
    BLUE,
    GREY,
    LIGHT_GREY,
    ON_TIME,
    RUN_COLOURS,
    TARGET,
    WARNING,
    channel_style,
    colour,
    new_figure,
    no_data,
    time_axis,
)
from sim.engine.metrics import down_intervals, queue_kpis, window_mask
from sim.engine.records import RunRecords
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


def step_gantt(
    incidents: Sequence[Incident], now: float | None = None, start: dt.datetime | None = None
) -> Figure:
    """Each incident's six steps: a bar from start to done (or to ``now`` while open).

    Bars within the step's limit are blue, late ones vermillion; open steps are hatched.
    A black tick marks where each step's limit ran out (start + limit); ticks beyond the
    chart's right edge are not drawn, the limit is in the row's label. Without ``now``,
    open steps run to the latest time the incidents record.
    """
    rows = [
        (inc, name, inc.steps[name])
        for inc in incidents
        for name in STEP_NAMES
        if name in inc.steps
    ]
    fig = new_figure(12, 1.8 + 0.4 * max(len(rows), 3))
    ax = fig.add_subplot()
    end = now if now is not None else _latest(incidents)
    title = _("Response steps against their limits")
    if len(incidents) == 1:
        inc = incidents[0]
        fields = {"incident": inc.id, "event_class": inc.event_class, "level": inc.level}
        if inc.level is not None:
            title = _(
                "Response steps against their limits: {incident} ({event_class}, level {level})"
            ).format(**fields)
        else:
            title = _(
                "Response steps against their limits: {incident} ({event_class}, not graded)"
            ).format(**fields)
    ax.set_title(title)
    if not rows:
        no_data(ax, _("no incident with a response flow"))
        ax.set_xlabel(_("hours into the run"))
        return fig
    labels: list[str] = []
    limits: list[tuple[float, int]] = []
    for y, (inc, name, step) in enumerate(rows):
        prefix = f"{inc.id}: " if len(incidents) > 1 else ""
        step_name = _(STEP_LABELS[name]) if name in STEP_LABELS else name.replace("_", " ")
        row = _("{step} · {owner} · limit {limit}").format(
            step=step_name, owner=step.owner, limit=duration_text(step.limit)
        )
        labels.append(prefix + row)
        if step.started is None:
            ax.text(
                0.01,
                y,
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
            y,
            (finish - step.started) / 60.0,
            left=step.started / 60.0,
            height=0.6,
            color=WARNING if late else ON_TIME,
            alpha=1.0 if step.done is not None else 0.55,
            hatch=None if step.done is not None else "//",
            edgecolor=BLACK,
            linewidth=0.6,
        )
        limits.append((step.started + step.limit, y))
    x_max = max([end] + [t for t, _ in limits if t <= end * 1.5])
    shown = [(t, y) for t, y in limits if t <= x_max]
    if shown:
        ax.scatter(
            [t / 60.0 for t, _ in shown],
            [y for _, y in shown],
            marker="|",
            s=420,
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
    handles = [
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
    if now is not None:
        handles.append(Line2D([], [], color=GREY, linestyle="--", label=_("now")))
    ax.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    return fig


def _latest(incidents: Sequence[Incident]) -> float:
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
    return max(times, default=0.0)


# --- the queues ----------------------------------------------------------------------


def queue_and_service(
    records: RunRecords, plan: Plan, window: float = 30.0, start: dt.datetime | None = None
) -> Figure:
    """Contacts waiting (top) and the rolling service level against its target (bottom).

    Top: contacts waiting in the live queues at each snapshot, in all and by live
    channel. Bottom: each point is the service level of the live contacts that arrived
    in the ``window`` minutes before it (answered within the plan's threshold over
    answered or given up, as :func:`sim.engine.metrics.queue_kpis`), every 5 minutes. Shaded:
    spans when a channel was down (dark), named at the top.
    """
    snaps = records.snapshots
    t = np.asarray(snaps.time, dtype=float)
    end = float(t[-1]) if t.size else records.horizon
    fig = new_figure(12, 7.5)
    top, bottom = fig.subplots(2, 1, sharex=True)
    _down_spans(records, (top, bottom), end)
    live = [c for c, is_live in enumerate(records.channel_live) if is_live]
    if t.size:
        waiting = np.asarray(snaps.waiting, dtype=float).reshape(t.size, -1)
        total = waiting[:, live].sum(axis=1)
        top.plot(t / 60.0, total, color=BLACK, lw=2.0, label=_("all live channels"))
        for c in live:
            top.plot(
                t / 60.0, waiting[:, c], lw=1.3, label=records.channel_ids[c], **channel_style(c)
            )
    else:
        no_data(top, _("no snapshots yet"))
    top.set_title(_("Contacts waiting in the live queues"))
    top.set_ylabel(_("contacts waiting"))
    top.set_ylim(bottom=0)
    top.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    target = plan.targets.service_level
    times, levels = rolling_service_level(records, target.answer_within, window, end)
    bottom.plot(
        times / 60.0,
        levels,
        color=BLUE,
        lw=1.8,
        marker=".",
        markersize=4,
        label=_("service level, last {window}").format(window=human_minutes(window)),
    )
    seconds = target.answer_within * 60
    bottom.axhline(
        target.share,
        color=TARGET,
        lw=1.4,
        linestyle="--",
        label=_("target {share:.0%} within {seconds:g}s").format(
            share=target.share, seconds=seconds
        ),
    )
    bottom.set_title(
        _("Service level over rolling {window} windows (answered within {seconds:g}s)").format(
            window=human_minutes(window), seconds=seconds
        )
    )
    bottom.set_ylabel(_("share answered in time"))
    bottom.set_ylim(0, 1.02)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0))
    bottom.set_xlim(0, max(end, 1.0) / 60.0)
    time_axis(bottom, end, start)
    handles, names = bottom.get_legend_handles_labels()
    if any(down_intervals(records, c) for c in range(len(records.channel_ids))):
        down = _("a channel down")
        handles.append(Patch(facecolor=GREY, alpha=0.3, label=down))
        names.append(down)
    bottom.legend(
        handles, names, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False
    )
    for ax in (top, bottom):
        ax.grid(color=LIGHT_GREY, lw=0.6)
    return fig


def rolling_service_level(
    records: RunRecords, threshold: float, window: float, end: float, step: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """(window end times, service level of the live contacts that arrived in the window).

    NaN where no live contact in the window was answered or gave up.
    """
    if end <= 0:
        return np.zeros(0), np.zeros(0)
    first = min(window, end)
    times = np.arange(first, end + 1e-9, step)
    levels = np.array(
        [
            queue_kpis(records, window_mask(records, max(0.0, x - window), x), threshold)[
                "service_level"
            ]
            for x in times
        ]
    )
    return times, levels


def _down_spans(records: RunRecords, axes: Sequence[Axes], end: float) -> None:
    """Shade when channels were down, one span per distinct interval, named on the top axes."""
    spans: dict[tuple[float, float], list[str]] = {}
    for c, cid in enumerate(records.channel_ids):
        for a, b, _back in down_intervals(records, c):
            if a < end:
                spans.setdefault((a, min(b, end)), []).append(cid)
    for (a, b), names in sorted(spans.items()):
        for ax in axes:
            ax.axvspan(a / 60.0, b / 60.0, color=GREY, alpha=0.22, lw=0)
        top = axes[0]
        top.text(
            (a + b) / 120.0,
            0.98,
            _("down: {channels}").format(channels=_(", ").join(names)),
            transform=top.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
        )


# --- comparing runs ------------------------------------------------------------------


def compare_bars(
    rows: Mapping[str, Mapping[str, float | None]],
    metrics: Sequence[str],
    targets: Mapping[str, float | None] | None = None,
) -> Figure:
    """One small chart per KPI, a bar per run, the value written on each bar.

    ``rows`` maps a run's name ('room', 'plan', 'none', ...) to its KPI values; a KPI
    missing or undefined for a run shows 'n/a'. ``targets`` draws a dashed target line
    where one is given. One chart per KPI because their scales differ (a share, minutes,
    a count); the runs keep their colour across charts.
    """
    runs = list(rows)
    n = max(len(metrics), 1)
    nrows = math.ceil(n / 5)
    cols = math.ceil(n / nrows)
    fig = new_figure(3.1 * cols + 1.2, 3.0 * nrows + 0.6)
    grid = fig.subplots(nrows, cols, squeeze=False)
    axes = list(grid.flat)
    for extra in axes[len(metrics) :]:
        fig.delaxes(extra)
    colours = [RUN_COLOURS.get(run, colour(i)) for i, run in enumerate(runs)]
    for ax, key in zip(axes, metrics, strict=False):
        spec = spec_for(key)
        values = [_value(rows[run].get(key)) for run in runs]
        heights = [0.0 if v is None else v for v in values]
        bars = ax.bar(range(len(runs)), heights, color=colours, edgecolor=BLACK, linewidth=0.6)
        ax.bar_label(bars, labels=[format_value(key, v) for v in values], fontsize=8, padding=2)
        ax.set_xticks(range(len(runs)), [_run_label(run) for run in runs])
        ax.set_title(_(spec.label), fontsize=10)
        ax.set_ylabel(_(spec.axis_label()))
        target = _value((targets or {}).get(key))
        if target is not None:
            ax.axhline(target, color=TARGET, linestyle="--", lw=1.2)
        top = max([*heights, target or 0.0, 1e-9]) * 1.25
        ax.set_ylim(0, min(top, 1.05) if spec.unit == "share" else top)
        if spec.unit == "share":
            ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if top >= 0.06 else 1))
        if spec.unit == "count":
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color=LIGHT_GREY, lw=0.6)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=c, edgecolor=BLACK, label=_run_label(r))
        for r, c in zip(runs, colours, strict=True)
    ]
    if targets and any(_value(targets.get(k)) is not None for k in metrics):
        handles.append(Line2D([], [], color=TARGET, linestyle="--", label=_("target")))
    fig.legend(
        handles=handles, loc="outside right upper", fontsize=9, frameon=False, title=_("runs")
    )
    fig.suptitle(_("KPIs by run"))
    return fig


def _run_label(run: str) -> str:
    """A run as the bar charts name it: its id in English ('room', 'plan', 'none'), the
    debrief's name for it in another language (ids mean nothing to a Chinese reader)."""
    if current_language() == "en" or run not in RUNS:
        return run
    return _(RUNS[run])


def _value(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
