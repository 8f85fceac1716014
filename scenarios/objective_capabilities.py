"""Which capabilities a scenario objective tests, for the after-action report's HSEEP table.

Why a default per metric: HSEEP's table lists each exercise objective with the core
capabilities it tests; a scenario author may name them (``capabilities:`` on an
objective), and when they are left out the metric says which steps of the response
flow (manual 7.2) and which 7.4 resources decide it:

* ``rto``, ``rpo``, ``availability``: restoring the service, i.e. the handling and
  coordination step (the recovery) and resource guarantee (the backup systems);
* ``service_level``, ``asa``, ``abandonment``, ``max_queue``, ``occupancy``: people on
  the queue, i.e. resource guarantee (reserves, staffing) and the handling step;
* ``backlog``, ``tickets_late``: the handling step and tracking and feedback (the
  tickets followed up to the end).
"""

from __future__ import annotations

from typing import Literal

CapabilityId = Literal[
    "discover_report",
    "assess_grade",
    "activate",
    "handle_coordinate",
    "track_feedback",
    "review_improve",
    "resource_guarantee",
]
"""The six steps of the response flow (plans.model.STEP_NAMES), then resource guarantee."""

DEFAULT_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "rto": ("handle_coordinate", "resource_guarantee"),
    "rpo": ("resource_guarantee", "handle_coordinate"),
    "availability": ("handle_coordinate", "resource_guarantee"),
    "service_level": ("resource_guarantee", "handle_coordinate"),
    "asa": ("resource_guarantee", "handle_coordinate"),
    "abandonment": ("resource_guarantee", "handle_coordinate"),
    "max_queue": ("resource_guarantee", "handle_coordinate"),
    "occupancy": ("resource_guarantee", "handle_coordinate"),
    "backlog": ("handle_coordinate", "track_feedback"),
    "tickets_late": ("handle_coordinate", "track_feedback"),
}
"""Metric -> the capabilities its objective tests when the scenario names none."""


def objective_capabilities(objective: object) -> tuple[str, ...]:
    """The capabilities an objective tests: its own ``capabilities``, else its metric's default."""
    own = getattr(objective, "capabilities", None)
    if own:
        return tuple(own)
    return DEFAULT_CAPABILITIES.get(str(getattr(objective, "metric", "")), ("handle_coordinate",))
