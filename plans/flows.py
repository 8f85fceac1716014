"""The six-step response of SOURCE.md 7.2 for each event class, and how it is played.

Why a module of its own: the step names are the vocabulary of drills, evaluations
and reports, and the consistency rules (:mod:`plans.checks`) check every flow against
them; keeping them here, below the Plan model, lets those rules import them without
importing the model that runs the rules.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from i18n import N_
from plans.base import StrictModel
from plans.grading import Level
from plans.types import ActionTargetRef, Duration, EventClassRef, Probability, RoleRef

STEP_NAMES = (
    "discover_report",
    "assess_grade",
    "activate",
    "handle_coordinate",
    "track_feedback",
    "review_improve",
)
"""The six steps of SOURCE.md 7.2, in the order a flow must list them."""

STEP_LABELS: dict[str, str] = {
    "discover_report": N_("discover_report"),
    "assess_grade": N_("assess_grade"),
    "activate": N_("activate"),
    "handle_coordinate": N_("handle_coordinate"),
    "track_feedback": N_("track_feedback"),
    "review_improve": N_("review_improve"),
}
"""How a step is named in messages: its id in English, the manual's name in Chinese."""

StepName = Literal[
    "discover_report",
    "assess_grade",
    "activate",
    "handle_coordinate",
    "track_feedback",
    "review_improve",
]
ActionKind = Literal[
    "activate_backup",
    "call_in_reserves",
    "redeploy_staff",
    "notify_customers",
    "escalate",
    "switch_to_callback",
    "switch_to_notice",
    "isolate_systems",
]


class Action(StrictModel):
    """An action a step may take (7.2 step 4)."""

    action: ActionKind
    """What is done."""
    target: ActionTargetRef
    """What it is done to: a standby system or backup site, a reserve pool, a channel, a role."""
    owner: RoleRef | None = None
    """Role that carries it out; defaults to the step's owner."""
    levels: tuple[Level, ...] = (1, 2, 3)
    """Levels at which the action is taken."""
    effort: Duration = 0.0
    """Time the action takes once its owner is on it (besides any activation time)."""
    share: Probability | None = None
    """For notify_customers: share of would-be contacts a notice spares (default 0.2).
    For redeploy_staff to a channel: share of on-duty agents who take it up (default 1)."""
    note: str = ""
    """Details in the plan's own words."""


class Step(StrictModel):
    """One of the six response steps, with its owner and time limit."""

    step: StepName
    """Which of the six steps."""
    owner: RoleRef
    """Role that owns the step (7.1: every step has a named owner)."""
    limit: Duration
    """Time allowed for this step from its start."""
    effort: Duration = 0.0
    """Working time the step needs once its owner is reached."""
    actions: tuple[Action, ...] = ()
    """Actions the step may take."""
    description: str = ""
    """The step in the plan's own words."""


class Flow(StrictModel):
    """The six-step response flow for one event class (7.2)."""

    event_class: EventClassRef
    """Event class this flow answers."""
    steps: tuple[Step, ...]
    """The six steps, in order."""

    def step(self, name: str) -> Step:
        """The step with that name (every flow has all six)."""
        return next(s for s in self.steps if s.step == name)


class ResponseSettings(StrictModel):
    """How the simulation plays the response: detection, answering, restoration.

    Why in the plan: these are the centre's own arrangements (how fast its monitoring
    alerts, how often the duty manager watches the queues) and a planner varies them.
    """

    alarm_delay: Duration = 5.0
    """From a monitored failure to the alarm reaching the duty desk."""
    watch_interval: Duration = 15.0
    """How often the duty manager checks queues, abandonment and staffing."""
    notice_queue: Annotated[int, Field(ge=1)] = 40
    """Contacts waiting at which the duty manager notices trouble."""
    notice_abandonment: Probability = 0.15
    """Share abandoning since the last check at which the duty manager notices trouble."""
    notice_staffing: Probability = 0.85
    """Share of planned agents at work below which the duty manager notices trouble."""
    response_time_cv: Annotated[float, Field(ge=0)] = 0.5
    """Spread of people's answering times around the plan's figure (0: exactly the figure)."""
    restored_capacity: Probability = 0.9
    """A service counts as restored when it is up with this share of its planned agents."""
