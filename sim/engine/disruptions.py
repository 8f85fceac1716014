"""What the scenario does to the centre: outages, disasters, attacks, absence, data loss.

Why apart from the engine: the engine knows queues and agents; this module knows the
scenario's vocabulary and turns each event into changes of the centre's state
(something down, a share of staff away) at its time, and back at its end. Every
random length is drawn at set-up, in file order, from the ``events`` stream, so two
variants on the same seed suffer the same outages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from scenarios.model import (
    ComplaintSurge,
    DataLoss,
    Disaster,
    Inject,
    Outage,
    SecurityIncident,
    StaffAbsence,
)
from sim.engine.sampling import sample_one

if TYPE_CHECKING:
    from sim.engine.centre import RunCentre


class ScenarioEvents:
    """Schedules the scenario's events and injects on a simulation."""

    def __init__(self, sim: RunCentre) -> None:
        self.sim = sim
        self.durations: dict[str, float | None] = {}
        """The length drawn for each event (None: it has no random length)."""

    def schedule(self) -> None:
        """Put every event and inject on the simulation's clock."""
        sim = self.sim
        rng = sim.streams["events"]
        for event in sim.scenario.events:
            duration = (
                sample_one(event.duration, rng)
                if isinstance(event, Outage | Disaster | SecurityIncident)
                else None
            )
            self.durations[event.id] = duration
            sim.at(event.start, partial(self._begin, event, duration))
        for inject in sim.scenario.injects:
            sim.at(inject.at, partial(self._deliver, inject))

    def _deliver(self, inject: Inject) -> None:
        self.sim.log("inject", inject.title, to=list(inject.to), message=inject.message)

    def _after(self, delay: float | None, action: Callable[[], None]) -> None:
        if delay is not None and self.sim.now + delay < self.sim.horizon:
            self.sim.at(self.sim.now + delay, action)

    def _begin(self, event: Any, duration: float | None) -> None:
        sim = self.sim
        sim.cause = f"{event.kind} {event.id}"
        if isinstance(event, Outage):
            sim.log(
                "outage_start",
                event.target,
                event=event.id,
                share=event.share,
                repair_after=duration,
            )
            sim.set_down(event.target, event.share, True)
            sim.refresh()
            self._after(duration, lambda: self._end_outage(event))
        elif isinstance(event, Disaster):
            sim.log("site_lost", event.site, event=event.id, duration=duration)
            sim.set_down(event.site, 1.0, True)
            sim.site_factor[event.site] = 1.0 - event.staff_unavailable
            if sim.rules is not None:
                sim.rules.site_lost(event)
            for system in sim.plan.systems:
                if system.site == event.site and system.holds_data:
                    self.data_loss(system.id, event.id)
            sim.refresh()
            if event.remote_after is not None and event.remote_share > 0:
                self._after(event.remote_after, lambda: self._remote_work(event))
            self._after(duration, lambda: self._end_disaster(event))
        elif isinstance(event, SecurityIncident):
            sim.log(
                "security_incident",
                event.id,
                event=event.id,
                systems=list(event.systems),
                data_at_risk=event.data_at_risk,
                duration=duration,
            )
            for system_id in event.systems:
                sim.set_down(system_id, 1.0, True)
                if event.data_at_risk:
                    self.data_loss(system_id, event.id)
            sim.refresh()
            self._after(duration, lambda: self._end_security(event))
        elif isinstance(event, StaffAbsence):
            sim.log("staff_absence", event.site or "all", event=event.id, share=event.share)
            sim.absence.setdefault(event.site, []).append(event.share)
            sim.refresh()
            if event.duration is not None:
                self._after(event.duration, lambda: self._end_absence(event))
        elif isinstance(event, DataLoss):
            self.data_loss(event.system, event.id)
        elif isinstance(event, ComplaintSurge):
            sim.log("surge_start", event.id, event=event.id, multiplier=event.multiplier)
            self._after(
                2 * event.ramp + event.duration,
                lambda: sim.log("surge_end", event.id, event=event.id),
            )
        if sim.response is not None:
            sim.response.event_started(event)

    def _end_outage(self, event: Outage) -> None:
        self.sim.cause = "repair"
        self.sim.set_down(event.target, event.share, False)
        self.sim.log("repair", event.target, event=event.id)
        self.sim.refresh()

    def _end_disaster(self, event: Disaster) -> None:
        self.sim.cause = "repair"
        self.sim.set_down(event.site, 1.0, False)
        self.sim.site_factor.pop(event.site, None)
        if self.sim.rules is not None:
            self.sim.rules.site_back(event.site)
        self.sim.log("site_restored", event.site, event=event.id)
        self.sim.refresh()

    def _remote_work(self, event: Disaster) -> None:
        sim = self.sim
        if sim.site_factor.get(event.site) is not None:
            sim.cause = "remote work"
            sim.site_factor[event.site] = max(sim.site_factor[event.site], event.remote_share)
            if sim.rules is not None:
                sim.rules.remote_work(event.site, event.remote_share)
            sim.log("remote_work", event.site, event=event.id, share=event.remote_share)
            sim.refresh()

    def _end_security(self, event: SecurityIncident) -> None:
        self.sim.cause = "repair"
        for system in event.systems:
            self.sim.set_down(system, 1.0, False)
        self.sim.log("systems_restored", event.id, event=event.id, systems=list(event.systems))
        if self.sim.response is not None:
            self.sim.response.security_cleared()
        self.sim.refresh()

    def expected_length(self, event: Any) -> float | None:
        """How long the event is expected to last, as an assessor would judge it: the
        mean of its length's distribution (not the length drawn for this run)."""
        length = getattr(event, "duration", None)
        if length is None:
            return None
        if isinstance(length, int | float):
            return float(length)
        return float(length.moments()[0])

    def _end_absence(self, event: StaffAbsence) -> None:
        self.sim.cause = "staff back"
        self.sim.absence[event.site].remove(event.share)
        self.sim.log("staff_back", event.site or "all", event=event.id)
        self.sim.refresh()

    def data_loss(self, system_id: str, cause: str) -> None:
        """Lose what was written since the system's last replication: the RPO achieved."""
        sim = self.sim
        system = next(s for s in sim.plan.systems if s.id == system_id)
        now = sim.now
        if system.replication_interval:
            rpo = (now - sim.replication_phase[system_id]) % system.replication_interval
        else:
            rpo = now  # never replicated during the run: everything since the start is lost
        channels = [
            c.id
            for c in sim.plan.channels
            if system_id in c.depends_on or any(d.system == system_id for d in c.degraded_by)
        ]
        sim.log("data_loss", system_id, event=cause, rpo=rpo, channels=channels)
