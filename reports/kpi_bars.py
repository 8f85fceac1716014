"""The debrief's KPI bar charts: one small chart per KPI, a bar per run.

Why its own module: it reads several runs' KPI values, not a run's records, and its
labels (a value on each bar, a run under each, the KPI above) must never overlap in
either language; :func:`compare_bars` sizes and words them so.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator, PercentFormatter

from drills.kpis import format_value, spec_for
from i18n import _, current_language
from plans.types import human_minutes
from reports.aar_records import RUNS
from reports.style import BLACK, LIGHT_GREY, RUN_COLOURS, TARGET, colour, new_figure

CHART_WIDTH = 3.1
"""Inches per KPI chart; the run names under its bars are wrapped to fit it."""
TICK_FONT = 8.0
EM = TICK_FONT / 72.0
"""Inches of one wide (CJK) character at the tick font; a Latin one is about half."""
DURATION_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 2880, 10080)
"""Tick spacings of a duration axis, in minutes, so ticks read '30m', '1h00m', '2h00m'."""


def compare_bars(
    rows: Mapping[str, Mapping[str, float | None]],
    metrics: Sequence[str],
    targets: Mapping[str, float | None] | None = None,
    names: Mapping[str, str] | None = None,
) -> Figure:
    """One small chart per KPI, a bar per run, the value written on each bar.

    ``rows`` maps a run's id ('room', 'plan', 'none', or a variant's name) to its KPI
    values; a KPI missing or undefined for a run shows 'n/a'. ``targets`` draws a dashed
    target line where one is given. ``names``: what the charts call each run (default:
    :func:`_run_label`). One chart per KPI because their scales differ (a share, a
    duration, a count); the runs keep their colour across charts, 'room', 'plan' and
    'none' the debrief's colours. Durations are written as '1h05m' on the bars and the
    axis.

    No label overlaps another: run names are wrapped to the width of their bar (by
    display width, so Chinese wraps too), or turned upright when a word is wider than its
    bar; KPI names are wrapped to the chart's width, and values are turned upright when
    the bars are too narrow for them.
    """
    runs = list(rows)
    n = max(len(metrics), 1)
    nrows = math.ceil(n / 5)
    cols = math.ceil(n / nrows)
    fig = new_figure(CHART_WIDTH * cols + 1.2, 3.0 * nrows + 0.6)
    grid = fig.subplots(nrows, cols, squeeze=False)
    axes = list(grid.flat)
    for extra in axes[len(metrics) :]:
        fig.delaxes(extra)
    colours = [RUN_COLOURS.get(run, colour(i)) for i, run in enumerate(runs)]
    shown = {run: (names or {}).get(run) or _run_label(run) for run in runs}
    per_bar = (CHART_WIDTH - 0.75) / max(len(runs), 1)
    ticks = [wrap(shown[run], per_bar - 0.15) for run in runs]
    upright = per_bar < 0.62
    turned = any(text_width(line) > per_bar - 0.1 for t in ticks for line in t.split("\n"))
    if turned:  # a word wider than its bar: names read upwards, one line each
        ticks = [shown[run] for run in runs]
    for ax, key in zip(axes, metrics, strict=False):
        spec = spec_for(key)
        values = [_value(rows[run].get(key)) for run in runs]
        heights = [0.0 if v is None else v for v in values]
        bars = ax.bar(range(len(runs)), heights, color=colours, edgecolor=BLACK, linewidth=0.6)
        ax.bar_label(
            bars,
            labels=[format_value(key, v) for v in values],
            fontsize=8,
            padding=2,
            rotation=90 if upright else 0,
        )
        ax.set_xticks(range(len(runs)), ticks, fontsize=TICK_FONT, rotation=90 if turned else 0)
        ax.set_title(wrap(_(spec.label), CHART_WIDTH - 0.5, 10.0), fontsize=10)
        ax.set_ylabel(_("duration") if spec.unit == "minutes" else _(spec.axis_label()))
        target = _value((targets or {}).get(key))
        if target is not None:
            ax.axhline(target, color=TARGET, linestyle="--", lw=1.2)
        top = max([*heights, target or 0.0, 1e-9]) * (1.6 if upright else 1.25)
        ax.set_ylim(0, min(top, 1.05) if spec.unit == "share" else top)
        if spec.unit == "share":
            ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0 if top >= 0.06 else 1))
        if spec.unit == "count":
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        if spec.unit == "minutes":
            ax.yaxis.set_major_locator(MultipleLocator(_duration_step(top)))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: human_minutes(x)))
        ax.grid(axis="y", color=LIGHT_GREY, lw=0.6)
    handles: list[Patch | Line2D] = [
        Patch(facecolor=c, edgecolor=BLACK, label=shown[r])
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


def _duration_step(top: float) -> float:
    """The smallest tick spacing from :data:`DURATION_STEPS` giving at most 6 ticks."""
    return next((s for s in DURATION_STEPS if top / s <= 6), DURATION_STEPS[-1])


def text_width(text: str, size: float = TICK_FONT) -> float:
    """About how many inches ``text`` takes at ``size`` points (wide characters count 1 em)."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)
    return ems * size / 72.0


def wrap(text: str, inches: float, size: float = TICK_FONT) -> str:
    """``text`` broken into lines no wider than ``inches``: at spaces, or anywhere in CJK."""
    lines: list[str] = []
    line = ""
    for word in _words(text):
        candidate = line + word if line else word.lstrip()
        if line and text_width(candidate, size) > inches:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line = candidate
    if line:
        lines.append(line.rstrip())
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    """Latin words with their leading space, and every wide character on its own."""
    out: list[str] = []
    for c in text:
        wide = unicodedata.east_asian_width(c) in "WF"
        if not out or wide or c == " " or unicodedata.east_asian_width(out[-1][-1]) in "WF":
            out.append(c)
        else:
            out[-1] += c
    return out
