"""Serial, process-pool and Dask backends give bit-identical Monte Carlo results."""

from __future__ import annotations

import json

import pytest

from plans import default_plan_path, load_plan
from scenarios import default_scenario_path, load_scenario
from sim.analysis.backends import chunks, make_backend
from sim.analysis.montecarlo import run_monte_carlo


def _summary(result):
    return json.dumps(
        {k: s.to_dict() for k, s in result.kpis.items()}, sort_keys=True
    ) + json.dumps([c.to_dict() for c in result.targets], sort_keys=True)


def test_chunks_cover_in_order():
    assert chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunks([], 3) == []


def test_serial_process_and_dask_are_identical():
    pytest.importorskip("dask.distributed")
    plan, scenario = load_plan(default_plan_path()), load_scenario(default_scenario_path())
    results = {}
    for name in ("serial", "process", "dask"):
        backend = make_backend(name, workers=2)
        try:
            results[name] = run_monte_carlo(plan, scenario, 10, seed=99, workers=2, backend=backend)
        finally:
            backend.close()
    assert results["serial"].seeds == results["process"].seeds == results["dask"].seeds
    assert _summary(results["serial"]) == _summary(results["process"]) == _summary(results["dask"])
    for key in ("service_level", "rto", "abandonment"):
        assert list(results["serial"].values(key)) == list(results["dask"].values(key))


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'spark'"):
        make_backend("spark")  # type: ignore[arg-type]
