"""The plan's actions carried out in a run: backups, reserves, redeployment, notices,
callbacks, isolation and escalation.

Why apart from the steps: *when* an action runs is the response flow's business
(:mod:`sim.response.steps`); *what it does to the centre* and how long it takes
(approval, activation time, failed attempts and retries, reserves answering) is
this module's. The room's decisions run through the same code as the plan's.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from plans.activation import activation_of
from plans.flows import Action
from sim.response.incidents import ActionLog, Incident
from sim.response.reach import Caller

MAX_ATTEMPTS = 10
DEFAULT_DEFLECTION = 0.2


class PlanActions(Caller):
    """Whether an action is needed, claiming its backup or pool, and carrying it out."""

    # set by the controller and the watch; declared for the type checker only
    _activating: set[str]
    _reserves_called: set[str]
    _trouble: bool

    def _run_plan_action(
        self, incident: Incident, action: Action, step_owner: str
    ) -> Generator[simpy.Event, Any, None]:
        if not self._needed(action) or not self._claim(action.action, action.target):
            incident.actions.append(
                ActionLog(  # not for people: an action status, compared in code
                    self.sim.now, action.action, action.target, "plan", "not needed"
                )
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
                    sim.now,
                    "activate_backup",
                    target,
                    by,
                    "failed attempt",  # not for people: action status, shown translated
                    {"attempt": attempts},
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
