"""One staffing level judged on as few replications as its verdict needs.

Why stop early: a level is supported when every target's one-sided Wilson lower bound
over all ``n`` replications reaches the confidence (:mod:`sim.analysis.staffing_targets`).
Replications run in seed order, so after ``k`` of them each target's final count of
runs that met it lies between what is met so far and that plus the ``n - k`` still to
come. Once even all the rest meeting it leaves a target short, the level is not
supported; once every target reaches the confidence even if all the rest miss, it
is. Either way the remaining runs cannot change the verdict, so they are not run:
with n = 40 and confidence 0.9 the first miss decides. The verdict is the one all
``n`` runs would give, on the same seeds; the evidence reported is that of the runs
made, and says on how many runs it rests.
"""

from __future__ import annotations

from plans.model import Plan
from scenarios.model import Scenario
from sim.analysis.backends import Backend
from sim.analysis.montecarlo import Accumulator, iter_replications
from sim.analysis.staffing_targets import Target, TargetEvidence, target_evidence, wilson_bounds
from sim.engine.rng import replication_seeds


def decided(met: list[int], done: int, n: int, confidence: float) -> bool | None:
    """The verdict all ``n`` runs must give after ``done`` of them, or None while open.

    ``met``: per target, how many of the runs done met it.
    """
    rest = n - done
    if any(wilson_bounds(m + rest, n)[0] < confidence for m in met):
        return False  # even if every run left meets it, this target stays short
    if all(wilson_bounds(m, n)[0] >= confidence for m in met):
        return True  # even if every run left misses, every target is reached
    return None if rest else False


def judge_level(
    plan: Plan,
    scenario: Scenario,
    targets: list[Target],
    confidence: float,
    replications: int,
    seed: int,
    backend: Backend,
    workers: int = 1,
    early: bool = True,
) -> tuple[tuple[TargetEvidence, ...], bool]:
    """Evidence per target and whether the level is supported (``early``: stopping as soon
    as the verdict is decided; the evidence then rests on the runs made)."""
    seeds = replication_seeds(seed, replications)
    acc = Accumulator(plan, scenario)
    checks = [t.check() for t in targets]
    met = [0] * len(targets)
    verdict: bool | None = None
    figures = tuple(sorted({t.kpi for t in targets}))  # all a level is judged on
    results = iter_replications(plan, scenario, seeds, workers, backend=backend, figures=figures)
    try:
        for done, result in enumerate(results, start=1):
            acc.add(result)
            for i, (target, check) in enumerate(zip(targets, checks, strict=True)):
                met[i] += check.met(float(result.kpis.get(target.kpi, float("nan"))))
            verdict = decided(met, done, replications, confidence)
            if early and verdict is not None:
                break
    finally:
        results.close()  # stops the runs still queued for this level
    runs = len(acc.seeds)
    summary = acc.result(only={t.kpi for t in targets})
    evidence = tuple(target_evidence(summary, t, runs) for t in targets)
    if runs == replications:
        verdict = all(e.lower >= confidence for e in evidence)
    assert verdict is not None
    return evidence, verdict
