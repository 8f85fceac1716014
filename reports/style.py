"""Colours and time axes shared by the figures.

Why the Okabe-Ito palette: its eight colours stay apart for the common kinds of
colour blindness, and it has enough hues for the six node kinds of a plan graph
and the five channels of a centre. Figures add a second cue (marker shape, hatch,
line style) wherever colour alone would carry meaning.
"""

from __future__ import annotations

import datetime as dt

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import AutoLocator, FuncFormatter, MultipleLocator

from i18n import _, current_language, format_time
from reports.aar_model import wall_time
from reports.fonts import register_chart_font

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#999999"
LIGHT_GREY = "#DDDDDD"

CYCLE = (BLUE, ORANGE, GREEN, PURPLE, SKY_BLUE, VERMILLION, YELLOW, BLACK)
"""Okabe-Ito colours in the order series take them."""
CHANNEL_COLOURS = (ORANGE, SKY_BLUE, GREEN, PURPLE, BLUE, VERMILLION, YELLOW)
"""Channels by their place in the plan; black is left for the total."""
CHANNEL_STYLES: tuple[str | tuple[int, tuple[int, ...]], ...] = (
    "-",
    "--",
    "-.",
    ":",
    (0, (5, 1, 1, 1, 1, 1)),
)
"""A second cue for channels, cycling with the colours."""
TARGET = BLACK
"""Target lines: dashed black, so no run or series colour is mistaken for them."""
WARNING = VERMILLION
"""Late, over a limit, below a target."""
ON_TIME = BLUE
"""Within its limit."""
RUN_COLOURS = {"room": VERMILLION, "plan": BLUE, "none": GREY}
"""The debrief's three runs, the same colour in every figure."""


def colour(i: int) -> str:
    """The i-th colour of the palette, cycling."""
    return CYCLE[i % len(CYCLE)]


def channel_style(i: int) -> dict[str, object]:
    """Colour and line style of the i-th channel of the plan."""
    return {
        "color": CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)],
        "linestyle": CHANNEL_STYLES[i % len(CHANNEL_STYLES)],
    }


def new_figure(width: float, height: float) -> Figure:
    """A figure not tied to pyplot's global state (safe in a multi-user server).

    Registers the CJK font first, so Chinese labels draw (DejaVu Sans, then it).
    """
    register_chart_font()
    return Figure(figsize=(width, height), layout="constrained")


def time_axis(ax: Axes, span_minutes: float, start: dt.datetime | None = None) -> None:
    """Label an x axis holding hours of the run: as hours, or as clock time from ``start``.

    The data are always plotted in hours since the start of the run; only the tick
    labels change, so figures of one run line up whichever way they are labelled.
    """
    hours = max(span_minutes, 1.0) / 60.0
    if hours <= 12:
        ax.xaxis.set_major_locator(MultipleLocator(1.0))
    elif hours <= 36:
        ax.xaxis.set_major_locator(MultipleLocator(2.0 if hours <= 24 else 3.0))
    else:
        ax.xaxis.set_major_locator(AutoLocator())
    if start is None:
        ax.set_xlabel(_("hours into the run"))
        return
    lang = current_language()

    def tick(x: float, _pos: object) -> str:
        moment = start + dt.timedelta(hours=float(x))
        return format_time(moment, lang=lang) if hours > 24 else f"{moment:%H:%M}"

    ax.xaxis.set_major_formatter(FuncFormatter(tick))
    ax.set_xlabel(_("clock time (run starts {start})").format(start=wall_time(start)))


def no_data(ax: Axes, message: str) -> None:
    """Say on an empty axes why there is nothing to draw."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=GREY)
