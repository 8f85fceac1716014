"""Plan and scenario go to each worker once (sim.analysis.shipping), and nothing changes."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

from plans import default_plan_path, load_plan
from sim.analysis.shipping import Shipped


def _identity_of(shipped: Shipped[object]) -> int:
    return id(shipped.value)


def test_a_shipped_value_is_pickled_once_and_arrives_equal() -> None:
    plan = load_plan(default_plan_path())
    shipped = Shipped(plan)
    first = pickle.dumps(shipped)
    assert shipped._wire is not None
    wire = shipped._wire
    assert pickle.dumps(shipped) == first and shipped._wire is wire  # not pickled again
    arrived = pickle.loads(first)
    assert arrived.value == plan and arrived.value is not plan
    assert pickle.loads(first) is arrived  # the same bytes: the object already unpickled


def test_a_worker_hands_every_task_the_same_object() -> None:
    shipped = Shipped({"plan": list(range(1000))})
    with ProcessPoolExecutor(max_workers=1) as pool:
        ids = list(pool.map(_identity_of, [shipped] * 5))
        other = pool.submit(_identity_of, Shipped({"plan": [1]})).result()
    assert len(set(ids)) == 1
    assert other != ids[0]
