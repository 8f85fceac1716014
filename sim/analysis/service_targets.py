"""The targets of a plan judged per service: channel goals, ASA, availability, tiers.

Why a module of its own: these come from the plan's ``service_goals``,
``recovery_tiers``, its systems that hold data and the manual's 4.1 figures, one
check per channel or system; :func:`sim.analysis.targets.plan_targets` appends them
to the plan-wide targets (whose keys and figures stay as they were).

Targets a run cannot judge say why (``Check.unjudged``): long-run availability
without a failed system (no failure rate to scale by), and 4.1's satisfaction and
efficiency, which drillsim does not simulate.
"""

from __future__ import annotations

from i18n import N_, _
from plans.model import Plan
from plans.types import human_minutes
from sim.analysis.checks import Check

NO_MTBF = N_(
    "not judged: the scenario fails no system, so no mean time between failures "
    "says how often its kind of event recurs"
)
NOT_SIMULATED = {
    "satisfaction": N_("not simulated: drillsim has no model of customer satisfaction"),
    "efficiency": N_("not simulated: the manual does not define efficiency as a figure a run has"),
}
"""Why 4.1's satisfaction and efficiency targets are never judged (README, targets)."""
TIER_TEXTS = {
    "rto": N_("RTO of {service} <= {limit} ({tier})"),
    "mtd": N_("longest outage of {service} <= {limit}, its maximum tolerable downtime ({tier})"),
}
TICKET_CHANNEL = N_("not judged: channel {channel} makes tickets; no one waits on the line")


def _goal_checks(plan: Plan) -> list[Check]:
    """Each live channel's answer-time goal and ASA target (4.1: within 30 s)."""
    t = plan.targets
    out: list[Check] = []
    for channel in plan.channels:
        goal = t.service_goals.get(channel.id)
        live = channel.effective_mode() == "live"
        why = "" if live else _(TICKET_CHANNEL).format(channel=channel.id)
        if goal is not None:
            label = _("service level on {channel} >= {share:.0%} (answered within {limit})").format(
                channel=channel.id, share=goal.share, limit=_seconds(goal.answer_within)
            )
            if goal.short_abandon is not None:
                label = _("{target}, abandons within {limit} left out").format(
                    target=label, limit=_seconds(goal.short_abandon)
                )
            kpi = f"goal.{channel.id}.service_level"
            out.append(Check(f"service_level.{channel.id}", kpi, ">=", goal.share, label, "", why))
        asa = goal.asa if goal is not None and goal.asa is not None else None
        if asa is None and channel.online and live:
            asa = t.asa
        if asa is not None:
            out.append(
                Check(
                    f"asa.{channel.id}",
                    f"channel.{channel.id}.asa",
                    "<=",
                    asa,
                    _("average speed of answer on {channel} <= {limit} (manual 4.1)").format(
                        channel=channel.id, limit=_seconds(asa)
                    ),
                    "",
                    why,
                )
            )
    return out


def _seconds(minutes: float) -> str:
    """'30s' below two minutes (answer times are spoken of in seconds), else '10m'."""
    if minutes < 2:
        return _("{seconds:g}s").format(seconds=round(minutes * 60, 3))
    return human_minutes(minutes)


def _tier_checks(plan: Plan) -> list[Check]:
    """Per-service RTO and maximum tolerable downtime by recovery tier; RPO per data system."""
    t = plan.targets
    channels = {c.id for c in plan.channels}
    out: list[Check] = []
    for tier in t.recovery_tiers:
        for service in tier.services:
            prefix = f"channel.{service}" if service in channels else f"system.{service}"
            rto = tier.rto if tier.rto is not None else t.rto
            for name, limit in (("rto", rto), ("mtd", tier.mtd)):
                text = TIER_TEXTS[name]
                if limit is not None:
                    out.append(
                        Check(
                            f"{name}.{service}",
                            f"{prefix}.rto",
                            "<=",
                            limit,
                            _(text).format(
                                service=service, limit=human_minutes(limit), tier=tier.id
                            ),
                            open_kpi=f"{prefix}.not_restored_for",
                        )
                    )
    for system in plan.systems:
        if not system.holds_data:
            continue
        holder = t.tier_of(system.id)
        limit = holder.rpo if holder is not None and holder.rpo is not None else t.rpo
        where = holder.id if holder is not None else _("plan")
        out.append(
            Check(
                f"rpo.{system.id}",
                f"system.{system.id}.rpo",
                "<=",
                limit,
                _("RPO of {service} <= {limit} ({tier})").format(
                    service=system.id, limit=human_minutes(limit), tier=where
                ),
            )
        )
    return out


def service_checks(plan: Plan) -> list[Check]:
    """The targets added by issue 15: channel goals, ASA, long-run service availability,
    per-service RTO / maximum downtime / RPO, and the 4.1 targets no run measures."""
    t = plan.targets
    out = _goal_checks(plan)
    if t.service_availability is not None:
        out.append(
            Check(
                "service_availability",
                "availability",
                ">=",
                t.service_availability,
                _("long-run availability of every channel >= {share:.2%} (manual 4.1)").format(
                    share=t.service_availability
                ),
                unjudged=_(NO_MTBF),
            )
        )
    out += _tier_checks(plan)
    for name in ("satisfaction", "efficiency"):
        value = getattr(t, name)
        if value is not None:
            out.append(
                Check(
                    name,
                    name,
                    ">=",
                    value,
                    _("{target} >= {share:.0%} (manual 4.1)").format(
                        target=_(TARGET_WORDS[name]), share=value
                    ),
                    unjudged=_(NOT_SIMULATED[name]),
                )
            )
    return out


TARGET_WORDS = {"satisfaction": N_("customer satisfaction"), "efficiency": N_("efficiency")}
