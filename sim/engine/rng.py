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

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

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


# --- many child generators at once ---------------------------------------------------
# Constants of numpy's SeedSequence (O'Neill's seed_seq hash, pool of 4 words) and of
# PCG64's seeding (pcg_setseq_128_srandom_r), which is what default_rng(seed) runs.
_U32 = 0xFFFFFFFF
_U128 = (1 << 128) - 1
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_MIX_L, _MIX_R, _SHIFT = np.uint32(0xCA01F9DD), np.uint32(0x4973F715), np.uint32(16)


def _hash_steps(init: int, mult: int, n: int) -> tuple[NDArray[np.uint32], NDArray[np.uint32]]:
    """The hash constant before and after each of ``n`` steps (it is xored, then multiplied)."""
    before, after, h = [], [], init
    for _ in range(n):
        before.append(h)
        h = (h * mult) & _U32
        after.append(h)
    return np.array(before, dtype=np.uint32), np.array(after, dtype=np.uint32)


_A_XOR, _A_MUL = _hash_steps(0x43B0D7E5, 0x931E8875, 16)  # mixing the entropy into the pool
_B_XOR, _B_MUL = _hash_steps(0x8B51F9DD, 0x58F38DED, 8)  # drawing 4 x 64 bits from the pool
_OTHERS = [[d for d in range(4) if d != s] for s in range(4)]


def _hash(
    v: NDArray[np.uint32], xor: NDArray[np.uint32], mul: NDArray[np.uint32]
) -> NDArray[np.uint32]:
    v = (v ^ xor) * mul
    return v ^ (v >> _SHIFT)


def _seed_words(seeds: NDArray[np.int64]) -> list[list[int]]:
    """``SeedSequence(seed).generate_state(4, np.uint64)`` for every seed, in one pass.

    A seed below 2**64 is at most two 32-bit words of entropy; the pool's other words
    hash a 0, which is what a short entropy gets, so every seed takes the same path.
    """
    s = np.asarray(seeds).astype(np.uint64)
    entropy = np.zeros((s.shape[0], 4), dtype=np.uint32)
    entropy[:, 0] = s & np.uint64(_U32)
    entropy[:, 1] = s >> np.uint64(32)
    pool = _hash(entropy, _A_XOR[:4], _A_MUL[:4])
    k = 4
    for src in range(4):  # each word into every other, in SeedSequence's order
        dst = _OTHERS[src]
        h = _hash(pool[:, src : src + 1], _A_XOR[k : k + 3], _A_MUL[k : k + 3])
        k += 3
        r = _MIX_L * pool[:, dst] - _MIX_R * h
        pool[:, dst] = r ^ (r >> _SHIFT)
    words = _hash(np.tile(pool, 2), _B_XOR, _B_MUL)
    out: list[list[int]] = words.astype("<u4").view("<u8").astype(np.uint64).tolist()
    return out


def child_generators(seeds: NDArray[np.int64]) -> Iterator[np.random.Generator]:
    """``np.random.default_rng(seed)`` for each seed (0 <= seed < 2**64), in turn.

    Why: a draw makes one child generator per (channel, request type), 32 on the
    default scenario, and seeding each through SeedSequence and a new PCG64 costs 6 us.
    Here the seeds are hashed together and one generator is set to each child's
    state in turn: the same numbers (tests/sim/test_draw_same.py). The generator
    yielded is the same object every time, so a child must be used up before the
    next is asked for.
    """
    bits = np.random.PCG64(0)
    rng = np.random.Generator(bits)
    for a, b, c, d in _seed_words(seeds):
        inc = ((((c << 64) | d) << 1) | 1) & _U128
        state = ((inc + ((a << 64) | b)) * _PCG_MULT + inc) & _U128
        bits.state = {
            "bit_generator": "PCG64",
            "state": {"state": state, "inc": inc},
            "has_uint32": 0,
            "uinteger": 0,
        }
        yield rng
