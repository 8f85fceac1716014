"""The centre as the scenario's events and the status board see it.

Why a Protocol and not ``Simulation``: the simulation builds :class:`ScenarioEvents`
and calls :func:`drill_state`; their naming it back, even under ``TYPE_CHECKING``,
would close an import loop. This lists exactly what :mod:`sim.engine.disruptions` and
:mod:`sim.engine.state` use of a running centre; ``Simulation`` satisfies it
structurally. The core it shares with the response's view is
:class:`sim.engine.centre_base.CentreCore`. It names the response controller (the type
of ``response``), which imports nothing of these modules, so no loop forms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sim.engine.centre_base import CentreCore

if TYPE_CHECKING:
    from scenarios.model import Disaster
    from sim.engine.records import RunRecords
    from sim.response.controller import ResponseController


class StaffRules(Protocol):
    """What a disaster tells the workforce rules (:mod:`sim.engine.capacity`)."""

    def site_lost(self, event: Disaster) -> None: ...
    def remote_work(self, site: str, share: float) -> None: ...
    def site_back(self, site: str) -> None: ...


class RunCentre(CentreCore, Protocol):
    """A running contact centre that scenario events change and a board reads."""

    @property
    def response(self) -> ResponseController | None: ...
    @property
    def horizon(self) -> float: ...

    # what the events change in place
    @property
    def absence(self) -> dict[str | None, list[float]]: ...
    @property
    def site_factor(self) -> dict[str, float]: ...
    @property
    def replication_phase(self) -> dict[str, float]: ...
    @property
    def rules(self) -> StaffRules | None: ...

    # what the board reads besides the core
    @property
    def g_busy(self) -> list[int]: ...

    def records(self) -> RunRecords: ...
    def working_agents(self, c: int) -> int: ...
    def planned_agents(self, c: int) -> int: ...
