"""The contact centre under a scenario, as a SimPy discrete-event model.

Why in parts: the model is one object, :class:`Simulation`, so the response, the
drill room and the tests see one centre; its code is split by job so each part can
be read alone. The contact flow (arrive, serve, abandon, dispatch) is in
:mod:`sim.engine.flow`, who can work (groups, shifts, seats, services) in
:mod:`sim.engine.staffing`, the log, snapshots and records in
:mod:`sim.engine.recording`. This module wires them together with the scenario's
events and the response, and runs the clock.

* **Everything random is drawn before the run** (:mod:`sim.engine.demand`), so the run is
  reproducible from plan, scenario and seed, and variants share customers.

Times are minutes from the scenario's start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from i18n import N_
from plans.model import Plan
from scenarios.model import Scenario
from sim.engine.clock import Clock
from sim.engine.demand import Customers, draw_customers, start_minute_of_week
from sim.engine.disruptions import ScenarioEvents
from sim.engine.flow_kernel import bind_flow
from sim.engine.journeys import Journeys
from sim.engine.recording import SNAPSHOT_EVERY, Recording
from sim.engine.records import RunRecords, Snapshots
from sim.engine.rng import make_streams
from sim.engine.staffing import WEEK, Staffing
from sim.engine.topology import Infrastructure
from sim.response.controller import Policy, ResponseController
from sim.response.decisions import Decision, DecisionScript, Reason, Verdict

__all__ = ["SNAPSHOT_EVERY", "Simulation", "simulate"]


class Simulation(Staffing, Recording):
    """One replication of a scenario against a plan, advanced with :meth:`run_until`."""

    def __init__(
        self,
        plan: Plan,
        scenario: Scenario,
        seed: int,
        snapshot_every: float = SNAPSHOT_EVERY,
        customers: Customers | None = None,
        policy: Policy | None = None,
        script: DecisionScript | None = None,
    ) -> None:
        """Build the run.

        ``policy`` plays the plan's response ('plan', 'scripted' with ``script``, or
        'none'); left out, no response runs at all (the bare queueing model).
        ``customers`` replaces the drawn ones (hand-made tests, replays).
        """
        self.plan = plan
        self.scenario = scenario
        self.seed = seed
        self.horizon = scenario.horizon
        self.streams = make_streams(seed)
        self.env = Clock()
        self.customers = (
            customers if customers is not None else draw_customers(plan, scenario, self.streams)
        )
        self.events = []
        self.infra = Infrastructure(plan)
        self._setup_channels()
        self._setup_groups()
        self._setup_contacts()
        self.journeys = Journeys(self) if scenario.behaviour.in_run() else None
        bind_flow(self)  # the contact's steps, over the lists just made
        self.absence = {}
        self.site_factor = {}
        self._outages: dict[str, list[float]] = {}
        self.staffing_log = []
        self.channel_log = [(0.0, c, True) for c in range(len(self.channel_ids))]
        self.service_log = []
        """(time, channel/system/site, working at required capacity, cause of the change)."""
        self._service_ok = {}
        self.cause = "start"
        """Why the next change happens ('repair', 'backup crm_standby', ...); set by callers."""
        self.snapshots = Snapshots()
        self.replication_phase = {
            s.id: float(self.streams["events"].uniform(0, s.replication_interval))
            for s in plan.systems
            if s.holds_data and s.replication_interval
        }
        self.n_answered = 0
        self.n_abandoned = 0
        self.response = None
        """The response controller, when a policy plays the plan."""
        self.disruptions = ScenarioEvents(self)
        if policy is not None:
            self.response = ResponseController(self, policy, script)
        self.refresh()
        self._schedule_shifts()
        self.disruptions.schedule()
        self._schedule_snapshots(snapshot_every)
        self._schedule_next_arrival(0)

    # --- the clock -------------------------------------------------------------------

    def minute_of_week(self) -> float:
        """Minute of the week now (0 = Monday 00:00)."""
        return (start_minute_of_week(self.scenario) + self.env.now) % WEEK

    def _schedule_shifts(self) -> None:
        for edge in self._shift_edges:
            self._at(edge, lambda: self._update_capacity())

    def at(self, time: float, action: Callable[[], object]) -> None:
        """Run ``action`` at run time ``time`` (now, if that is past); its result is dropped."""
        self._at(time, action)

    def _at(self, time: float, action: Callable[[], object]) -> None:
        self.env.call_in(max(0.0, time - self.env.now), lambda _none: action(), None)

    @property
    def now(self) -> float:
        """Current run time in minutes."""
        return float(self.env.now)

    # --- the drill room --------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The status board of the run now (see :mod:`sim.engine.state`)."""
        from sim.engine.state import drill_state

        return drill_state(self)

    def decide(self, decision: Decision) -> Verdict:
        """Take a decision now (see :mod:`sim.response.controller`); refused ones change nothing."""
        if self.response is None:
            return Verdict(False, Reason(N_("this run plays no response: start it with a policy")))
        return self.response.decide(decision)

    # --- systems, sites and channels -----------------------------------------------------

    def refresh(self) -> None:
        """Recompute which channels work and who can work; drop queues of dark live channels.

        Agents at work depend on the infrastructure too (a site whose network link is
        down has nobody answering), so capacity is recomputed after every change.
        """
        now = self.env.now
        for c, cid in enumerate(self.channel_ids):
            up = self.infra.channel_up(cid)
            self.block[c] = self.infra.channel_block_share(cid) if up else 1.0
            self.factor[c] = self.infra.handle_factor(cid)
            if up == self.up[c]:
                continue
            self.up[c] = up
            self.channel_log.append((now, c, up))
            if not up and self.live[c]:
                self._drop_queue(c)  # callers waiting on a dark line are cut off; callbacks stay
        self._update_capacity()

    def set_down(self, target: str, share: float, on: bool) -> None:
        """Mark a system, site or channel failed (``on``) or repaired, by the share lost."""
        active = self._outages.setdefault(target, [])
        if on:
            active.append(share)
        else:
            active.remove(share)
        if active:
            self.infra.down[target] = max(active)
        else:
            self.infra.down.pop(target, None)

    # --- running ---------------------------------------------------------------------

    def run_until(self, time: float) -> None:
        """Advance the run to ``time`` (at most the horizon)."""
        # A board read at 60:00 must already show what happens at 60:00, so the events
        # due exactly at the target run too (SimPy's own run(until) stops before them).
        self.env.advance(min(time, self.horizon))

    def run(self) -> RunRecords:
        """Run to the horizon and return the records."""
        self.run_until(self.horizon)
        return self.records()

    def release(self) -> None:
        """Drop the events still scheduled past the horizon.

        Why: they hold callbacks bound to this simulation, a reference cycle that
        only the cyclic garbage collector frees, late; a long Monte Carlo run would
        otherwise pile up finished simulations in memory.
        """
        self.env._queue.clear()  # SimPy keeps its event heap here; nothing runs after this
        self.env.arrival = None


def simulate(
    plan: Plan,
    scenario: Scenario,
    seed: int,
    policy: Policy = "plan",
    script: DecisionScript | None = None,
) -> RunRecords:
    """One replication to the horizon, the response played by ``policy``."""
    sim = Simulation(plan, scenario, seed, policy=policy, script=script)
    records = sim.run()
    sim.release()
    return records
