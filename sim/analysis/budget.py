"""What a run will cost before it starts: contacts, memory and time, and the limits.

Why before: a scenario with a huge rate or a command with ``--replications`` in the
billions used to start and then eat the machine's memory or run for days. The
estimate is made from the scenario's demand (its expected arrivals, surges
included) with per-contact costs measured on this project's 2-core machine
(2026-12-01: the default scenario's 3,016 contacts peaked at 543 bytes a contact
under tracemalloc and a whole replication took about 7.5 us a contact; the figures
below are rounded up, so the estimate errs on the side of refusing late, not early).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from scenarios.model import ComplaintSurge, Scenario
from sim.engine.demand import hour_segments

BYTES_PER_CONTACT = 1024
"""Peak memory a contact costs inside one replication (measured 543 B, rounded up)."""
SECONDS_PER_CONTACT = 10e-6
"""Time a contact costs in a whole replication (measured about 7.5 us, rounded up)."""
MAX_REPLICATIONS = 100_000
"""Most replications a run may ask for: P(met) to within a fraction of a percent."""
MAX_SECONDS = 12 * 3600.0
"""Longest estimated run accepted without ``--force``."""
MEMORY_SHARE = 0.5
"""Share of the machine's available memory the workers' replications may take."""


@dataclass(frozen=True)
class RunEstimate:
    """A run's expected size."""

    contacts_per_replication: float
    replications: int
    workers: int

    @property
    def memory_bytes(self) -> float:
        """Peak memory of the replications running at once (one per worker)."""
        return self.contacts_per_replication * BYTES_PER_CONTACT * self.workers

    @property
    def seconds(self) -> float:
        """Wall time, the workers sharing the replications."""
        per = self.contacts_per_replication * SECONDS_PER_CONTACT
        return per * self.replications / max(1, self.workers)


def expected_contacts(scenario: Scenario) -> float:
    """Expected arrivals in one replication: the demand's hours plus each surge's extra."""
    segments = hour_segments(scenario)
    total = sum(rate * (end - start) / 60 for start, end, rate in segments)
    peak = max((rate for _s, _e, rate in segments), default=0.0)
    for event in scenario.events:
        if isinstance(event, ComplaintSurge):
            length = event.duration + 2 * event.ramp
            total += (event.multiplier - 1.0) * peak * length / 60
    return total


def available_memory() -> int | None:
    """Bytes of memory available now (Linux: MemAvailable), None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def cap_workers(workers: int, replications: int, chunks: int | None = None) -> int:
    """Worker processes worth starting: no more than the cores, the replications or chunks."""
    cores = os.cpu_count() or 1
    return max(1, min(workers, cores, replications, chunks or replications))


def too_big(estimate: RunEstimate, memory: int | None) -> list[str]:
    """Which limits the run passes: 'replications', 'memory', 'time' (empty: it fits)."""
    over = []
    if estimate.replications > MAX_REPLICATIONS:
        over.append("replications")  # not for people: a limit's key
    if memory is not None and estimate.memory_bytes > MEMORY_SHARE * memory:
        over.append("memory")  # not for people: a limit's key
    if estimate.seconds > MAX_SECONDS:
        over.append("time")  # not for people: a limit's key
    return over
