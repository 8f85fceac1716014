"""Single points of failure: which one loss, alone, leaves a channel unservable.

Why a module of its own: this is the one readiness question asked of the plan graph
(:mod:`plans.graph`) rather than of the plan, and its rule of what "works" (AND over
needs, OR over standbys and sites) is subtle enough to be read and tested by itself.
"""

from __future__ import annotations

from functools import cache

import networkx as nx

from i18n import N_, _, local_text
from plans.findings import Finding
from plans.graph import nodes_of, role_people, sources, targets
from plans.names import join_names


def service_ok(g: nx.MultiDiGraph, node: str, failed: frozenset[str]) -> bool:
    """Whether ``node`` can work with the ``failed`` nodes gone.

    A node works when it is not failed, everything it ``depends_on`` works, its
    ``located_at`` site works and (for a channel) one of its ``served_at`` sites
    works; or when one of its ``backed_up_by`` standbys works and, if that standby
    needs approval, someone is left to approve it. A system ``located_at`` a lost
    site is down even if the site's work moves to a backup site: the system itself
    needs its standby. A dependency cycle counts as not working, so a cycle can never
    hide a failure. People matter here only through the roles that approve a standby;
    their other weaknesses are found by the escalation and deputy checks.
    """

    @cache
    def ok(n: str, visiting: frozenset[str], via_backup: bool = True) -> bool:
        if n in visiting:
            return False
        inside = visiting | {n}
        kind = g.nodes[n]["kind"]
        if kind == "person":
            return n not in failed
        if kind == "role":
            return any(p not in failed for p in role_people(g, n))
        own = (
            n not in failed
            and all(ok(t, inside) for t in targets(g, n, "depends_on"))
            and all(ok(t, inside, False) for t in targets(g, n, "located_at"))
        )
        served = targets(g, n, "served_at")
        if served:
            own = own and any(ok(s, inside) for s in served)
        if own or not via_backup:
            return own
        return any(_standby_usable(s, inside) for s in targets(g, n, "backed_up_by"))

    def _standby_usable(standby: str, visiting: frozenset[str]) -> bool:
        approvers = sources(g, standby, "approves")
        return ok(standby, visiting) and all(ok(a, visiting) for a in approvers)

    return ok(node, frozenset())


NODE_KINDS = {
    "system": N_("system"),
    "site": N_("site"),
    "resource": N_("resource"),
    "person": N_("person"),
}
"""How a kind of node is named in a finding."""


def _label(g: nx.MultiDiGraph, node: str) -> str:
    """The node's name in the language in use (its id when it has none)."""
    return local_text(g.nodes[node].get("label"), fallback=node)


def single_points_of_failure(g: nx.MultiDiGraph) -> list[Finding]:
    """Nodes (system, site, resource, person) whose loss alone stops a channel."""
    channels = nodes_of(g, "channel")
    findings: list[Finding] = []
    broken_at_start = [c for c in channels if not service_ok(g, c, frozenset())]
    for channel in broken_at_start:
        findings.append(
            Finding(
                "spof.unservable",
                "error",
                _(
                    "Channel '{channel}' cannot be served even with nothing failed: "
                    "check its dependencies and sites."
                ).format(channel=_label(g, channel)),
                (channel,),
            )
        )
    candidates = [
        n for n, k in g.nodes(data="kind") if k in {"system", "site", "resource", "person"}
    ]
    for node in candidates:
        lost = [
            c
            for c in channels
            if c not in broken_at_start and not service_ok(g, c, frozenset({node}))
        ]
        if lost:
            kind = g.nodes[node]["kind"]
            findings.append(
                Finding(
                    "spof.node",
                    "error",
                    _(
                        "Single point of failure: losing {kind} '{name}' "
                        "stops channel(s) {channels}, with no standby or other path."
                    ).format(
                        kind=_(NODE_KINDS.get(kind, kind)),
                        name=_label(g, node),
                        channels=join_names([_label(g, c) for c in lost]),
                    ),
                    (node, *lost),
                    {"kind": kind, "channels": lost},
                )
            )
    return findings
