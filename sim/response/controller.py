"""The plan played out inside the run: the six steps of SOURCE.md 7.2.

An event in the scenario becomes an *incident* of the plan's matching event class
(events of the same class while one is open join it). Then, by policy:

* **discovery and report**: a monitored failure raises an alarm after the plan's
  ``alarm_delay``; anything else (a surge, absence, an unmonitored system) is noticed
  by the duty manager's watch when queues, abandonment or staffing cross the plan's
  notice thresholds. The step's owner is called and files the report.
* **assessment and grading**: the owner of the step is reached and grades the
  incident by the plan's criteria on what the run shows at that moment (capacity
  lost, channels down, sites lost, expected outage, data at risk, breach, queue,
  abandonment, urgent requests waiting). The watch re-grades; a level only rises.
* **activation**: the level's lead and team and the step's owner are called through
  the role graph (:mod:`sim.response.reach`); each answers when they answer.
* **handling**: the plan's actions for the class and level run when their owner is
  reached, each taking its time: backups (approval, activation time, failed attempts
  and retries), reserves, redeployment, notices, callbacks, isolation, escalation.
* **tracking**: the incident is restored when every channel, system and site works
  at its required capacity again, by repair or by backup; then closed.
* **review**: every step is time-stamped for the debrief; the review itself falls
  after the run.

Policies: ``plan`` acts all of this out; ``scripted`` (and a drill room) gets alarms
and reports, then acts only on decisions (declaring a level notifies its team);
``none`` records the discovery and nothing more, so only repair restores service.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

import simpy

from i18n import N_
from sim.response.actions import DEFAULT_DEFLECTION, MAX_ATTEMPTS
from sim.response.centre import Centre
from sim.response.decisions import (
    ACCEPTED,
    POLICIES,
    Decision,
    DecisionScript,
    Policy,
    Reason,
    Verdict,
    check_target,
    plan_allows,
)
from sim.response.incidents import ActionLog, Incident, ResponseRecord
from sim.response.steps import DEFAULT_CLASS, IncidentFlow

__all__ = [
    "DEFAULT_CLASS",
    "DEFAULT_DEFLECTION",
    "MAX_ATTEMPTS",
    "POLICIES",
    "Policy",
    "ResponseController",
]


class ResponseController(IncidentFlow):
    """Plays the plan's response on a simulation, by policy, and takes decisions.

    Built in layers, each in its own module: reaching people (:mod:`sim.response.reach`),
    the actions (:mod:`sim.response.actions`), the six steps
    (:mod:`sim.response.steps`); this class adds the state and the room's decisions.
    """

    def __init__(self, sim: Centre, policy: Policy, script: DecisionScript | None = None) -> None:
        self.sim = sim
        self.plan = sim.plan
        self.env = sim.env
        self.policy = policy
        self.record = ResponseRecord(policy)
        self._reached: dict[str, simpy.Event] = {}
        self._pending: list[Incident] = []
        self._reserves_called: set[str] = set()
        self._activating: set[str] = set()
        self._trouble = False
        self._abandoned_seen = 0
        self._settled_seen = 0
        self.env.process(self._watch())
        for d in sorted(script.decisions if script else (), key=lambda d: d.at):
            decision = Decision(**d.model_dump(exclude={"at"}))
            sim.at(d.at, partial(self.decide, decision))

    # --- decisions from outside ----------------------------------------------------------

    def decide(self, decision: Decision) -> Verdict:
        """Take a decision now, or refuse it with a reason and change nothing."""
        verdict = self._judge(decision)
        self.record.decisions.append((self.sim.now, decision, verdict))
        self.sim.log(
            "decision",
            decision.action,
            target=decision.target,
            level=decision.level,
            by=decision.by,
            accepted=verdict.accepted,
            reason=verdict.reason,
        )
        if not verdict.accepted:
            return verdict
        incident = [i for i in self.open_incidents() if i.detected is not None][-1]
        if decision.action == "declare_level":
            assert decision.level is not None
            if incident.level is None or decision.level < incident.level:
                self._set_level(incident, decision.level, decision.by or "room")
            else:
                incident.levels.append((self.sim.now, decision.level, decision.by or "room"))
                incident.level = decision.level
        elif decision.action == "close":
            self.close(incident, decision.by or "room")
        else:
            if (
                incident.steps.get("handle_coordinate")
                and incident.steps["handle_coordinate"].started is None
            ):
                incident.steps["handle_coordinate"].started = self.sim.now
            self._claim(decision.action, decision.target)
            incident.actions.append(
                ActionLog(self.sim.now, decision.action, decision.target, "room", "started")
            )
            self.env.process(self._room_action(incident, decision))
        return verdict

    def _room_action(
        self, incident: Incident, decision: Decision
    ) -> Generator[simpy.Event, Any, None]:
        yield from self._execute(incident, decision.action, decision.target, "room")
        self._handled(incident)

    def _judge(self, decision: Decision) -> Verdict:
        wrong = check_target(self.plan, decision)
        if wrong:
            return Verdict(False, wrong)
        incidents = [i for i in self.open_incidents() if i.detected is not None]
        if not incidents:
            return Verdict(
                False,
                Reason(
                    N_("no event has been detected and reported yet, or the last one was closed")
                ),
            )
        incident = incidents[-1]
        not_allowed = plan_allows(self.plan, incident.event_class, decision)
        if not_allowed:
            return Verdict(False, not_allowed)
        if (
            decision.action == "activate_backup"
            and decision.target in self.sim.infra.active_backups
        ):
            return Verdict(
                False, Reason(N_("'{target}' is already active"), target=decision.target)
            )
        if decision.action == "call_in_reserves" and decision.target in self._reserves_called:
            return Verdict(
                False,
                Reason(
                    N_("the reserve pool '{target}' has already been called in"),
                    target=decision.target,
                ),
            )
        if decision.action == "activate_backup" and decision.target in self._activating:
            return Verdict(
                False, Reason(N_("'{target}' is already being activated"), target=decision.target)
            )
        if decision.action == "declare_level" and incident.closed is not None:
            return Verdict(False, Reason(N_("the event is closed")))
        return Verdict(True, Reason(ACCEPTED))
