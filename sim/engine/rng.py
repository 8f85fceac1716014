"""One seed in, named independent random streams out.

Why named streams: each source of randomness (arrivals, handle times, patience,
outage lengths, ...) draws from its own generator, so changing one part of a
scenario (more agents, a bigger surge) leaves every other draw as it was. Two
variants run on the same seed then see the same customers: common random numbers,
which make their difference low-noise.

New streams are appended to ``STREAM_NAMES``, never inserted, so existing streams
keep their numbers across versions.

Why made on first use: a stream's generator is the one ``SeedSequence(seed).spawn``
would give at its place in ``STREAM_NAMES`` (the same entropy and spawn key, so the
same numbers), but a replication that never draws from a stream (no opening hours,
no tickets) no longer pays for seeding it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "arrivals",
    "attributes",
    "handle_time",
    "patience",
    "events",
    "surge",
    "responses",
    "activation",
    "reserves",
    "tickets",
    # issue 14, customers' behaviour
    "forecast",
    "opening",
    "redials",
    "switching",
    "callbacks",
)


_PLACE = {name: i for i, name in enumerate(STREAM_NAMES)}


@dataclass(frozen=True, slots=True)
class Streams:
    """The run's generators, one per named source, each made when first asked for."""

    seed: int
    generators: dict[str, np.random.Generator] = field(default_factory=dict)
    """The generators made so far, by name."""

    def __getitem__(self, name: str) -> np.random.Generator:
        rng = self.generators.get(name)
        if rng is None:
            # what SeedSequence(seed).spawn(len(STREAM_NAMES))[place] is
            child = np.random.SeedSequence(self.seed, spawn_key=(_PLACE[name],))
            rng = self.generators[name] = np.random.default_rng(child)
        return rng


def make_streams(seed: int) -> Streams:
    """Independent generators for every name in ``STREAM_NAMES``, from one seed."""
    return Streams(seed)


def replication_seeds(seed: int, replications: int) -> list[int]:
    """Seeds of the replications of a Monte Carlo run, fixed by the run's seed.

    The list is the same whatever the number of workers, which is what makes a
    parallel run give the same numbers as a serial one.
    """
    seq = np.random.SeedSequence(seed)
    return [
        int(s.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
        for s in seq.spawn(replications)
    ]
