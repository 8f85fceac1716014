"""Seats against staffing: more agents on duty at a site than it has workstations.

Why a readiness check: a roster that puts more people on a site than it has seats
looks fine on paper and fails on the day (and in a run whose scenario binds seats at
every site, the extra agents simply do not work). The same check reads a scenario's
own staffing, so ``drillsim check`` can warn about either.
"""

from __future__ import annotations

from collections.abc import Iterable

from i18n import _, local_text
from plans.findings import Finding
from plans.model import Plan
from plans.schedule import describe_minute

WEEK = 10080

Roster = Iterable[tuple[str, str | None, int]]
"""(site, shift or None for always on duty, agents) for each staff group."""


def peak_on_duty(plan: Plan, roster: Roster) -> dict[str, tuple[int, int]]:
    """Per site, the most agents on duty at once and the first minute of the week it happens."""
    shifts = {s.id: s.window.intervals() for s in plan.shifts}
    groups = list(roster)
    edges = {0}
    for _site, shift, _n in groups:
        for start, end in shifts.get(shift or "", []):
            edges.update((start % WEEK, end % WEEK))
    peak: dict[str, tuple[int, int]] = {}
    for minute in sorted(edges):
        here: dict[str, int] = {}
        for site, shift, agents in groups:
            on = shift is None or any(s <= minute < e for s, e in shifts.get(shift, []))
            if on:
                here[site] = here.get(site, 0) + agents
        for site, n in here.items():
            if n > peak.get(site, (0, 0))[0]:
                peak[site] = (n, minute)
    return peak


def seat_messages(plan: Plan, roster: Roster) -> list[tuple[str, int, int, int, str]]:
    """(site, agents, seats, minute, message) for each site whose staffing exceeds its seats."""
    out = []
    sites = {s.id: s for s in plan.sites}
    for site_id, (agents, minute) in sorted(peak_on_duty(plan, roster).items()):
        site = sites.get(site_id)
        if site is None or agents <= site.seats:
            continue
        message = _(
            "Site '{site}' has {agents} agents on duty at {when} but only {seats} seats; "
            "the others have nowhere to work."
        ).format(
            site=local_text(site.name, fallback=site.id),
            agents=agents,
            when=describe_minute(minute),
            seats=site.seats,
        )
        out.append((site_id, agents, site.seats, minute, message))
    return out


def seat_findings(plan: Plan) -> list[Finding]:
    """The plan's staffing against its sites' seats, and each backup site against the
    staff of the largest site it stands in for."""
    roster = [(g.site, g.shift, g.agents) for g in plan.staffing]
    findings = [
        Finding("seats.exceeded", "warning", message, (site,), {"agents": n, "seats": seats})
        for site, n, seats, _minute, message in seat_messages(plan, roster)
    ]
    peak = peak_on_duty(plan, roster)
    sites = {s.id: s for s in plan.sites}
    for site in plan.sites:
        backup = sites.get(site.backup_site or "")
        agents = peak.get(site.id, (0, 0))[0]
        if backup is None or agents <= backup.seats:
            continue
        findings.append(
            Finding(
                "seats.backup_short",
                "info",
                _(
                    "If '{site}' is lost, its {agents} agents on duty at the busiest time "
                    "exceed the {seats} seats of the backup site '{backup}'."
                ).format(
                    site=local_text(site.name, fallback=site.id),
                    agents=agents,
                    seats=backup.seats,
                    backup=local_text(backup.name, fallback=backup.id),
                ),
                (site.id, backup.id),
                {"agents": agents, "seats": backup.seats},
            )
        )
    return findings
