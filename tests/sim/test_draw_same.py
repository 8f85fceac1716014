"""Drawing customers faster draws the same customers (issue 19).

The draw keeps per (plan, scenario) what depends only on them, seeds its child
generators in one pass, makes streams on first use and keeps a sampler per
distribution. None of it may change a number: customers drawn with the cache equal
those drawn with fresh tables, and both equal, bit for bit, the customers the draw
gave before these changes (digests in tests/data/golden/customers_digests.json, made
by the draw of commit 182eb93 on the scenarios built here). Each shortcut is also
checked against the numpy call it replaces, on the inputs where it could go wrong.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from plans import Plan
from scenarios import bundled_scenarios, default_scenario_path, load_scenario
from scenarios.behaviour import Behaviour
from scenarios.distributions import Empirical, Exponential, Fixed, Gamma, Lognormal, Uniform
from scenarios.model import REQUEST_TYPES, Scenario, TimeModel
from sim.engine.demand import Customers, _hour_of_day, draw_customers
from sim.engine.demand_tables import cdf_of, demand_tables
from sim.engine.hours import _build, open_tables
from sim.engine.rng import STREAM_NAMES, child_generators, make_streams, replication_seeds
from sim.engine.sampling import sample, sample_one, sampler

DIGESTS = Path(__file__).parents[1] / "data" / "golden" / "customers_digests.json"
SEEDS = [*replication_seeds(7, 60)[20:23], 0, 12345]
EDGE_SEEDS = [0, 1, 2**32 - 1, 2**32, 2**63 - 1, 2**64 - 1]


def all_on(base: Scenario) -> Scenario:
    """Every behaviour that changes the draw: hours, moves, a mix by hour, forecast error,
    a start off the hour, and one distribution of each family."""
    behaviour = Behaviour.model_validate(
        {
            "channel_hours": {"chat": {"open": [{"days": "all", "hours": "08:00-20:00"}]}},
            "site_hours": {
                "main_centre": {"open": [{"days": "all", "hours": "07:00-23:00"}]},
                "second_centre": {"open": [{"days": "all", "hours": "07:00-22:00"}]},
            },
            "when_closed": {
                "counter": {"move_to": {"phone": 0.4, "chat": 0.3}},
                "chat": {"move_to": {"web": 0.5}},
            },
            "channel_profile": {"counter": [0.1] * 7 + [1.0] * 16 + [0.1]},
            "forecast": {"volume_cv": 0.1, "surge_cv": 0.3},
        }
    )
    handle = TimeModel.model_validate(
        {
            "default": {"dist": "gamma", "mean": 5.0, "cv": 0.5},
            "overrides": [
                {
                    "channel": "chat",
                    "time": {"dist": "empirical", "values": [2.0, 4.0, 9.0], "weights": [1, 2, 1]},
                },
                {"channel": "counter", "time": {"dist": "uniform", "low": 3.0, "high": 9.0}},
                {"type": "complaint", "time": {"dist": "fixed", "value": 6.0}},
            ],
        }
    )
    start = base.start.replace(hour=5, minute=17, second=30)
    return base.model_copy(update={"behaviour": behaviour, "handle_time": handle, "start": start})


def dark_hours(plan: Plan, base: Scenario) -> Scenario:
    """Three days in which no channel has weight at 09:00-11:00 (those arrivals: channel 0)."""
    profile = tuple([1.0] * 9 + [0.0] * 2 + [1.0] * 13)
    behaviour = base.behaviour.model_copy(
        update={"channel_profile": {c.id: profile for c in plan.channels}}
    )
    return base.model_copy(update={"behaviour": behaviour, "horizon": 3 * 1440.0})


def scenarios(plan: Plan) -> dict[str, Scenario]:
    """The bundled scenarios (not their translations) and the variants above."""
    out = {
        name: load_scenario(path)
        for name, path in bundled_scenarios().items()
        if not name.endswith("_zh")
    }
    surge = all_on(out["complaint_surge_billing_error"])
    out["all_on"] = surge
    out["dark_hours"] = dark_hours(plan, surge)
    typhoon = out["typhoon_site_closure"]
    out["typhoon_odd_start"] = typhoon.model_copy(
        update={
            "horizon": 2 * 1440.0 + 17.5,
            "start": typhoon.start.replace(minute=45, second=13),
        }
    )
    return out


def digest(customers: Customers) -> str:
    """sha256 of every column's name, dtype, shape and bytes, in field order."""
    h = hashlib.sha256()
    for f in fields(customers):
        value = getattr(customers, f.name)
        h.update(f.name.encode())
        if value is None:
            h.update(b"none")
            continue
        h.update(str(value.dtype).encode() + str(value.shape).encode())
        h.update(np.ascontiguousarray(value).tobytes())
    return h.hexdigest()


