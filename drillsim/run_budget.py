"""Refusing, before it starts, a run that cannot finish on this machine.

Why in the command line and not the engine: the engine runs what it is given; it is
the person at the terminal who must hear, before waiting, that a run would need 40 GiB
or three days, and who may insist (``--force``) when they know better.
"""

from __future__ import annotations

import os
import sys

from drillsim.inputs import BadInput
from i18n import _, format_count
from plans.types import human_minutes
from scenarios.model import Scenario
from sim.analysis.budget import (
    MAX_REPLICATIONS,
    MAX_SECONDS,
    MEMORY_SHARE,
    RunEstimate,
    available_memory,
    cap_workers,
    expected_contacts,
    too_big,
)


def _size(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20)):
        if n >= size:
            return f"{n / size:.1f} {unit}"  # not for people: a size with its unit symbol
    return f"{n / 1024:.0f} KiB"  # not for people: a size with its unit symbol


def plan_run(
    scenario: Scenario, replications: int, workers: int, force: bool, runs_each: int = 1
) -> int:
    """The workers to start; BadInput with the estimate when the run would not fit.

    ``runs_each``: simulations per replication (variants of a comparison). Workers are
    capped by the cores and the replications, and the cap is said on stderr.
    """
    used = cap_workers(workers, replications * runs_each)
    if used < workers:
        print(
            _(
                "drillsim: {asked} workers asked; {used} started (this machine has {cores} "
                "cores and the run {n} replications)"
            ).format(
                asked=workers,
                used=used,
                cores=format_count(os.cpu_count() or 1),
                n=format_count(replications * runs_each),
            ),
            file=sys.stderr,
        )
    estimate = RunEstimate(expected_contacts(scenario), replications * runs_each, used)
    memory = available_memory()
    over = too_big(estimate, memory)
    if not over or (force and over != ["replications"]):
        return used
    lines = [
        _(
            "this run would simulate about {contacts} contacts a replication, {n} replications: "
            "about {memory} of memory at once and {time} on {workers} worker(s)"
        ).format(
            contacts=format_count(round(estimate.contacts_per_replication)),
            n=format_count(estimate.replications),
            memory=_size(estimate.memory_bytes),
            time=human_minutes(estimate.seconds / 60),
            workers=used,
        )
    ]
    if "replications" in over:
        lines.append(
            _("at most {limit} replications may be asked for").format(
                limit=format_count(MAX_REPLICATIONS)
            )
        )
    if "memory" in over and memory is not None:
        lines.append(
            _("that is more than {share:.0%} of the {free} of memory available now").format(
                share=MEMORY_SHARE, free=_size(memory)
            )
        )
    if "time" in over:
        lines.append(
            _("that is longer than {limit}, the longest run started without --force").format(
                limit=human_minutes(MAX_SECONDS / 60)
            )
        )
    if over != ["replications"]:
        lines.append(
            _("lower the rate, the horizon or --replications, or add --force to run it anyway")
        )
    raise BadInput(lines)
