"""The plan as a graph of roles, people, sites, systems, resources and channels.

Why a graph: the questions a drill answers the hard way are questions of paths.
Does every role reach the commander? Which single node, once gone, leaves a channel
with no way to something it needs? The analyses in :mod:`plans.analysis` ask them of
this graph.

Nodes are keyed by the plan's ids (unique across the file). Each node has ``kind``
and ``label`` attributes.

==========  ==================================================================
node kind   what it is
==========  ==================================================================
role        a position in the emergency organisation
person      someone who holds or deputises for a role
site        a working site (``site_kind`` is 'primary' or 'backup')
system      a technical system, standbys included
resource    people/money/materials/information reserve (``resource_kind``)
channel     a service channel customers use
==========  ==================================================================

The graph is a ``MultiDiGraph``; each edge has a ``kind`` (also its key), so one
pair of nodes can be linked in two ways (a role may both report and escalate to
the same role).

=============  =================  ==============================================
edge kind      from -> to         meaning
=============  =================  ==============================================
holds          person -> role     primary holder
deputises      person -> role     deputy; ``order`` 1, 2, ... is the call order
reports_to     role -> role       reporting line
escalates_to   role -> role       escalation line
owns           role -> any        responsible for a site, system or resource
approves       role -> site/sys   must approve the activation of this backup
depends_on     any -> any         needs every such target (AND)
located_at     system -> site     runs at the site, so needs it (AND)
served_at      channel -> site    served there; one working site suffices (OR)
backed_up_by   sys/site/res ->    a standby that can take over (OR)
works_at       person -> site     usual work site
=============  =================  ==============================================
"""

from __future__ import annotations

import networkx as nx

from plans.model import Plan

NODE_KINDS = ("role", "person", "site", "system", "resource", "channel")
EDGE_KINDS = (
    "holds",
    "deputises",
    "reports_to",
    "escalates_to",
    "owns",
    "approves",
    "depends_on",
    "located_at",
    "served_at",
    "backed_up_by",
    "works_at",
)
ESCALATION_EDGES = ("reports_to", "escalates_to")


def _edge(g: nx.MultiDiGraph, u: str, v: str, kind: str, **attrs: object) -> None:
    g.add_edge(u, v, key=kind, kind=kind, **attrs)


def build_graph(plan: Plan) -> nx.MultiDiGraph:
    """Build the plan graph described in the module docstring."""
    g: nx.MultiDiGraph[str] = nx.MultiDiGraph(plan_id=plan.meta.id)
    for person in plan.people:
        g.add_node(person.id, kind="person", label=person.name)
        if person.site:
            _edge(g, person.id, person.site, "works_at")
    for site in plan.sites:
        g.add_node(site.id, kind="site", label=site.name, site_kind=site.kind, seats=site.seats)
    for system in plan.systems:
        g.add_node(system.id, kind="system", label=system.name, holds_data=system.holds_data)
    for res in plan.resources:
        g.add_node(res.id, kind="resource", label=res.name, resource_kind=res.kind)
    for channel in plan.channels:
        g.add_node(channel.id, kind="channel", label=channel.name, online=channel.online)
    for role in plan.roles:
        g.add_node(
            role.id, kind="role", label=role.name, role_kind=role.kind, critical=role.critical
        )
    for role in plan.roles:
        _edge(g, role.holder, role.id, "holds")
        for order, deputy in enumerate(role.deputies, start=1):
            _edge(g, deputy, role.id, "deputises", order=order)
        if role.reports_to:
            _edge(g, role.id, role.reports_to, "reports_to")
        if role.escalates_to:
            _edge(g, role.id, role.escalates_to, "escalates_to")
    for site in plan.sites:
        _add_asset_edges(g, site.id, site.owner, site.depends_on)
        if site.backup_site:
            _edge(g, site.id, site.backup_site, "backed_up_by")
        if site.activation and site.activation.approval_by:
            _edge(g, site.activation.approval_by, site.id, "approves")
    for system in plan.systems:
        _add_asset_edges(g, system.id, system.owner, system.depends_on)
        if system.site:
            _edge(g, system.id, system.site, "located_at")
        if system.standby:
            _edge(g, system.id, system.standby, "backed_up_by")
        if system.activation and system.activation.approval_by:
            _edge(g, system.activation.approval_by, system.id, "approves")
    for res in plan.resources:
        _add_asset_edges(g, res.id, res.owner, ())
        if res.backup:
            _edge(g, res.id, res.backup, "backed_up_by")
    for channel in plan.channels:
        _add_asset_edges(g, channel.id, None, channel.depends_on)
        for site_id in channel.sites:
            _edge(g, channel.id, site_id, "served_at")
    return g


def _add_asset_edges(
    g: nx.MultiDiGraph, node: str, owner: str | None, needs: tuple[str, ...]
) -> None:
    if owner:
        _edge(g, owner, node, "owns")
    for target in needs:
        _edge(g, node, target, "depends_on")


def nodes_of(g: nx.MultiDiGraph, kind: str) -> list[str]:
    """Ids of the nodes of one kind, in insertion order."""
    return [n for n, k in g.nodes(data="kind") if k == kind]


def targets(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Where ``node``'s edges of one kind lead, in insertion order."""
    return [v for _, v, k in g.out_edges(node, keys=True) if k == kind]


def sources(g: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    """Where edges of one kind into ``node`` come from, in insertion order."""
    return [u for u, _, k in g.in_edges(node, keys=True) if k == kind]


def role_people(g: nx.MultiDiGraph, role: str) -> list[str]:
    """Holder first, then deputies in call order."""
    deputies = sorted(
        (
            (d["order"], u)
            for u, _, k, d in g.in_edges(role, keys=True, data=True)
            if k == "deputises"
        ),
    )
    return sources(g, role, "holds") + [u for _, u in deputies]


def escalation_graph(g: nx.MultiDiGraph) -> nx.DiGraph:
    """Roles linked by reporting and escalation lines (one edge per pair)."""
    esc: nx.DiGraph[str] = nx.DiGraph()
    esc.add_nodes_from(nodes_of(g, "role"))
    esc.add_edges_from((u, v) for u, v, k in g.edges(keys=True) if k in ESCALATION_EDGES)
    return esc
