"""The report's chart of a Monte Carlo run's intervals: service level by channel and time.

Why a module of its own: workforce tools read service level per 15- or 30-minute
interval; a journal run with ``--interval`` holds, per channel and interval, the mean
and 95% CI across replications (:func:`sim.analysis.intervals.interval_rows`), and the
report draws them from the journal's plain data alone, as a band per live channel.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from matplotlib.dates import DateFormatter, HourLocator, date2num
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import PercentFormatter

from i18n import _
from reports.aar_model import Block, Figure, Paragraph, png_bytes, png_size
from reports.style import channel_style, new_figure


def interval_chart(rows: list[dict[str, Any]], target: float | None = None) -> MplFigure | None:
    """Mean service level per interval for each channel that has one, with its 95% CI.

    ``rows``: a journal's ``intervals``. None when no channel has a service level.
    """
    series: dict[str, list[tuple[dt.datetime, float, float | None, float | None]]] = {}
    for row in rows:
        figure = row.get("service_level") or {}
        mean = figure.get("mean")
        if mean is None:
            continue
        lo, hi = (figure.get("ci95") or [None, None])[:2]
        when = dt.datetime.fromisoformat(str(row["start"]))
        series.setdefault(str(row["channel"]), []).append((when, mean, lo, hi))
    if not series:
        return None
    fig = new_figure(12, 4.5)
    ax = fig.subplots()
    for i, (channel, points) in enumerate(series.items()):
        style = channel_style(i)
        colour, line = str(style["color"]), str(style["linestyle"])
        x = np.asarray(date2num([p[0] for p in points]), dtype=float)
        ax.plot(x, [p[1] for p in points], lw=1.6, label=channel, color=colour, linestyle=line)
        lows = [p[2] if p[2] is not None else p[1] for p in points]
        highs = [p[3] if p[3] is not None else p[1] for p in points]
        ax.fill_between(x, lows, highs, alpha=0.15, color=colour)
    if target is not None:
        ax.axhline(target, color="#000000", lw=1.0, ls="--", label=_("target"))
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylabel(_("service level (mean, 95% CI)"))
    ax.set_title(_("Service level by interval and channel, over the replications"))
    ax.legend(loc="lower left", fontsize=8)
    ax.xaxis.set_major_locator(HourLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%H:%M"))  # not for people: a time format
    return fig


def interval_blocks(mc: dict[str, Any], target: float | None, number: int) -> list[Block]:
    """The interval chart as figure ``number``, if the journal kept intervals."""
    rows = mc.get("intervals") or []
    fig = interval_chart(rows, target)
    if fig is None:
        return []
    png = png_bytes(fig)
    minutes = mc.get("interval_minutes")
    caption = _("Service level by {minutes:g}-minute interval and channel (mean, 95% CI)").format(
        minutes=float(minutes or 0)
    )
    note = _("All figures by interval are in the journal's intervals and in drillsim run --csv.")
    return [Figure(number, caption, png, *png_size(png)), Paragraph(note, style="muted")]
