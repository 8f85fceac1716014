"""The engine's shortcuts (issue 19) answer exactly what the plain code answered.

Why: each replaced a loop the run asks thousands of times; the plain loop is kept here
as the reference, and both are asked the same questions, edges and overlaps included.
"""

from __future__ import annotations

import random
from collections import deque

from sim.engine.records import ABANDONED, SERVING, WAITING
from sim.engine.staffing import WEEK, _on_shift


def _plain_on(intervals: list[tuple[int, int]], offset: int, t: float) -> bool:
    return any(s <= (offset + t) % WEEK < e for s, e in intervals)


def test_a_shift_is_on_duty_exactly_when_one_of_its_intervals_holds_the_minute() -> None:
    rng = random.Random(5)
    for _ in range(300):
        intervals = []
        for _k in range(rng.randint(0, 6)):
            start = rng.choice((0, 60, 480, 1020, 1440, 9000, 10080 - 30, rng.randint(0, WEEK)))
            intervals.append((start, start + rng.choice((0, 30, 60, 540, -5, 2000))))
        offset = rng.choice((0, 420, 1440 * 3 + 600))
        on = _on_shift(intervals, offset)
        edges = [v - offset for iv in intervals for v in iv]
        times = [rng.uniform(0, 2 * WEEK) for _ in range(40)] + edges + [e - 1e-9 for e in edges]
        for t in times:
            assert on(t) == _plain_on(intervals, offset, t), (intervals, offset, t)


def test_urgent_waiting_counts_only_waiting_contacts_in_urgent_slots() -> None:
    from plans import default_plan_path, load_plan
    from scenarios import default_scenario_path, load_scenario
    from sim.engine.simulation import Simulation

    sim = Simulation(load_plan(default_plan_path()), load_scenario(default_scenario_path()), 1)
    rng = random.Random(2)
    n = len(sim.status)
    for i in range(n):
        sim.status[i] = rng.choice((WAITING, WAITING, ABANDONED, SERVING))
    for queues in sim.queues:
        for slot in range(len(queues)):
            queues[slot] = deque(rng.sample(range(n), rng.choice((0, 1, 2, 50))))
    plain = sum(
        1
        for queues in sim.queues
        for slot in (0, 2)
        for i in queues[slot]
        if sim.status[i] == WAITING
    )
    assert plain > 0
    assert sim.urgent_waiting() == plain
