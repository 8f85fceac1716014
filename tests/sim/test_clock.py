"""The run's clock (sim.engine.clock) orders and runs events exactly as SimPy does.

Why this matters: the engine's journals must be the same, bit for bit, as they were on
plain SimPy (issue 19's rule). Here the same random workload, with many exact ties in
time, runs once on SimPy with ``Timeout`` events and the old ``run(until)`` plus
step-to-the-target loop, and once on the clock with bare timers and ``advance``; the
sequence of (time, label) firings and the final clock must be identical.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
import simpy
from simpy.events import NORMAL, URGENT

from sim.engine.clock import Clock


def _old_run_until(env: simpy.Environment, target: float) -> None:
    """What Simulation.run_until did before the clock."""
    if target > env.now:
        env.run(until=target)
    while env.peek() <= target:
        env.step()


def _workload(env: simpy.Environment, bare: bool, seed: int) -> list[tuple[float, str]]:
    """Timers that spawn timers (ties on a grid of quarter minutes), a process, a condition."""
    rng = random.Random(seed)
    fired: list[tuple[float, str]] = []

    def later(delay: float, label: str, then: Callable[[str], None]) -> None:
        if bare:
            assert isinstance(env, Clock)
            env.call_in(delay, then, label)
        else:
            ev = env.timeout(delay, label)
            ev.callbacks.append(lambda e: then(e.value))

    def step(label: str) -> None:
        fired.append((env.now, label))
        if len(fired) < 400:
            for k in range(rng.choice((0, 1, 2, 2))):
                later(rng.choice((0.0, 0.25, 0.5, 1.0, 2.75)), f"{label}.{k}", step)

    def proc() -> Any:
        for k in range(30):
            yield env.timeout(rng.choice((0.25, 0.5, 1.0)))
            fired.append((env.now, f"proc{k}"))
            a, b = env.timeout(0.5), env.timeout(0.25)
            yield env.all_of([a, b])
            fired.append((env.now, f"both{k}"))

    arrivals = sorted(rng.choice((0.25, 0.5, 0.75, 1.0, 1.5)) * k for k in range(1, 120))

    def arrive(k: int) -> None:  # a chain of pre-drawn arrivals, as the flow keeps them
        fired.append((env.now, f"arrival{k}"))
        if k + 1 < len(arrivals):
            delay = arrivals[k + 1] - env.now
            if bare:
                assert isinstance(env, Clock)
                env.arrival = (env.now + delay, NORMAL, next(env.eids), arrive, k + 1)
            else:
                ev = env.timeout(delay, k + 1)
                ev.callbacks.append(lambda e: arrive(e.value))

    for k in range(5):
        later(k * 0.5, f"root{k}", step)
    later(arrivals[0], 0, arrive)  # type: ignore[arg-type]
    env.process(proc())
    return fired


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_clock_fires_what_simpy_fires_in_the_same_order(seed: int) -> None:
    plain, clock = simpy.Environment(), Clock()
    old = _workload(plain, bare=False, seed=seed)
    new = _workload(clock, bare=True, seed=seed)
    targets = [0.0, 0.25, 1.0, 1.1, 3.0, 3.0, 7.3, 10.0, 10.25, 30.0, 1000.0]
    for target in targets:
        _old_run_until(plain, target)
        clock.advance(target)
        assert new == old
        assert clock.now == plain.now
    assert len(old) > 300  # the workload did run, with ties
    assert len({t for t, _ in old}) < len(old) / 1.5


def test_a_target_that_rounds_past_itself_stops_where_simpy_stops() -> None:
    """now + (target - now) can land one step past the target; SimPy then also runs the
    urgent events made before, due at that stop (its until event is urgent too, and
    later), its clock ends there, and so must the clock's."""
    now, target = 23.46, 96.01
    stop = now + (target - now)
    assert stop > target  # the rounding case: 96.01000000000002
    runs: list[list[str]] = []
    for env in (simpy.Environment(), Clock()):
        fired: list[str] = []
        env.timeout(now).callbacks.append(lambda _e: None)
        _old_run_until(env, now)
        urgent = env.event()
        urgent._ok, urgent._value = True, "urgent at stop"
        urgent.callbacks.append(lambda e, fired=fired: fired.append(e.value))
        env.schedule(urgent, URGENT, stop - now)
        env.timeout(stop - now, "normal at stop").callbacks.append(
            lambda e, fired=fired: fired.append(e.value)
        )
        if isinstance(env, Clock):
            env.advance(target)
        else:
            _old_run_until(env, target)
        assert env.now == stop
        runs.append(fired)
    assert runs[0] == runs[1] == ["urgent at stop"]


def test_a_failed_event_fails_the_run_as_in_simpy() -> None:
    clock = Clock()
    ev = clock.event()
    ev.fail(RuntimeError("broken"))
    with pytest.raises(RuntimeError, match="broken"):
        clock.advance(1.0)


def test_a_negative_delay_is_refused() -> None:
    with pytest.raises(ValueError, match="Negative delay"):
        Clock().call_in(-1.0, print, None)
