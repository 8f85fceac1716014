"""A deterministic, layered layout of the plan graph.

Why not a spring layout: the same plan must look the same in every session and
after every small edit, and a reader scans a plan by kind (who holds which role,
who owns which system, which channel needs which site). So each node kind gets a
column, left to right in the direction of the plan's dependencies:

    people -> roles -> systems and resources -> sites -> channels

and within a column nodes are ordered to keep edges short: roles by the reporting
tree (the commander first, each role's reports after it), people by the roles they
hold or deputise for, systems, resources and sites by their owners with each
standby right after what it backs up, channels by the sites and systems they need.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from i18n import N_
from plans.graph import escalation_graph, nodes_of

COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("People"), ("person",)),
    (N_("Roles"), ("role",)),
    (N_("Systems and resources"), ("system", "resource")),
    (N_("Sites"), ("site",)),
    (N_("Channels"), ("channel",)),
)
"""Column title (translated where drawn) and the node kinds it holds, left to right."""
GROUP_GAP = 1
"""Empty slots between two kinds sharing a column."""

Position = tuple[float, float]


def plan_layout(g: nx.MultiDiGraph) -> dict[str, Position]:
    """Position of every node: x its column's index, y from 1 (top) to 0 (bottom)."""
    slot: dict[str, float] = {}
    roles = _role_order(g)
    _place(slot, roles)
    people = _by_neighbours(g, nodes_of(g, "person"), slot, {"holds": 2.0, "deputises": 1.0})
    _place(slot, people)
    systems = _with_backups(g, _by_neighbours(g, nodes_of(g, "system"), slot))
    resources = _with_backups(g, _by_neighbours(g, nodes_of(g, "resource"), slot))
    _place(slot, systems + resources)
    sites = _with_backups(g, _by_neighbours(g, nodes_of(g, "site"), slot))
    _place(slot, sites)
    channels = _by_neighbours(g, nodes_of(g, "channel"), slot)
    order = {
        "person": people,
        "role": roles,
        "system": systems,
        "resource": resources,
        "site": sites,
        "channel": channels,
    }
    pos: dict[str, Position] = {}
    for x, (_title, kinds) in enumerate(COLUMNS):
        _spread(pos, [order[kind] for kind in kinds if order[kind]], float(x))
    return pos


def _role_order(g: nx.MultiDiGraph) -> list[str]:
    """Depth-first along the reporting lines from the commander down, plan order among peers."""
    esc = escalation_graph(g)
    roles = nodes_of(g, "role")
    tops = [r for r in roles if g.nodes[r].get("role_kind") == "commander"] or roles[:1]
    seen: list[str] = []

    def visit(role: str) -> None:
        if role in seen:
            return
        seen.append(role)
        for below in roles:
            if esc.has_edge(below, role):
                visit(below)

    for top in tops:
        visit(top)
    return seen + [r for r in roles if r not in seen]


def _by_neighbours(
    g: nx.MultiDiGraph,
    nodes: list[str],
    slot: dict[str, float],
    weights: dict[str, float] | None = None,
) -> list[str]:
    """Nodes sorted by the mean slot of their already placed neighbours (barycentre)."""

    def key(item: tuple[int, str]) -> tuple[float, int]:
        i, node = item
        total = count = 0.0
        for other, kind in _neighbours(g, node):
            if other in slot:
                w = (weights or {}).get(kind, 1.0)
                total += w * slot[other]
                count += w
        return (total / count if count else float("inf"), i)

    return [node for _, node in sorted(enumerate(nodes), key=key)]


def _neighbours(g: nx.MultiDiGraph, node: str) -> Iterable[tuple[str, str]]:
    for _, v, kind in g.out_edges(node, keys=True):
        yield v, kind
    for u, _, kind in g.in_edges(node, keys=True):
        yield u, kind


def _with_backups(g: nx.MultiDiGraph, nodes: list[str]) -> list[str]:
    """Each standby or backup moved to just after the first node it backs up."""
    backs = {
        v: u for u, v, k in g.edges(keys=True) if k == "backed_up_by" and u in nodes and v in nodes
    }
    out: list[str] = []

    def put(node: str) -> None:
        if node in out:
            return
        out.append(node)
        for backup, primary in backs.items():
            if primary == node:
                put(backup)

    for node in nodes:
        if node not in backs:
            put(node)
    return out + [n for n in nodes if n not in out]


def _place(slot: dict[str, float], nodes: list[str]) -> None:
    """Provisional slots 0..1 for ordering the next columns."""
    n = max(len(nodes) - 1, 1)
    slot.update({node: i / n for i, node in enumerate(nodes)})


def _spread(pos: dict[str, Position], groups: list[list[str]], x: float) -> None:
    """Spread a column's groups evenly from top to bottom, a gap between groups."""
    slots: list[str | None] = []
    for group in groups:
        if slots:
            slots += [None] * GROUP_GAP
        slots += group
    n = max(len(slots) - 1, 1)
    for i, node in enumerate(slots):
        if node is not None:
            pos[node] = (x, 1.0 - i / n if len(slots) > 1 else 0.5)
