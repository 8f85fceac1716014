"""The plan graph has the documented node and edge kinds, and nothing else."""

from __future__ import annotations

from plans.graph import EDGE_KINDS, NODE_KINDS, build_graph, escalation_graph, role_people


def test_every_node_and_edge_kind_is_documented(make_plan):
    g = build_graph(make_plan())
    assert {k for _, k in g.nodes(data="kind")} <= set(NODE_KINDS)
    assert {k for _, _, k in g.edges(keys=True)} <= set(EDGE_KINDS)
    import plans.graph as module

    for kind in (*NODE_KINDS, *EDGE_KINDS):
        assert kind in module.__doc__


def test_tiny_plan_graph_known_shape(make_plan):
    g = build_graph(make_plan())
    kinds = dict(g.nodes(data="kind"))
    assert kinds == {
        "ann": "person",
        "bob": "person",
        "cat": "person",
        "main": "site",
        "net": "system",
        "crm": "system",
        "crm_b": "system",
        "phone": "channel",
        "counter": "channel",
        "commander": "role",
        "duty": "role",
        "it": "role",
    }
    edges = {(u, v, k) for u, v, k in g.edges(keys=True)}
    assert {
        ("ann", "commander", "holds"),
        ("cat", "commander", "deputises"),
        ("duty", "commander", "escalates_to"),
        ("it", "duty", "reports_to"),
        ("crm", "main", "located_at"),
        ("crm", "crm_b", "backed_up_by"),
        ("commander", "crm_b", "approves"),
        ("phone", "crm", "depends_on"),
        ("phone", "main", "served_at"),
        ("main", "net", "depends_on"),
        ("it", "crm", "owns"),
    } <= edges
    assert len(edges) == g.number_of_edges()


def test_role_people_in_call_order(make_plan):
    def two_deputies(d):
        d["roles"][0]["deputies"] = ["cat", "bob"]

    g = build_graph(make_plan(two_deputies))
    assert role_people(g, "commander") == ["ann", "cat", "bob"]


def test_escalation_graph_merges_both_lines(make_plan):
    def both(d):
        d["roles"][2]["escalates_to"] = "duty"  # 'it' reports and escalates to 'duty'

    g = build_graph(make_plan(both))
    assert g.number_of_edges("it", "duty") == 2
    esc = escalation_graph(g)
    assert set(esc.edges) == {("duty", "commander"), ("it", "duty")}
