"""The response flow: incidents, detection, the six steps, grading, tracking, closing.

Why apart from the actions and the room: this is the order of the plan (SOURCE.md
7.2), read as one story from an event to a closed incident; the actions it starts
are in :mod:`sim.response.actions`, decisions from outside in
:mod:`sim.response.controller`. See that module for the policies.
"""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

import simpy

from plans.flows import Action
from sim.response.actions import PlanActions
from sim.response.decisions import Policy
from sim.response.grading import grade_level
from sim.response.incidents import Incident, StepTime

DEFAULT_CLASS = {
    "outage": "system_failure",
    "data_loss": "system_failure",
    "disaster": "disaster",
    "security_incident": "security_incident",
    "complaint_surge": "complaint_surge",
    "staff_absence": "staff_shortage",
}


class IncidentFlow(PlanActions):
    """Opens incidents, detects them, plays the six steps and closes them."""

    # set by the controller; declared for the type checker only
    policy: Policy
    _pending: list[Incident]
    _abandoned_seen: int
    _settled_seen: int

    # --- incidents and detection -------------------------------------------------------

    def activating(self) -> set[str]:
        """Backups being brought up right now."""
        return set(self._activating)

    def open_incidents(self) -> list[Incident]:
        """Incidents not yet closed, oldest first."""
        return [i for i in self.record.incidents if i.closed is None]

    def event_started(self, event: Any) -> None:
        """A scenario event began: open or join an incident, and arrange its detection."""
        cls = event.event_class or self._class_for(event.kind)
        incident = next((i for i in self.open_incidents() if i.event_class == cls), None)
        if incident is None:
            incident = Incident(f"incident_{len(self.record.incidents) + 1}", cls, self.sim.now)
            flow = self.plan.flow_for(cls)
            if flow is not None:
                incident.steps = {s.step: StepTime(s.step, s.owner, s.limit) for s in flow.steps}
                incident.steps["discover_report"].started = self.sim.now
            self.record.incidents.append(incident)
        incident.events.append(event.id)
        if incident.detected is None:
            if self._alarmed(event):
                self.sim.at(
                    self.sim.now + self.plan.response.alarm_delay,
                    lambda: self._detect(incident, "alarm"),
                )
            elif incident not in self._pending:
                self._pending.append(incident)

    def _class_for(self, kind: str) -> str:
        wanted = DEFAULT_CLASS.get(kind, kind)
        match = next((e.id for e in self.plan.event_classes if e.kind == wanted), None)
        return match or wanted

    def _alarmed(self, event: Any) -> bool:
        if event.kind in {"disaster", "security_incident", "data_loss"}:
            return True
        if event.kind == "outage":
            system = next((s for s in self.plan.systems if s.id == event.target), None)
            return system is None or system.monitored
        return False

    def _detect(self, incident: Incident, how: str) -> None:
        if incident.detected is not None:
            return
        incident.detected, incident.detected_by = self.sim.now, how
        if incident in self._pending:
            self._pending.remove(incident)
        self.sim.log(
            "detected",
            incident.id,
            event_class=incident.event_class,
            by=how,
            events=list(incident.events),
        )
        if incident.steps and self.policy != "none":
            self.env.process(self._play(incident))

    def _watch(self) -> Generator[simpy.Event, Any, None]:
        """The duty manager's round: notice trouble, and re-grade open incidents."""
        settings = self.plan.response
        while True:
            yield self.env.timeout(settings.watch_interval)
            state = self.state()
            trouble = (
                state["queue_length"] >= settings.notice_queue
                or state["abandonment_rate"] >= settings.notice_abandonment
                or 1.0 - state["capacity_lost_share"] < settings.notice_staffing
            )
            self._trouble = trouble
            if trouble:
                for incident in list(self._pending):
                    self._detect(incident, "watch")
            if self.policy == "plan":
                for incident in self.open_incidents():
                    if incident.level is not None:
                        self._set_level(incident, self.grade(incident, state), "plan")
                        self._recheck(incident)

    # --- the six steps -----------------------------------------------------------------

    def _play(self, incident: Incident) -> Generator[simpy.Event, Any, None]:
        flow = self.plan.flow_for(incident.event_class)
        assert flow is not None
        steps = incident.steps
        s1 = flow.step("discover_report")
        yield self.reach(s1.owner)
        yield self.env.timeout(s1.effort)
        steps["discover_report"].done = self.sim.now
        self.sim.log(
            "reported",
            incident.id,
            event_class=incident.event_class,
            owner=s1.owner,
            scope=self._scope(),
            events=list(incident.events),
        )
        steps["assess_grade"].started = self.sim.now
        s2 = flow.step("assess_grade")
        yield self.reach(s2.owner)
        yield self.env.timeout(s2.effort)
        if self.policy == "plan":
            self._set_level(incident, self.grade(incident, self.state()), "plan")

    def _set_level(self, incident: Incident, level: int, by: str) -> None:
        """Declare or raise the level; the first declaration starts the activation step."""
        if incident.level is not None and level >= incident.level:
            return
        first = incident.level is None
        incident.level = level
        incident.levels.append((self.sim.now, level, by))
        self.sim.log("level", incident.id, level=level, by=by)
        steps = incident.steps
        if not steps:
            return
        if first:
            steps["assess_grade"].done = self.sim.now
            steps["activate"].started = self.sim.now
        self.env.process(self._activate(incident, level, first))

    def _activate(
        self, incident: Incident, level: int, first: bool
    ) -> Generator[simpy.Event, Any, None]:
        flow = self.plan.flow_for(incident.event_class)
        assert flow is not None
        spec = next(lv for lv in self.plan.levels if lv.level == level)
        s3 = flow.step("activate")
        team = list(dict.fromkeys([spec.response.lead, *spec.response.team, s3.owner]))
        yield self.env.all_of([self.reach(r) for r in team])
        if first:
            yield self.env.timeout(s3.effort)
            incident.steps["activate"].done = self.sim.now
            if (
                incident.steps["handle_coordinate"].started is None
            ):  # the room may have acted already
                incident.steps["handle_coordinate"].started = self.sim.now
        if self.policy != "plan":
            return
        actions = [
            a
            for s in flow.steps
            for a in s.actions
            if level in a.levels and not self._taken(incident, a)
        ]
        runs = [
            self.env.process(
                self._run_plan_action(incident, a, flow.step("handle_coordinate").owner)
            )
            for a in actions
        ]
        if runs:
            yield self.env.all_of(runs)
        self._handled(incident)

    def _taken(self, incident: Incident, action: Action) -> bool:
        return any(
            a.action == action.action
            and a.target == action.target
            and a.by == "plan"
            and a.status != "not needed"
            for a in incident.actions
        )

    def _recheck(self, incident: Incident) -> None:
        """Start plan actions that were not needed before but are now (the event grew)."""
        flow = self.plan.flow_for(incident.event_class)
        if flow is None or incident.level is None or incident.steps["activate"].done is None:
            return
        owner = flow.step("handle_coordinate").owner
        for action in (a for s in flow.steps for a in s.actions):
            if (
                incident.level in action.levels
                and not self._taken(incident, action)
                and self._needed(action)
            ):
                self.env.process(self._run_plan_action(incident, action, owner))

    def _handled(self, incident: Incident) -> None:
        step = incident.steps.get("handle_coordinate")
        if step is not None and step.started is not None:
            step.done = self.sim.now
            if incident.steps["track_feedback"].started is None:
                incident.steps["track_feedback"].started = self.sim.now
            self.services_changed()

    # --- grading -----------------------------------------------------------------------

    def state(self) -> dict[str, float]:
        """What the run shows now, in the terms of the plan's grading criteria."""
        sim = self.sim
        planned = sim.planned_agents_total()
        working = sum(sim.g_staffed[g] for g in range(sim.planned_groups))
        settled = sim.n_answered + sim.n_abandoned
        recent = settled - self._settled_seen
        abandonment = (sim.n_abandoned - self._abandoned_seen) / recent if recent else 0.0
        self._settled_seen, self._abandoned_seen = settled, sim.n_abandoned
        return {
            "capacity_lost_share": max(0.0, 1.0 - working / planned) if planned else 0.0,
            "channels_down": float(sum(not up for up in sim.up)),
            "sites_lost": float(
                sum(
                    not sim.infra.site_working(s.id) for s in self.plan.sites if s.kind == "primary"
                )
            ),
            "queue_length": float(sum(sim.waiting)),
            "abandonment_rate": abandonment,
            "urgent_waiting": float(sim.urgent_waiting()),
        }

    def grade(self, incident: Incident, state: dict[str, float]) -> int:
        """The most severe level whose criteria are met (3 when none is)."""
        facts = dict(state)
        events = [self.sim.scenario.event(e) for e in incident.events]
        lengths = [self.sim.disruptions.expected_length(e) for e in events]
        facts["expected_outage"] = max([x for x in lengths if x is not None], default=0.0)
        facts["data_at_risk"] = float(
            any(getattr(e, "data_at_risk", False) or e.kind == "data_loss" for e in events)
        )
        facts["security_breach"] = float(any(e.kind == "security_incident" for e in events))
        return grade_level(self.plan, facts)

    def _scope(self) -> dict[str, Any]:
        sim = self.sim
        return {
            "channels_down": [c for c, up in zip(sim.channel_ids, sim.up, strict=True) if not up],
            "not_working": sorted(name for name, ok in sim.service_states().items() if not ok),
        }

    # --- tracking and closing ----------------------------------------------------------

    def services_changed(self) -> None:
        """Called after every change of service state: close the loop on restored incidents."""
        if self.policy == "none":
            return
        all_ok = all(self.sim.service_states().values())
        for incident in self.open_incidents():
            if incident.detected is None or not all_ok or not incident.steps:
                continue
            track = incident.steps["track_feedback"]
            if track.started is None or incident.restored is not None:
                continue
            incident.restored = self.sim.now
            flow = self.plan.flow_for(incident.event_class)
            assert flow is not None
            effort = flow.step("track_feedback").effort
            self.sim.at(self.sim.now + effort, partial(self._tracked, incident))

    def _tracked(self, incident: Incident) -> None:
        incident.steps["track_feedback"].done = self.sim.now
        if self.policy == "plan":
            self.close(incident, "plan")

    def close(self, incident: Incident, by: str) -> None:
        """Close an incident: channels back to normal, isolation lifted, review due."""
        sim = self.sim
        incident.closed = sim.now
        for c in range(len(sim.channel_ids)):
            sim.mode[c] = "normal"
            sim.deflect[c] = 0.0
        sim.cause = "close"
        for system in incident.isolated:
            sim.set_down(system, 1.0, False)
        incident.isolated.clear()
        if incident.steps:
            if (
                incident.steps["track_feedback"].done is None
                and incident.steps["track_feedback"].started is not None
            ):
                incident.steps["track_feedback"].done = sim.now
            incident.steps["review_improve"].started = sim.now
        sim.log("closed", incident.id, by=by)
        sim.refresh()

    def security_cleared(self) -> None:
        """The attack is over: isolated systems may come back."""
        for incident in self.open_incidents():
            for system in incident.isolated:
                self.sim.set_down(system, 1.0, False)
            incident.isolated.clear()
