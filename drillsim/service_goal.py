"""``drillsim run --service-goal phone=0.8/20s``: study another answer-time goal.

Why: a planner asking "and at 80% in 20 s?" should not have to edit the plan; the goal
given replaces the plan's for that channel in this run only (the journal embeds the
plan as run, so the study is on record).
"""

from __future__ import annotations

import argparse
import re

from i18n import _
from plans import Plan
from plans.targets import ServiceGoal
from plans.types import parse_duration

GOAL = re.compile(r"^(?P<channel>[A-Za-z0-9_-]+)=(?P<share>[0-9.]+%?)/(?P<within>\S+)$")


def parse_goal(text: str) -> tuple[str, float, float]:
    """argparse type: 'phone=0.8/20s' or 'phone=80%/20s' -> ('phone', 0.8, 0.333 min)."""
    match = GOAL.match(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(
            _("a service goal reads CHANNEL=SHARE/TIME, e.g. phone=0.8/20s; got '{text}'").format(
                text=text
            )
        )
    raw = match["share"]
    try:
        share = float(raw[:-1]) / 100 if raw.endswith("%") else float(raw)
        within = parse_duration(match["within"])
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text}: {exc}") from None
    if not 0 < share <= 1 or within <= 0:
        raise argparse.ArgumentTypeError(
            _("a service goal needs a share in (0, 1] and a time above zero; got '{text}'").format(
                text=text
            )
        )
    return match["channel"], share, within


def apply_goals(plan: Plan, goals: list[tuple[str, float, float]]) -> tuple[Plan, str | None]:
    """The plan with these goals in place of its own (the rest of each goal kept).

    Returns (plan, None), or (the plan unchanged, why) when a goal names a channel that
    is not a live channel of the plan.
    """
    if not goals:
        return plan, None
    live = {c.id for c in plan.channels if c.effective_mode() == "live"}
    current = dict(plan.targets.service_goals)
    for channel, share, within in goals:
        if channel not in live:
            return plan, _(
                "drillsim: --service-goal {channel}: not a live channel of the plan "
                "(live channels: {channels})"
            ).format(channel=channel, channels=", ".join(sorted(live)))
        old = current.get(channel)
        if old is None:
            current[channel] = ServiceGoal(share=share, answer_within=within)
        else:
            current[channel] = old.model_copy(update={"share": share, "answer_within": within})
    targets = plan.targets.model_copy(update={"service_goals": current})
    return plan.model_copy(update={"targets": targets}), None
