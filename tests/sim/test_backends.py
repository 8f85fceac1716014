"""Serial, process-pool and Dask backends give bit-identical Monte Carlo results."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.backends import DaskBackend, chunks, make_backend
from sim.analysis.journal import build_journal, without_wall_clock
from sim.analysis.montecarlo import run_monte_carlo


def _summary(result):
    return json.dumps(
        {k: s.to_dict() for k, s in result.kpis.items()}, sort_keys=True
    ) + json.dumps([c.to_dict() for c in result.targets], sort_keys=True)


def test_chunks_cover_in_order():
    assert chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunks([], 3) == []


def _journal(plan, scenario, result) -> str:
    """The whole run journal minus its wall-clock ``meta``, as the JSON a user keeps."""
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    journal = build_journal(
        plan,
        scenario,
        result,
        seed=99,
        plan_file="plan.yaml",
        scenario_file="scenario.yaml",
        started=now,
        ended=now,
        workers=2,
    )
    return json.dumps(without_wall_clock(journal), sort_keys=True)


def test_serial_process_and_dask_are_identical():
    pytest.importorskip("dask.distributed")
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    results = {}
    for name in ("serial", "process", "dask"):
        backend = make_backend(name, workers=2)
        try:
            results[name] = run_monte_carlo(
                plan, scenario, 10, seed=99, workers=2, backend=backend, interval=60.0
            )
        finally:
            backend.close()
    assert results["serial"].seeds == results["process"].seeds == results["dask"].seeds
    assert _summary(results["serial"]) == _summary(results["process"]) == _summary(results["dask"])
    for key in ("service_level", "rto", "abandonment"):
        assert list(results["serial"].values(key)) == list(results["dask"].values(key))
    journals = {name: _journal(plan, scenario, r) for name, r in results.items()}
    assert journals["serial"] == journals["process"] == journals["dask"]
    assert '"replication_kpis"' in journals["dask"] and '"intervals"' in journals["dask"]


def test_local_dask_workers_start_ready_and_quiet():
    """The tuned LocalCluster: workers import the simulation as they start (not in the
    first task) and run without the statistical profiler competing for the GIL."""
    pytest.importorskip("dask.distributed")
    backend = make_backend("dask", workers=2)
    try:
        assert isinstance(backend, DaskBackend)

        def state() -> tuple[bool, bool]:
            import sys

            import dask

            return (
                "sim.analysis.montecarlo" in sys.modules,
                bool(dask.config.get("distributed.worker.profile.enabled")),
            )

        seen = backend.client.run(state)
        assert len(seen) == 2
        assert set(seen.values()) == {(True, False)}
    finally:
        backend.close()


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'spark'"):
        make_backend("spark")  # type: ignore[arg-type]
