"""What every view of a running centre shares: the Protocol both narrower views extend.

Why a module of its own: the scenario's events and the board (:mod:`sim.engine.centre`)
and the response (:mod:`sim.response.centre`) each see the running ``Simulation``
through a Protocol, and both read the same core: the plan and scenario, the random
streams, the infrastructure, the clock, the channels' state and the staff at work, and
change it the same way. Declaring that once keeps the two from drifting apart. It
imports only engine modules that import nothing of the response (``rng``, ``topology``),
so either side may build on it without closing an import loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from plans.model import Plan
    from scenarios.model import Scenario
    from sim.engine.rng import Streams
    from sim.engine.topology import Infrastructure


class CentreCore(Protocol):
    """A running contact centre: what the events, the board and the response all use."""

    cause: str
    """Why the next change happens; whoever makes a change sets it first."""

    @property
    def plan(self) -> Plan: ...
    @property
    def scenario(self) -> Scenario: ...
    @property
    def streams(self) -> Streams: ...
    @property
    def infra(self) -> Infrastructure: ...
    @property
    def now(self) -> float: ...

    # channels and staff: lists read, and changed in place
    @property
    def channel_ids(self) -> tuple[str, ...]: ...
    @property
    def up(self) -> list[bool]: ...
    @property
    def mode(self) -> list[str]: ...
    @property
    def waiting(self) -> list[int]: ...
    @property
    def g_staffed(self) -> list[int]: ...

    def at(self, time: float, action: Callable[[], object]) -> None: ...
    def log(self, kind: str, ref: str, **detail: object) -> None: ...
    def set_down(self, target: str, share: float, on: bool) -> None: ...
    def refresh(self) -> None: ...
    def service_states(self) -> dict[str, bool]: ...
