"""A drill's replayed centre, kept between views of the same drill in this process.

Why: every view rebuilds the centre by replaying the log (:mod:`drills.replay`), so a
board at 7 h ran 7 h of simulation on every click. The engine is deterministic and a
replay only runs forward, so a centre replayed to a prefix of the log and then given
the entries written since is the centre a fresh replay gives: a view continues the kept
centre instead (the fixture of tests/test_speed_same_results.py and
tests/dashboard/test_replay_cache.py compare both). A kept centre is used only when the
log it played is the start of the drill's log now and nothing since runs earlier than
where it stands; otherwise the view replays afresh, as before. Only the board uses it;
whatever writes to the drill (a decision, the end) replays afresh.

A centre serves one view at a time: it is taken out while in use, so two threads never
share one; the one that finishes puts it back.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any

from drills.records import DrillRecord, Entry
from drills.replay import open_simulation, replay_entry
from i18n import current_language
from sim.engine.simulation import Simulation

KEPT = 4
"""Centres kept at most (one per drill being viewed; each a few MB)."""
REPLAYED = ("advance", "pause", "decision")
"""Entry kinds a replay plays (:func:`drills.replay.replay_entry`); the rest change nothing."""

Step = tuple[int, str, float, str, str]
_lock = threading.Lock()
_kept: OrderedDict[tuple[Any, ...], tuple[Simulation, tuple[Step, ...]]] = OrderedDict()


def _key(record: DrillRecord) -> tuple[Any, ...]:
    """What a kept centre must share with the view: the drill's inputs, and the language
    (a replayed verdict's reason is said in the language of the replay)."""
    return (
        current_language(),
        record.id,
        record.seed,
        record.plan_name,
        record.plan_text,
        record.scenario_name,
        record.scenario_text,
    )


def _step(entry: Entry) -> Step:
    said = json.dumps(entry.payload, sort_keys=True, default=str)  # not for people: a key
    return (entry.seq, entry.kind, entry.sim_time, said, json.dumps(entry.result, default=str))


def _replayed(record: DrillRecord) -> list[Entry]:
    return [e for e in record.entries if e.kind in REPLAYED]


def _runs_to(entry: Entry) -> float:
    return float(entry.payload["to"]) if entry.kind in ("advance", "pause") else entry.sim_time


def view_simulation(record: DrillRecord) -> Simulation:
    """The drill's centre at its clock: a kept one carried forward, else a fresh replay.

    Give it back with :func:`keep` when done (or ``release()`` it to drop it).
    """
    entries = _replayed(record)
    steps = tuple(_step(e) for e in entries)
    with _lock:
        kept = _kept.pop(_key(record), None)
    if kept is not None:
        sim, done = kept
        rest = entries[len(done) :]
        if (
            steps[: len(done)] == done
            and all(_runs_to(e) >= sim.now for e in rest)
            and record.clock >= sim.now
        ):
            try:
                for entry in rest:
                    replay_entry(sim, record, entry)
                sim.run_until(record.clock)
            except BaseException:
                sim.release()
                raise
            return sim
        sim.release()
    return open_simulation(record)


def keep(record: DrillRecord, sim: Simulation) -> None:
    """Keep the centre a view used, for the next view of the same drill."""
    steps = tuple(_step(e) for e in _replayed(record))
    key = _key(record)
    with _lock:
        other = _kept.pop(key, None)
        if other is not None and len(other[1]) > len(steps):
            sim.release()
            sim, steps = other  # another view got further: keep that one
        elif other is not None:
            other[0].release()
        _kept[key] = (sim, steps)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)[1][0].release()


def forget() -> None:
    """Drop every kept centre (tests; a server that wants its memory back)."""
    with _lock:
        for sim, _steps in _kept.values():
            sim.release()
        _kept.clear()
