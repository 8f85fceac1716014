"""The journal of ``drillsim run`` counts people: customers, attempts, redials, switches, losses.

Run as a user runs it, on the bundled default drill (which turns customers' behaviour
on), and on the frozen copy of the default scenario (behaviour off), where each
customer is one contact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.cli import main

GOLDEN = Path(__file__).parent / "data" / "golden"
PEOPLE = ("customers", "attempts", "redials", "channel_switches", "lost_customers")
CHANNELS = ("phone", "chat", "app", "web", "counter")


def _journal(tmp_path, capsys, *args):
    out = tmp_path / "journal.json"
    status = main(
        ["run", *args, "-n", "12", "--seed", "7", "--backend", "serial", "--json", str(out)]
    )
    assert status == 0, capsys.readouterr().err
    return json.loads(out.read_text())["kpis"]


def test_the_journal_counts_people_overall_and_by_channel(tmp_path, capsys):
    kpis = _journal(tmp_path, capsys)  # the bundled default drill
    keys = [*PEOPLE, *(f"channel.{c}.{k}" for c in CHANNELS for k in PEOPLE)]
    for key in keys:
        summary = kpis[key]
        assert {"mean", "ci95", "p5", "p95", "n"} <= set(summary), key
        assert summary["n"] == 12
        assert summary["p5"] <= summary["mean"] <= summary["p95"] or summary["p5"] == summary["p95"]
    mean = {k: kpis[k]["mean"] for k in PEOPLE}
    assert mean["attempts"] == pytest.approx(
        mean["customers"] + mean["redials"] + mean["channel_switches"]
    )
    assert mean["redials"] > 0 and mean["channel_switches"] > 0  # the CRM outage darkens chat
    assert mean["customers"] == pytest.approx(
        kpis["customers_served"]["mean"]
        + kpis["customers_waiting"]["mean"]
        + kpis["lost_customers"]["mean"]
    )
    for k in PEOPLE:
        assert sum(kpis[f"channel.{c}.{k}"]["mean"] for c in CHANNELS) == pytest.approx(mean[k])


def test_with_behaviour_off_every_customer_is_one_contact(tmp_path, capsys):
    kpis = _journal(
        tmp_path,
        capsys,
        str(GOLDEN / "default_centre.yaml"),
        str(GOLDEN / "crm_outage_monday_peak.yaml"),
    )
    assert kpis["customers"]["mean"] == kpis["attempts"]["mean"] == kpis["offered"]["mean"]
    assert kpis["redials"]["mean"] == kpis["channel_switches"]["mean"] == 0