def assert_same(a: Customers, b: Customers) -> None:
    for f in fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x is None or y is None:
            assert x is None and y is None, f.name
            continue
        assert x.dtype == y.dtype and x.shape == y.shape, f.name
        assert x.tobytes() == y.tobytes(), f.name


@pytest.fixture(scope="module")
def drawn(default_plan: Plan) -> dict[str, Scenario]:
    return scenarios(default_plan)


def test_cached_tables_draw_what_fresh_tables_draw(default_plan, drawn):
    for name, scenario in drawn.items():
        for seed in SEEDS:
            cached = draw_customers(default_plan, scenario, make_streams(seed))
            fresh = draw_customers(default_plan, scenario, make_streams(seed), cached=False)
            assert_same(cached, fresh)
            assert len(cached) > 0, name


def test_customers_are_bit_for_bit_those_drawn_before_the_speed_up(default_plan, drawn):
    expected = json.loads(DIGESTS.read_text(encoding="utf-8"))["digests"]
    got = {
        f"{name}/{seed}": digest(draw_customers(default_plan, scenario, make_streams(seed)))
        for name, scenario in drawn.items()
        for seed in SEEDS
    }
    assert got == expected


def test_the_variants_exercise_what_they_are_for(default_plan, drawn):
    """Closed channels turn some away, surges add customers, the dark hours send every
    arrival to channel 0 and every family of distribution is drawn."""
    on = draw_customers(default_plan, drawn["all_on"], make_streams(SEEDS[0]))
    assert on.closed is not None and 0 < on.closed.sum() < len(on)
    assert 0 < on.surge.sum() < len(on)
    assert len(np.unique(on.handle)) > 100 and {2.0, 4.0, 9.0, 6.0} <= set(on.handle.tolist())
    dark = drawn["dark_hours"]
    c = draw_customers(default_plan, dark, make_streams(SEEDS[0]))
    hour = _hour_of_day(demand_tables(default_plan, dark).offset + c.time)
    dark_hour = (hour >= 9) & (hour < 11)
    assert dark_hour.sum() > 100
    assert np.all(c.channel[dark_hour] == 0) and np.any(c.channel[~dark_hour] != 0)


def test_a_changed_scenario_is_not_served_stale_tables(default_plan, drawn):
    """A copy with more demand is a new object: its own tables, more customers."""
    base = drawn["crm_outage_monday_peak"]
    demand = base.demand.model_copy(
        update={"hourly": None, "rate_per_hour": 2000.0, "day_factors": {}}
    )
    busier = base.model_copy(update={"demand": demand})
    a = draw_customers(default_plan, base, make_streams(3))
    b = draw_customers(default_plan, busier, make_streams(3))
    assert demand_tables(default_plan, base) is demand_tables(default_plan, base)
    assert demand_tables(default_plan, busier) is not demand_tables(default_plan, base)
    assert len(b) > 2 * len(a)


def test_child_generators_are_default_rngs_of_their_seeds():
    seeds = np.array(
        [*np.random.default_rng(11).integers(2**63, size=500), *EDGE_SEEDS[:-1]], dtype=np.int64
    )
    for seed, child in zip(seeds, child_generators(seeds), strict=True):
        fresh = np.random.default_rng(seed)
        assert child.bit_generator.state == fresh.bit_generator.state
        assert child.lognormal(1.0, 0.6, 7).tolist() == fresh.lognormal(1.0, 0.6, 7).tolist()
        assert child.random() == fresh.random()  # half-used state is not carried over
    big = np.array(EDGE_SEEDS, dtype=np.uint64)
    for seed, child in zip(big.tolist(), child_generators(big), strict=True):
        assert child.bit_generator.state == np.random.default_rng(seed).bit_generator.state


def test_streams_made_on_first_use_are_the_spawned_ones():
    for seed in [0, 7, *replication_seeds(7, 3)]:
        spawned = np.random.SeedSequence(seed).spawn(len(STREAM_NAMES))
        streams = make_streams(seed)
        for name in reversed(STREAM_NAMES):  # any order of first use
            expected = np.random.default_rng(spawned[STREAM_NAMES.index(name)])
            assert streams[name].random(4).tolist() == expected.random(4).tolist()
        assert streams["arrivals"] is streams["arrivals"]
    with pytest.raises(KeyError):
        make_streams(1)["no such stream"]


