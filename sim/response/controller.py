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

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Literal

import simpy

from plans.activation import activation_of
from plans.model import Action
from sim.response.decisions import Decision, DecisionScript, Verdict, check_target, plan_allows
from sim.response.grading import grade_level
from sim.response.incidents import ActionLog, Incident, ResponseRecord, StepTime
from sim.response.reach import Reach, reach_role

if TYPE_CHECKING:
    from sim.engine.simulation import Simulation

Policy = Literal["plan", "scripted", "none"]
POLICIES: tuple[Policy, ...] = ("plan", "scripted", "none")
DEFAULT_CLASS = {
    "outage": "system_failure",
    "data_loss": "system_failure",
    "disaster": "disaster",
    "security_incident": "security_incident",
    "complaint_surge": "complaint_surge",
    "staff_absence": "staff_shortage",
}
MAX_ATTEMPTS = 10
DEFAULT_DEFLECTION = 0.2


class ResponseController:
    """Plays the plan's response on a simulation, by policy, and takes decisions."""

    def __init__(
        self, sim: Simulation, policy: Policy, script: DecisionScript | None = None
    ) -> None:
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
            sim.at(d.at, lambda dec=decision: self.decide(dec))

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

    # --- reaching people ---------------------------------------------------------------

    def reach(self, role: str) -> simpy.Event:
        """An event that fires when someone answers for the role (calling them if needed)."""
        if role in self._reached:
            return self._reached[role]
        event = self.env.event()
        self._reached[role] = event
        minute = self.sim.minute_of_week()
        result: Reach = reach_role(self.plan, role, minute, self.sim.streams["responses"])
        self.record.reached[role] = {
            "notified": self.sim.now,
            "reached": self.sim.now + result.delay,
            "person": result.person,
            "via": result.via,
            "calls": [list(c) for c in result.calls],
        }
        if math.isfinite(result.delay):
            self.sim.at(self.sim.now + result.delay, lambda: self._answered(role, result, event))
        else:
            self.sim.log("unreached", role, calls=len(result.calls))
        return event

    def _answered(self, role: str, result: Reach, event: simpy.Event) -> None:
        self.sim.log("reached", role, person=result.person, via=result.via)
        event.succeed()

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

    def _run_plan_action(
        self, incident: Incident, action: Action, step_owner: str
    ) -> Generator[simpy.Event, Any, None]:
        if not self._needed(action) or not self._claim(action.action, action.target):
            incident.actions.append(
                ActionLog(self.sim.now, action.action, action.target, "plan", "not needed")
            )
            return
        incident.actions.append(
            ActionLog(self.sim.now, action.action, action.target, "plan", "started")
        )
        yield self.reach(action.owner or step_owner)
        yield self.env.timeout(action.effort)
        yield from self._execute(incident, action.action, action.target, "plan", action.share)

    def _needed(self, action: Action) -> bool:
        """Whether the plan's action applies to what is wrong now."""
        sim, target = self.sim, action.target
        if action.action == "activate_backup":
            protects = [s.id for s in self.plan.systems if s.standby == target]
            protects += [s.id for s in self.plan.sites if s.backup_site == target]
            idle = target not in sim.infra.active_backups and target not in self._activating
            return idle and any(not sim.service_ok(p) for p in protects)
        if action.action in {"notify_customers", "switch_to_callback", "switch_to_notice"}:
            return self._trouble or not sim.service_ok(target)
        if action.action == "redeploy_staff":
            if target in sim.channel_index:
                return self._trouble or not sim.service_ok(target)
            return any(
                not sim.infra.site_working(s.id) for s in self.plan.sites if s.kind == "primary"
            )
        if action.action == "call_in_reserves":
            short = not all(sim.service_ok(c) for c in sim.channel_ids)
            return target not in self._reserves_called and (self._trouble or short)
        return True

    def _claim(self, action: str, target: str | None) -> bool:
        """Reserve a backup or a reserve pool for one activation or call-in at a time."""
        if action == "activate_backup":
            if target in self._activating or target in self.sim.infra.active_backups:
                return False
            self._activating.add(str(target))
        elif action == "call_in_reserves":
            if target in self._reserves_called:
                return False
            self._reserves_called.add(str(target))
        return True

    # --- doing things ------------------------------------------------------------------

    def _execute(
        self,
        incident: Incident,
        action: str,
        target: str | None,
        by: str,
        share: float | None = None,
    ) -> Generator[simpy.Event, Any, None]:
        sim = self.sim
        assert target is not None
        if action == "activate_backup":
            yield from self._bring_up(incident, target, by)
            return
        if action == "call_in_reserves":
            yield from self._call_in(incident, target, by)
            return
        sim.cause = f"{action} {target}"
        if action == "redeploy_staff":
            self._redeploy(target, share)
        elif action == "notify_customers":
            sim.deflect[sim.channel_index[target]] = DEFAULT_DEFLECTION if share is None else share
        elif action in {"switch_to_callback", "switch_to_notice"}:
            sim.mode[sim.channel_index[target]] = (
                "callback" if action == "switch_to_callback" else "notice"
            )
        elif action == "isolate_systems":
            sim.set_down(target, 1.0, True)
            incident.isolated.append(target)
        elif action == "escalate":
            yield self.reach(target)
        sim.refresh()
        incident.actions.append(ActionLog(sim.now, action, target, by, "done"))
        sim.log(action, target, incident=incident.id, by=by)

    def _bring_up(
        self, incident: Incident, target: str, by: str
    ) -> Generator[simpy.Event, Any, None]:
        sim = self.sim
        activation = activation_of(self.plan, target)
        assert activation is not None
        decided = sim.now
        if activation.approval_by:
            if by == "plan":
                yield self.reach(activation.approval_by)
            yield self.env.timeout(activation.approval_time)
        attempts = failures = 0
        while attempts < MAX_ATTEMPTS:
            attempts += 1
            yield self.env.timeout(activation.time)
            if sim.streams["activation"].random() >= activation.failure_probability:
                break
            failures += 1
            incident.actions.append(
                ActionLog(
                    sim.now, "activate_backup", target, by, "failed attempt", {"attempt": attempts}
                )
            )
            sim.log("activation_failed", target, attempt=attempts)
            yield self.env.timeout(activation.retry_after)
        else:
            self._activating.discard(target)
            return
        self._activating.discard(target)
        sim.cause = f"backup {target}"
        sim.infra.active_backups.add(target)
        for site in self.plan.sites:
            if site.backup_site == target and not sim.infra.site_working(site.id):
                sim.relocate(site.id, target)
        sim.refresh()
        self.record.activations.append(
            {
                "backup": target,
                "decided": decided,
                "active": sim.now,
                "attempts": attempts,
                "failures": failures,
                "by": by,
                "incident": incident.id,
            }
        )
        incident.actions.append(
            ActionLog(sim.now, "activate_backup", target, by, "done", {"attempts": attempts})
        )
        sim.log("backup_active", target, incident=incident.id, attempts=attempts, by=by)

    def _call_in(
        self, incident: Incident, target: str, by: str
    ) -> Generator[simpy.Event, Any, None]:
        sim = self.sim
        resource = next(r for r in self.plan.resources if r.id == target)
        pool = resource.reserve_staff
        assert pool is not None
        answering = int(sim.streams["reserves"].binomial(pool.size, pool.answer_share))
        yield self.env.timeout(pool.call_in_time)
        skills = list(pool.skills) or list(sim.channel_ids)
        sim.cause = f"reserves {target}"
        sim.add_group(pool.site, answering, skills, f"reserve {target}")
        incident.actions.append(
            ActionLog(sim.now, "call_in_reserves", target, by, "done", {"agents": answering})
        )
        sim.log("reserves_in", target, agents=answering, incident=incident.id)

    def _redeploy(self, target: str, share: float | None) -> None:
        sim = self.sim
        if target in sim.channel_index:
            groups = [g for g in range(sim.planned_groups) if sim.g_staffed[g] > 0]
            take = (
                groups[: max(1, math.ceil(len(groups) * (1.0 if share is None else share)))]
                if groups
                else []
            )
            for g in take:
                sim.add_skill(g, target)
            return
        for site in self.plan.sites:
            if site.kind == "primary" and site.id != target and not sim.infra.site_working(site.id):
                sim.relocate(site.id, target)

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
            self.sim.at(self.sim.now + effort, lambda i=incident: self._tracked(i))

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
                False, "no event has been detected and reported yet, or the last one was closed"
            )
        incident = incidents[-1]
        not_allowed = plan_allows(self.plan, incident.event_class, decision)
        if not_allowed:
            return Verdict(False, not_allowed)
        if (
            decision.action == "activate_backup"
            and decision.target in self.sim.infra.active_backups
        ):
            return Verdict(False, f"'{decision.target}' is already active")
        if decision.action == "call_in_reserves" and decision.target in self._reserves_called:
            return Verdict(
                False, f"the reserve pool '{decision.target}' has already been called in"
            )
        if decision.action == "activate_backup" and decision.target in self._activating:
            return Verdict(False, f"'{decision.target}' is already being activated")
        if decision.action == "declare_level" and incident.closed is not None:
            return Verdict(False, "the event is closed")
        return Verdict(True, "accepted")
