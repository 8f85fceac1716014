"""Figures of a run's queues: contacts waiting and the rolling service level.

Why together: both read a run's snapshots and contact records and share the run's
time axis, in hours of the run or clock time from the scenario's start, on which the
drill's decisions and injects are marked. The step Gantt chart is
:mod:`~reports.gantt_figure`; the KPI bar charts are :mod:`~reports.kpi_bars`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from i18n import _
from plans.model import Plan
from plans.types import human_minutes
from reports.chart_events import ChartEvent, event_tag
from reports.style import (
    BLACK,
    BLUE,
    GREY,
    LIGHT_GREY,
    PURPLE,
    TARGET,
    channel_style,
    new_figure,
    no_data,
    time_axis,
)
from sim.engine.metrics import down_intervals, queue_kpis, window_mask
from sim.engine.records import RunRecords

EVENT_STYLE = {
    "decision": {"color": PURPLE, "linestyle": "-", "lw": 1.1},
    "inject": {"color": BLACK, "linestyle": ":", "lw": 1.1},
}
"""A decision and an inject differ by line style as well as colour."""
TAG_GAP = 0.045
"""Tags closer than this share of the time axis go on separate rows, so none overlap."""


def queue_and_service(
    records: RunRecords,
    plan: Plan,
    window: float = 30.0,
    start: dt.datetime | None = None,
    events: Sequence[ChartEvent] = (),
) -> Figure:
    """Contacts waiting (top) and the rolling service level against its target (bottom).

    Top: contacts waiting in the live queues at each snapshot, in all and by live
    channel. Bottom: each point is the service level of the live contacts that arrived
    in the ``window`` minutes before it (answered within the plan's threshold over
    answered or given up, as :func:`sim.engine.metrics.queue_kpis`), every 5 minutes. Shaded:
    spans when a channel was down (dark), named at the top.

    ``events`` (:func:`reports.chart_events.drill_events`): a vertical line through both
    charts at each decision (solid) and inject (dotted), tagged D1, D2 ... and I1, I2 ...
    above the top chart (tags close in time on rows of their own) and named in full, with
    their time, in the key under the charts.
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
    rows = _mark_events(events, (top, bottom), end)
    top.set_title(_("Contacts waiting in the live queues"), pad=6 + 12 * rows)
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
    if events:
        _event_key(fig, events)
    return fig


def _tag_rows(events: Sequence[ChartEvent], end: float) -> list[int]:
    """Row of each event's tag: the lowest row whose last tag is far enough to the left."""
    last: list[float] = []
    rows = []
    gap = TAG_GAP * max(end, 1.0)
    for ev in events:
        row = next((r for r, x in enumerate(last) if ev.at - x >= gap), len(last))
        if row == len(last):
            last.append(ev.at)
        last[row] = ev.at
        rows.append(row)
    return rows


def _numbered(events: Sequence[ChartEvent]) -> list[tuple[str, ChartEvent]]:
    counts = {"decision": 0, "inject": 0}
    out = []
    for ev in events:
        counts[ev.kind] += 1
        out.append((event_tag(ev.kind, counts[ev.kind]), ev))
    return out


def _mark_events(events: Sequence[ChartEvent], axes: Sequence[Axes], end: float) -> int:
    """Vertical lines through ``axes`` at each event, tags above the first; rows used."""
    shown = [ev for ev in events if ev.at <= end]
    rows = _tag_rows(shown, end)
    for (tag, ev), row in zip(_numbered(shown), rows, strict=True):
        for ax in axes:
            ax.axvline(ev.at / 60.0, zorder=1, **EVENT_STYLE[ev.kind])  # type: ignore[arg-type]
        axes[0].text(
            ev.at / 60.0,
            1.0 + 0.012 + 0.06 * row,
            tag,
            transform=axes[0].get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=EVENT_STYLE[ev.kind]["color"],
            clip_on=False,
        )
    return max(rows, default=-1) + 1


def _event_key(fig: Figure, events: Sequence[ChartEvent]) -> None:
    """The tags in full under the charts: 'D1 T+1h10m: activate_backup crm_standby'."""
    handles = [
        Line2D(
            [],
            [],
            label=_("{tag} T+{at}: {what}").format(tag=tag, at=human_minutes(ev.at), what=ev.text),
            **EVENT_STYLE[ev.kind],  # type: ignore[arg-type]
        )
        for tag, ev in _numbered(events)
    ]
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=2 if len(handles) > 3 else 1,
        fontsize=8,
        frameon=False,
        title=_("decisions (D, solid) and injects (I, dotted)"),
        title_fontsize=8.5,
    )


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