DISTRIBUTIONS = [
    Exponential(dist="exponential", mean=3.0),
    Lognormal(dist="lognormal", mean=5.0, cv=0.7),
    Gamma(dist="gamma", mean=4.0, cv=0.4),
    Gamma(dist="gamma", mean=4.0, cv=1.8),
    Fixed(dist="fixed", value=2.5),
    Empirical(dist="empirical", values=(1.0, 2.5, 7.0), weights=(2.0, 5.0, 3.0)),
    Uniform(dist="uniform", low=1.0, high=4.0),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=lambda d: d.dist)
def test_samplers_draw_what_numpy_draws(dist):
    a, b, c = (np.random.default_rng(5) for _ in range(3))
    if isinstance(dist, Exponential):
        expected = b.exponential(dist.mean, 50)
    elif isinstance(dist, Lognormal):
        expected = b.lognormal(*dist.log_params(), 50)
    elif isinstance(dist, Gamma):
        expected = b.gamma(*dist.shape_scale(), 50)
    elif isinstance(dist, Fixed):
        expected = np.full(50, dist.value)
    elif isinstance(dist, Empirical):
        expected = b.choice(np.asarray(dist.values), size=50, p=np.asarray(dist.probabilities()))
    else:
        expected = b.uniform(dist.low, dist.high, 50)
    assert sample(dist, a, 50).tolist() == expected.tolist()
    assert sampler(dist) is sampler(dist)
    ones = [sample_one(dist, c) for _ in range(50)]
    assert ones == [float(x) for x in expected]  # one at a time: the same numbers
    assert a.random() == c.random()  # and the same draws used up


def test_opening_tables_are_kept_read_only_and_equal_fresh_ones(default_plan, drawn):
    scenario = drawn["all_on"]
    kept = open_tables(default_plan, scenario)
    assert [t is None for t in kept] == [t is None for t in _build(default_plan, scenario)]
    for a, b in zip(kept, _build(default_plan, scenario), strict=True):
        if a is not None:
            assert b is not None and np.array_equal(a, b) and not a.flags.writeable
    assert all(a is b for a, b in zip(kept, open_tables(default_plan, scenario), strict=True))


def test_hour_of_day_is_the_floor_division_even_next_to_a_whole_hour():
    hours = np.arange(0, 24 * 7 * 3) * 60.0
    near = np.concatenate(
        [hours, np.nextafter(hours, -np.inf), np.nextafter(hours, np.inf), hours + 1e-9]
    )
    near = near[near >= 0]
    rng = np.random.default_rng(2)
    odd = 1234.5 + 1 / 3 + np.sort(rng.random(5000) * 4000)
    for minute in (near, odd, (1234.5 + 1 / 3) + near):
        assert _hour_of_day(minute).tolist() == ((minute // 60) % 24).astype(np.int64).tolist()


def test_cumulative_shares_pick_what_a_clipped_search_picked():
    """Shares whose total rounds below 1 and draws just under 1: the last category."""
    for probs in ([0.1] * 10, [0.15, 0.5, 0.2, 0.15], [0.3, 0.7, 0.0], [1 / 3] * 3, [0.0, 2.0]):
        p = np.asarray(probs)
        old = np.cumsum(p / p.sum())
        new = cdf_of(list(probs))
        assert new is not None
        u = np.concatenate(
            [np.random.default_rng(1).random(2000), old, np.nextafter(old, 0), [1 - 2**-53]]
        )
        u = u[u < 1]
        clipped = np.minimum(np.searchsorted(old, u, side="right"), len(p) - 1)
        assert np.searchsorted(new, u, side="right").tolist() == clipped.tolist()
    assert cdf_of([0.0, 0.0]) is None


def test_the_default_scenario_is_among_those_checked(drawn):
    assert any(s == load_scenario(default_scenario_path()) for s in drawn.values())


def test_one_draw_samplers_draw_what_sampling_the_picked_distribution_draws(default_plan, drawn):
    """What journeys would call per attempt: the same number as ``sample(pick(...), 1)``."""
    for scenario in (drawn["all_on"], drawn["crm_outage_monday_peak"]):
        tables = demand_tables(default_plan, scenario)
        assert scenario.patience is not None
        keys = [(c, t) for c in default_plan.channels for t in REQUEST_TYPES]
        assert len(tables.handle_one) == len(tables.patience_one) == len(keys)
        for k, (channel, rt) in enumerate(keys):
            for one, model in (
                (tables.handle_one[k], scenario.handle_time),
                (tables.patience_one[k], scenario.patience),
            ):
                a, b = np.random.default_rng(k), np.random.default_rng(k)
                dist = model.pick(channel.id, rt)
                assert [one(a) for _ in range(5)] == sample(dist, b, 5).tolist()
    no_patience = drawn["crm_outage_monday_peak"].model_copy(update={"patience": None})
    assert demand_tables(default_plan, no_patience).patience_one == ()
