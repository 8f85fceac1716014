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


def _plain_next_for(sim, queues, g):  # type: ignore[no-untyped-def]
    """The engine's choice of the next contact before issue 19, on a copy of the queues."""
    best, best_at = None, None
    for c in sim.g_skills[g]:
        if not sim.waiting[c] or not sim.up[c]:
            continue
        for slot in (0, 1, 2, 3):
            queue = queues[c][slot]
            while queue and sim.status[queue[0]] != WAITING:
                queue.popleft()
            if queue:
                ticket = 0 if sim.live[c] and slot < 2 else 1
                key = (ticket, slot % 2, sim.t_arr[queue[0]])
                if best is None or key < best:
                    best, best_at = key, (c, slot)
    if best_at is None:
        return None
    c, p = best_at
    return c, queues[c][p].popleft()


def test_a_free_agent_takes_the_contact_the_plain_rule_gives() -> None:
    """Live before tickets, urgent first, longest wait; ties (equal arrival times) to the
    first channel and slot, as before."""
    from plans import default_plan_path, load_plan
    from scenarios import default_scenario_path, load_scenario
    from sim.engine.simulation import Simulation

    sim = Simulation(load_plan(default_plan_path()), load_scenario(default_scenario_path()), 3)
    rng = random.Random(9)
    n = len(sim.status)
    chosen = 0
    for _round in range(200):
        for i in range(n):
            sim.status[i] = rng.choice((WAITING, WAITING, ABANDONED))
        for c, queues in enumerate(sim.queues):
            sim.waiting[c] = rng.choice((0, 1, 5))
            sim.up[c] = rng.random() > 0.2
            for slot in range(len(queues)):
                picked = sorted(rng.sample(range(n), rng.choice((0, 1, 3))))
                queues[slot] = deque(picked)
        if _round % 3 == 0:  # equal arrival times at the heads
            for i in range(n):
                sim.t_arr[i] = float(i // 500)
        g = rng.randrange(len(sim.g_skills))
        copy = [[deque(q) for q in queues] for queues in sim.queues]
        want = _plain_next_for(sim, copy, g)
        assert sim._next_for(g) == want
        assert [[list(q) for q in qs] for qs in sim.queues] == [
            [list(q) for q in qs] for qs in copy
        ]
        chosen += want is not None
    assert chosen > 50


def test_the_active_groups_hold_every_group_at_work_in_the_channels_order() -> None:
    """An arrival scans only the groups with anyone at work; the first free group must
    be the one the full scan finds, so none at work may be missing, at any moment."""
    from plans import default_plan_path, load_plan
    from scenarios import default_scenario_path, load_scenario
    from scenarios.loader import library_dir
    from sim.engine.simulation import Simulation

    for name in (default_scenario_path(), library_dir() / "typhoon_site_closure.yaml"):
        sim = Simulation(load_plan(default_plan_path()), load_scenario(name), 4, policy="plan")
        checked = 0
        t = 0.0
        while t < sim.horizon:
            t += 7.0
            sim.run_until(t)
            for c, groups in enumerate(sim.chan_groups):
                working = [g for g in groups if sim.g_staffed[g] > 0]
                active = sim.chan_active[c]
                assert set(working) <= set(active), (t, c)
                assert active == [g for g in groups if g in set(active)], (t, c)
                checked += bool(working)
        assert checked > 50
