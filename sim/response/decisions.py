"""Decisions taken from outside the simulation: by a drill room, or from a script file.

Why one vocabulary with the plan: a decision is one of the plan's actions (activate
a backup, call in reserves, redeploy, notify customers, switch a channel, isolate a
system) or one of three command acts (declare a level, escalate to a role, close the
event). A run is then reproducible from plan, scenario, seed and the timed decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from i18n import N_, _, language
from plans.base import StrictModel
from plans.checks import ACTION_TARGETS
from plans.io import load_model
from plans.model import Plan
from plans.types import Duration

Policy = Literal["plan", "scripted", "none"]
"""Who plays the response: the plan itself, a script or a room (decisions only), or nobody."""
POLICIES: tuple[Policy, ...] = ("plan", "scripted", "none")
COMMANDS = ("declare_level", "escalate", "close")
DecisionKind = Literal[
    "activate_backup",
    "call_in_reserves",
    "redeploy_staff",
    "notify_customers",
    "switch_to_callback",
    "switch_to_notice",
    "isolate_systems",
    "declare_level",
    "escalate",
    "close",
]


class Decision(StrictModel):
    """One decision: what, on what, by whom and why."""

    action: DecisionKind
    """A plan action, or declare_level, escalate, close."""
    target: str | None = None
    """Id the action is aimed at (a standby, a reserve pool, a channel, a system, a role)."""
    level: Literal[1, 2, 3] | None = None
    """For declare_level: the level declared."""
    by: str = ""
    """Who decided (a role id or a name)."""
    rationale: str = ""
    """Why, in the decider's words."""


class TimedDecision(Decision):
    """A decision in a script, taken at a run time."""

    at: Duration
    """When, after the scenario start."""


class DecisionScript(StrictModel):
    """A file of timed decisions for the 'scripted' policy."""

    decisions: tuple[TimedDecision, ...] = Field(default=())
    """The decisions, in any order (they are taken in time order)."""


def load_decisions(path: str | Path) -> DecisionScript:
    """Read a decision script; raise :class:`plans.ModelFileError` listing every problem."""
    return load_model(path, DecisionScript)


class Reason(str):
    """A reason in the language in use that can be said again in another language.

    Why a ``str`` that keeps its English template and fields: a drill's log stores
    the reason as it was said, and a replay in another language must still see the
    same verdict (:meth:`in_language`); everything else just reads it as text.
    """

    template: str
    fields: dict[str, object]

    def __new__(cls, template: str, **fields: object) -> Reason:
        obj = super().__new__(cls, _(template).format(**fields))
        obj.template = template
        obj.fields = fields
        return obj

    def __reduce__(self) -> tuple[object, ...]:
        return (_reason, (self.template, self.fields))

    def in_language(self, lang: str) -> str:
        """The same reason in ``lang``."""
        with language(lang):
            return _(self.template).format(**self.fields)


def _reason(template: str, fields: dict[str, object]) -> Reason:
    return Reason(template, **fields)


def said_in_any_language(reason: str, stored: object) -> bool:
    """Whether ``stored`` is ``reason`` in one of the languages (a replayed log)."""
    if reason == stored:
        return True
    if not isinstance(reason, Reason):
        return False
    return any(reason.in_language(lang) == stored for lang in ("en", "zh-CN"))


ACCEPTED = N_("accepted")
"""The reason of every accepted decision."""
KIND_PHRASES: dict[tuple[str, ...], str] = {
    ("systems", "sites"): N_("system or site"),
    ("resources",): N_("resource"),
    ("channels", "sites"): N_("channel or site"),
    ("channels",): N_("channel"),
    ("roles",): N_("role"),
    ("systems",): N_("system"),
}
"""What each action may be aimed at, as a reason names it."""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a decision was taken, and if not, why."""

    accepted: bool
    reason: str


def check_target(plan: Plan, decision: Decision) -> str | None:
    """Why the decision's target is wrong for its action, or None when it is right."""
    if decision.action == "declare_level":
        return (
            None
            if decision.level is not None
            else Reason(N_("declare_level needs a level (1, 2 or 3)"))
        )
    if decision.action == "close":
        return None
    if not decision.target:
        return Reason(N_("{action} needs a target"), action=decision.action)
    ids = plan.ids_by_kind()
    allowed = ACTION_TARGETS[decision.action]
    if any(decision.target in ids[kind] for kind in allowed):
        return None
    if any(decision.target in found for found in ids.values()):
        if tuple(allowed) in KIND_PHRASES:
            return Reason(
                N_("'{target}' is not a {kinds}, which {action} needs"),
                target=decision.target,
                kinds=_(KIND_PHRASES[tuple(allowed)]),
                action=decision.action,
            )
        kinds = " or ".join(k.rstrip("s") for k in allowed)  # not for people: unknown kinds
        return Reason(
            N_("'{target}' is not a {kinds}, which {action} needs"),
            target=decision.target,
            kinds=kinds,
            action=decision.action,
        )
    return Reason(N_("unknown id '{target}'"), target=decision.target)


def plan_allows(plan: Plan, event_class: str, decision: Decision) -> str | None:
    """Why the plan's flow for the event class does not allow the action, or None."""
    if decision.action in COMMANDS:
        return None
    flow = plan.flow_for(event_class)
    if flow is None:
        return Reason(
            N_("the plan has no response flow for '{event_class}'"), event_class=event_class
        )
    listed = {(a.action, a.target) for step in flow.steps for a in step.actions}
    if (decision.action, decision.target) in listed:
        return None
    same = sorted(t for a, t in listed if a == decision.action)
    if same:
        return Reason(
            N_(
                "the plan's {event_class} flow has no {action} on '{target}'; "
                "it allows {action} on {allowed}"
            ),
            event_class=event_class,
            action=decision.action,
            target=decision.target,
            allowed=", ".join(same),
        )
    return Reason(
        N_("the plan's {event_class} flow has no {action} on '{target}'"),
        event_class=event_class,
        action=decision.action,
        target=decision.target,
    )
