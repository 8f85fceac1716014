"""The centre as the response sees it: exactly what the controller reads and changes.

Why a Protocol and not the engine's ``Simulation``: the engine builds the response,
so the response naming the engine's class would close an import loop (also under
``TYPE_CHECKING``, which still ties the two modules together for readers and tools).
This module lists what the response uses of a running centre; ``Simulation``
satisfies it structurally, and a test double could too. What it shares with the
events' and the board's view is :class:`sim.engine.centre_base.CentreCore`. It imports only engine
modules that import nothing of the response (``centre_base``, ``rng``, ``topology``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from sim.engine.centre_base import CentreCore

if TYPE_CHECKING:
    import simpy


class EventLengths(Protocol):
    """How long a scenario event is expected to last, as an assessor would judge it."""

    def expected_length(self, event: Any) -> float | None: ...


class Centre(CentreCore, Protocol):
    """A running contact centre the response plays the plan on."""

    @property
    def env(self) -> simpy.Environment: ...
    @property
    def disruptions(self) -> EventLengths: ...

    # channels: index and deflection, changed in place
    @property
    def channel_index(self) -> dict[str, int]: ...
    @property
    def deflect(self) -> list[float]: ...

    # staff and contacts so far
    @property
    def planned_groups(self) -> int: ...
    @property
    def n_answered(self) -> int: ...
    @property
    def n_abandoned(self) -> int: ...

    def minute_of_week(self) -> float: ...
    def relocate(self, from_site: str, to_site: str) -> list[int]: ...
    def add_group(self, site: str | None, agents: int, skills: list[str], label: str) -> int: ...
    def add_skill(self, group: int, channel: str) -> None: ...
    def planned_agents_total(self) -> int: ...
    def urgent_waiting(self) -> int: ...
    def service_ok(self, name: str) -> bool: ...
