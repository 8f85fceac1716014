"""The plan's graph as a figure: roles, people, sites, systems, resources, channels.

Why its own module: it is the one figure of the plan alone (no run), with its own
styles for node kinds and link kinds; :mod:`reports.layout` places the nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from i18n import N_, _, local_text
from plans.graph import build_graph
from plans.model import Plan
from reports.layout import COLUMNS, plan_layout
from reports.style import (
    BLACK,
    BLUE,
    GREEN,
    LIGHT_GREY,
    ORANGE,
    PURPLE,
    SKY_BLUE,
    VERMILLION,
    new_figure,
)

NODE_STYLE = {
    "person": (SKY_BLUE, "o"),
    "role": (VERMILLION, "s"),
    "system": (BLUE, "D"),
    "resource": (ORANGE, "p"),
    "site": (GREEN, "h"),
    "channel": (PURPLE, "^"),
}
"""Colour and marker of each node kind: two cues, so kinds part without colour."""
NODE_KINDS = {
    "person": N_("person"),
    "role": N_("role"),
    "system": N_("system"),
    "resource": N_("resource"),
    "site": N_("site"),
    "channel": N_("channel"),
}
"""Each node kind as the legend names it."""
EDGE_NAMES = {
    "escalates_to": N_("escalates to"),
    "reports_to": N_("reports to"),
    "backed_up_by": N_("backed up by"),
}
"""The heavy and the standby links as the legend names them."""


@dataclass(frozen=True, slots=True)
class EdgeStyle:
    """How one kind of link is drawn in the plan graph."""

    color: str
    lw: float
    linestyle: Literal["-", "--", "-.", ":"]
    zorder: float
    bulge: tuple[float, float] = (0.2, 0.0)
    """Bow of a link inside a column, inches: (base, per inch of the link's length)."""


EDGE_STYLE = {
    "escalates_to": EdgeStyle(BLACK, 2.2, "-", 2.5, (0.25, 0.13)),
    "reports_to": EdgeStyle(BLACK, 1.3, "--", 2.4, (0.15, 0.07)),
    "backed_up_by": EdgeStyle(GREEN, 1.2, ":", 2.0),
    "works_at": EdgeStyle(LIGHT_GREY, 0.5, "-", 0.5),
}
"""Reporting and escalation lines heavy and black; standbys green; work sites faint."""
OTHER_EDGE = EdgeStyle("#AAAAAA", 0.6, "-", 1.0)
LABEL_CHARS = 28
GRAPH_SIZE = (16.0, 11.0)
INCH_PER_Y = GRAPH_SIZE[1] * 0.85 / 1.11
"""About how many inches one unit of the layout's y spans (axes height over y range)."""


def plan_graph(plan: Plan) -> Figure:
    """The plan's roles, people, sites, systems, resources and channels as one graph.

    Columns by node kind (see :mod:`reports.layout`), colour and marker by
    kind; reporting and escalation lines drawn heavy in black, standbys linked by
    green dotted arcs, every other link thin and grey. Critical roles have a thick
    outline; standby systems, backup sites and reserve resources are hollow.
    """
    g = build_graph(plan)
    pos = plan_layout(g)
    backups = {v for _, v, k in g.edges(keys=True) if k == "backed_up_by"}
    backups |= {s.id for s in plan.sites if s.kind == "backup"}
    fig = new_figure(*GRAPH_SIZE)
    ax = fig.add_subplot()
    for u, v, kind in g.edges(keys=True):
        _draw_edge(ax, pos[u], pos[v], EDGE_STYLE.get(kind, OTHER_EDGE))
    for kind, (fill, marker) in NODE_STYLE.items():
        nodes = [n for n, k in g.nodes(data="kind") if k == kind]
        for hollow in (False, True):
            group = [n for n in nodes if (n in backups) == hollow]
            if not group:
                continue
            crit = [bool(g.nodes[n].get("critical")) for n in group]
            ax.scatter(
                [pos[n][0] for n in group],
                [pos[n][1] for n in group],
                s=[170 if c else 110 for c in crit],
                marker=marker,
                facecolors="white" if hollow else fill,
                edgecolors=[BLACK if c else fill for c in crit] if not hollow else fill,
                linewidths=[2.4 if c else 1.6 for c in crit],
                zorder=3,
            )
    for node, (x, y) in pos.items():
        critical = bool(g.nodes[node].get("critical"))
        ax.text(
            x + 0.05,
            y,
            _short(local_text(g.nodes[node].get("label"), fallback=node)),
            fontsize=7.5,
            va="center",
            fontweight="bold" if critical else "normal",
            zorder=4,
        )
    for x, (title, _kinds) in enumerate(COLUMNS):
        ax.text(x, 1.045, _(title), ha="left", va="bottom", fontsize=10, fontweight="bold")
    ax.set_xlim(-0.35, len(COLUMNS) - 0.2)
    ax.set_ylim(-0.03, 1.08)
    ax.axis("off")
    title = _("Plan graph: {name} (version {version})").format(
        name=local_text(plan.meta.name, fallback=plan.meta.id), version=plan.meta.version
    )
    ax.set_title(title, fontsize=13)
    ax.legend(
        handles=_graph_legend(),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=8.5,
        title=_("Nodes and links"),
        frameon=False,
    )
    return fig


def _short(label: str) -> str:
    """A label without its parenthetical, cut to fit the column."""
    text = label.split(" (")[0] if " (" in label else label
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _draw_edge(ax: Axes, a: tuple[float, float], b: tuple[float, float], style: EdgeStyle) -> None:
    """One arrow; links inside a column bow out to the left, away from the labels.

    The bow, in inches, is ``bulge = (base, per inch of length)``: long links bow a
    little more, so they part from short ones, but not so much (arc3's ``rad`` alone
    grows with the length) that a long escalation line sweeps over the next column.
    """
    rad = 0.0
    if a[0] == b[0]:
        length = max(abs(b[1] - a[1]) * INCH_PER_Y, 1e-6)
        base, per_inch = style.bulge
        rad = min(max(2 * (base + per_inch * length) / length, 0.1), 1.0)
        rad = -rad if b[1] > a[1] else rad
    ax.annotate(
        "",
        xy=b,
        xytext=a,
        arrowprops={
            "arrowstyle": "-|>",
            "mutation_scale": 9,
            "connectionstyle": f"arc3,rad={rad}",
            "color": style.color,
            "lw": style.lw,
            "linestyle": style.linestyle,
            "shrinkA": 5,
            "shrinkB": 6,
        },
        zorder=style.zorder,
    )


def _graph_legend() -> list[Line2D]:
    handles = [
        Line2D(
            [],
            [],
            marker=m,
            linestyle="none",
            markerfacecolor=c,
            markeredgecolor=c,
            markersize=9,
            label=_(NODE_KINDS[kind]),
        )
        for kind, (c, m) in NODE_STYLE.items()
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="s",
            linestyle="none",
            markerfacecolor=VERMILLION,
            markeredgecolor=BLACK,
            markeredgewidth=2.2,
            markersize=10,
            label=_("critical role (thick outline)"),
        ),
        Line2D(
            [],
            [],
            marker="D",
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=BLUE,
            markeredgewidth=1.6,
            markersize=8,
            label=_("standby or backup (hollow)"),
        ),
    ]
    for kind, text in EDGE_NAMES.items():
        s = EDGE_STYLE[kind]
        handles.append(Line2D([], [], color=s.color, lw=s.lw, linestyle=s.linestyle, label=_(text)))
    handles.append(
        Line2D(
            [],
            [],
            color=OTHER_EDGE.color,
            lw=1.0,
            label=_("holds, deputises, owns, depends on, ..."),
        )
    )
    handles.append(Line2D([], [], color=LIGHT_GREY, lw=1.0, label=_("works at")))
    return handles
