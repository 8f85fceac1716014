"""Customers as people: redials, channel switching, callbacks, opening hours (issue 14).

Conservation of people and attempts on every run, Little's law with redials, nobody
lost when everybody redials, and metamorphic checks on common random numbers: more
redials never lower attempts nor raise the service level; counters take no arrivals
while closed.
"""

from __future__ import annotations

import numpy as np
import pytest

from plans import default_plan_path, load_plan
from plans.loader import bundled_plans
from scenarios import bundled_scenarios, load_scenario
from scenarios.behaviour import Behaviour
from scenarios.model import REQUEST_TYPES
from sim.engine.customer_metrics import customer_kpis
from sim.engine.demand import start_minute_of_week
from sim.engine.metrics import conservation, kpis_for, littles_law
from sim.engine.records import CLOSED, DONE, REDIAL, SWITCH, UNREACHED
from sim.engine.simulation import Simulation, simulate

TROUBLE = [
    {
        "id": "surge",
        "kind": "complaint_surge",
        "start": "9h",
        "duration": "3h",
        "multiplier": 3,
        "ramp": "30m",
        "request_types": ["complaint", "consultation"],
    },
    {
        "id": "crm",
        "kind": "outage",
        "target": "crm",
        "start": "10h",
        "duration": {"dist": "fixed", "value": "90m"},
    },
    {
        "id": "tel",
        "kind": "outage",
        "target": "telephony",
        "start": "14h",
        "duration": {"dist": "fixed", "value": "40m"},
    },
]
EVERYTHING_ON = {
    "max_attempts": 4,
    "redials": {
        "probability": 0.5,
        "delay": {"dist": "exponential", "mean": "10m"},
        "channels": {"chat": {"probability": 0.3}},
    },
    "dark_channels": {
        "phone": {"switch": {"chat": 0.3, "app": 0.2}, "retry": 0.4},
        "chat": {"switch": {"phone": 0.5}, "retry": 0.3},
        "app": {"switch": {"phone": 0.4, "counter": 0.1}, "retry": 0.3},
        "web": {"switch": {"phone": 0.4}, "retry": 0.3},
    },
    "callbacks": {"reach": 0.6, "attempts": 3, "retry_after": "20m"},
    "site_hours": {
        "main_centre": {"open": [{"days": "all", "hours": "07:00-23:00"}]},
        "second_centre": {"open": [{"days": "all", "hours": "07:00-22:00"}]},
    },
    "when_closed": {"counter": {"move_to": {"phone": 0.5}}},
    "forecast": {"volume_cv": 0.1, "surge_cv": 0.3},
}


@pytest.fixture
def busy_day(queue_scenario):
    """The default plan's staffing and channels over a Monday and Tuesday, with trouble."""

    def build(behaviour=None, horizon="1d"):
        def edit(d):
            d.pop("staffing")
            d["demand"] = {"hourly": [40] * 7 + [300] * 12 + [120] * 5}
            d["patience"] = {"default": {"dist": "exponential", "mean": "4m"}}
            if behaviour is not None:
                d["behaviour"] = behaviour

        return queue_scenario(
            edit, start="2026-03-02T00:00:00", horizon=horizon, warm_up="0m", events=TROUBLE
        )

    return build


def _phone_queue(queue_scenario, redial, rate=108, patience="3m", **extra):
    """One phone queue near saturation, customers who give up after 3 min on average."""

    def edit(d):
        d["demand"]["rate_per_hour"] = rate
        d["behaviour"] = {"redials": redial, **extra}

    return queue_scenario(edit, patience={"default": {"dist": "exponential", "mean": patience}})


def _assert_people_conserved(rec):
    k = customer_kpis(rec)
    assert k["customers"] == k["customers_served"] + k["lost_customers"] + k["customers_waiting"]
    assert k["attempts"] == k["customers"] + k["redials"] + k["channel_switches"]
    assert 0 <= k["lost_after_notice"] <= k["lost_customers"]
    for cid in rec.channel_ids:
        assert k[f"channel.{cid}.attempts"] >= k[f"channel.{cid}.redials"]
    assert sum(k[f"channel.{c}.customers"] for c in rec.channel_ids) == k["customers"]
    assert sum(k[f"channel.{c}.attempts"] for c in rec.channel_ids) == k["attempts"]
    assert sum(k[f"channel.{c}.lost_customers"] for c in rec.channel_ids) == k["lost_customers"]
    c = conservation(rec)
    parts = ("answered", "abandoned", "blocked", "dropped", "noticed", "waiting", "serving")
    assert c["arrived"] == sum(c[p] for p in (*parts, "closed", "unreached"))
    return k


@pytest.mark.parametrize("policy", ["none", "plan"])
def test_people_and_attempts_are_conserved(default_plan, busy_day, policy):
    scenario = busy_day(EVERYTHING_ON)
    for seed in (1, 2, 3):
        rec = simulate(default_plan, scenario, seed, policy=policy)
        k = _assert_people_conserved(rec)
        assert k["redials"] > 0 and k["channel_switches"] > 0
        assert k["customers"] == len(np.unique(rec.customer))  # no warm-up: every one counts
        # a customer's attempts never exceed the limit, and come in time order
        counts = np.bincount(rec.customer)
        assert counts.max() <= EVERYTHING_ON["max_attempts"]
        first = rec.attempt == 0
        assert first.sum() == k["customers"]


def test_an_empty_behaviour_changes_nothing(default_plan, busy_day):
    plain = simulate(default_plan, busy_day(), 5, policy="plan")
    off = simulate(default_plan, busy_day({"max_attempts": 3, "redials": {"probability": 0}}), 5)
    off_plan = simulate(
        default_plan, busy_day({"max_attempts": 3, "redials": {"probability": 0}}), 5, policy="plan"
    )
    assert off.customer is None and off.attempt is None  # nothing is generated in the run
    for name in ("arrival", "start", "end", "status", "channel"):
        assert np.array_equal(getattr(plain, name), getattr(off_plan, name), equal_nan=True)


@pytest.mark.parametrize("seed", [1, 2])
def test_littles_law_holds_with_redials(default_plan, queue_scenario, seed):
    def edit(d):
        d["demand"]["rate_per_hour"] = 108
        d["behaviour"] = {
            "redials": {"probability": 0.7, "delay": {"dist": "fixed", "value": "5m"}}
        }

    scenario = queue_scenario(
        edit, horizon="10d", patience={"default": {"dist": "exponential", "mean": "6m"}}
    )
    rec = Simulation(default_plan, scenario, seed, snapshot_every=1.0).run()
    assert (rec.attempt == REDIAL).sum() > 500
    level, rate, wait = littles_law(rec)
    assert level == pytest.approx(rate * wait, rel=0.03)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nobody_is_lost_when_everybody_redials(default_plan, queue_scenario, seed):
    scenario = _phone_queue(
        queue_scenario,
        {"probability": 1.0, "delay": {"dist": "exponential", "mean": "5m"}},
        rate=96,
        patience="10m",
        max_attempts=20,
    )
    rec = simulate(default_plan, scenario, seed, policy="none")
    k = _assert_people_conserved(rec)
    assert k["redials"] > 50  # people did give up, and came back
    assert k["lost_customers"] == 0
    assert k["customers_served"] + k["customers_waiting"] == k["customers"]


def test_more_redials_more_attempts_and_no_better_service(default_plan, queue_scenario):
    """Common random numbers: same seed, same customers; only the redial share changes."""
    low_p, high_p = [], []
    for p, out in ((0.2, low_p), (0.8, high_p)):
        scenario = _phone_queue(queue_scenario, {"probability": p})
        for seed in range(1, 6):
            rec = simulate(default_plan, scenario, seed, policy="none")
            k = customer_kpis(rec)
            out.append((k["attempts"], kpis_for(rec, default_plan)["service_level"]))
    for (att_low, sl_low), (att_high, sl_high) in zip(low_p, high_p, strict=True):
        assert att_high >= att_low
        assert sl_high <= sl_low + 1e-12


def test_a_notice_lowers_redials_by_the_plans_share(default_plan, queue_scenario):
    scenario = _phone_queue(queue_scenario, {"probability": 0.8})
    redials, informed = [], []
    for deflect in (0.0, 0.5):
        total = told = 0
        for seed in (1, 2, 3):
            sim = Simulation(default_plan, scenario, seed)
            sim.deflect[0] = deflect  # what the plan's notify_customers action sets
            rec = sim.run()
            total += int((rec.attempt == REDIAL).sum())
            told += int(_assert_people_conserved(rec)["lost_after_notice"])
        redials.append(total)
        informed.append(told)
    assert redials[1] < 0.75 * redials[0]
    assert informed[0] == 0 and informed[1] > 0  # those the notice spared are counted apart


def test_customers_switch_from_a_dark_channel(default_plan, busy_day):
    scenario = busy_day(
        {
            "dark_channels": {
                "phone": {"switch": {"chat": 1.0}, "switch_delay": {"dist": "fixed", "value": "2m"}}
            }
        }
    )
    rec = simulate(default_plan, scenario, 3, policy="none")
    phone, chat = rec.channel_ids.index("phone"), rec.channel_ids.index("chat")
    switched = rec.attempt == SWITCH
    assert switched.sum() > 0
    assert (rec.channel[switched] == chat).all()
    # each comes 2 minutes after the same person's phone contact met the dark line,
    # and only while the telephony was down (14:00-14:40)
    for i in np.flatnonzero(switched):
        earlier = (rec.customer == rec.customer[i]) & (rec.channel == phone)
        assert earlier.sum() == 1
        assert rec.end[earlier][0] + 2.0 == pytest.approx(rec.arrival[i])
    assert (rec.arrival[switched] >= 14 * 60).all()
    assert (rec.arrival[switched] <= 14 * 60 + 42).all()


def test_callbacks_that_do_not_reach_are_retried(default_plan, queue_scenario):
    """(1 - reach)^attempts of callbacks never reach the customer (binomial known answer)."""
    scenario = _phone_queue(
        queue_scenario, {"probability": 0.0}, callbacks={"reach": 0.5, "attempts": 3}
    )
    unreached = callbacks = 0
    for seed in (1, 2):
        sim = Simulation(default_plan, scenario, seed)
        sim.mode[0] = "callback"  # what the plan's switch_to_callback action sets
        rec = sim.run()
        _assert_people_conserved(rec)
        settled = ~rec.live & np.isin(rec.status, [DONE, UNREACHED])
        callbacks += int(settled.sum())
        unreached += int((rec.status == UNREACHED).sum())
    share = unreached / callbacks
    se = (0.125 * 0.875 / callbacks) ** 0.5
    assert abs(share - 0.125) < 4 * se


def _closed_minutes(scenario, rec, channel_id, open_from=7 * 60, open_to=23 * 60):
    c = rec.channel_ids.index(channel_id)
    minute = (start_minute_of_week(scenario) + rec.arrival) % 1440
    shut = (minute < open_from) | (minute >= open_to)
    return rec.channel == c, shut


def test_counters_receive_no_arrivals_while_closed(default_plan, busy_day):
    hours = {"main_centre": {"open": [{"days": "all", "hours": "07:00-23:00"}]}}
    hours["second_centre"] = hours["main_centre"]
    turned = busy_day({"site_hours": hours}, horizon="2d")
    rec = simulate(default_plan, turned, 4, policy="plan")
    counter, shut = _closed_minutes(turned, rec, "counter")
    assert (counter & shut).sum() > 50  # they came, and were turned away
    assert (rec.status[counter & shut] == CLOSED).all()
    assert np.isnan(rec.start[counter & shut]).all()
    assert not (counter & ~shut & (rec.status == CLOSED)).any()
    _assert_people_conserved(rec)

    moved = busy_day(
        {"site_hours": hours, "when_closed": {"counter": {"move_to": {"phone": 1.0}}}}, "2d"
    )
    rec2 = simulate(default_plan, moved, 4, policy="plan")
    counter2, shut2 = _closed_minutes(moved, rec2, "counter")
    assert not (counter2 & shut2).any()  # every one of them phoned instead
    phone2, _ = _closed_minutes(moved, rec2, "phone")
    phone1, _ = _closed_minutes(turned, rec, "phone")
    assert (phone2 & shut2).sum() > (phone1 & shut).sum() + 50


def test_channel_profile_sets_the_mix_by_hour(default_plan, busy_day):
    weights = [0.0] * 7 + [1.0] * 17
    scenario = busy_day({"channel_profile": {"counter": weights}})
    rec = simulate(default_plan, scenario, 2, policy="none")
    counter, night = _closed_minutes(scenario, rec, "counter", 7 * 60, 24 * 60)
    assert not (counter & night).any()
    plain = simulate(default_plan, busy_day(), 2, policy="none")
    # the hourly total stays the demand profile's: the night's customers used other channels
    assert abs(int((rec.arrival < 7 * 60).sum()) - int((plain.arrival < 7 * 60).sum())) == 0


def test_forecast_error_spreads_the_volume(default_plan, queue_scenario):
    """A mixed Poisson count: variance = mean + (cv * mean)^2, mean unchanged."""
    from sim.engine.demand import draw_customers
    from sim.engine.rng import make_streams

    def edit(d):
        d["behaviour"] = {"forecast": {"volume_cv": 0.2}}

    scenario = queue_scenario(edit)
    counts = np.array(
        [len(draw_customers(default_plan, scenario, make_streams(s))) for s in range(400)]
    )
    mean = 96 * 24
    assert counts.mean() == pytest.approx(mean, rel=0.03)
    assert counts.var() == pytest.approx(mean + (0.2 * mean) ** 2, rel=0.25)


def test_surge_size_varies_by_replication(default_plan, queue_scenario):
    from sim.engine.demand import draw_customers
    from sim.engine.rng import make_streams

    surge = {
        "id": "s",
        "kind": "complaint_surge",
        "start": "2h",
        "duration": "4h",
        "multiplier": 3,
        "request_types": list(REQUEST_TYPES),
    }

    def extra(cv):
        def edit(d):
            d["demand"]["request_types"] = {"consultation": 1.0}
            d["behaviour"] = {"forecast": {"surge_cv": cv}}

        scenario = queue_scenario(edit, events=[surge])
        return np.array(
            [
                int(draw_customers(default_plan, scenario, make_streams(s)).surge.sum())
                for s in range(200)
            ]
        )

    fixed, spread = extra(0.0), extra(0.5)
    assert spread.mean() == pytest.approx(fixed.mean(), rel=0.1)  # 96/h * 2 * 4h = 768
    assert spread.std() > 3 * fixed.std()


DRILLS = sorted(n for n in bundled_scenarios() if not n.startswith("mmc"))


@pytest.mark.parametrize("name", DRILLS)
def test_bundled_drills_turn_behaviour_on_and_keep_people_conserved(name):
    scenario = load_scenario(bundled_scenarios()[name])
    assert scenario.behaviour.in_run() and scenario.behaviour.redials_on()
    assert scenario.behaviour.forecast.volume_cv > 0
    plan = load_plan(bundled_plans().get(scenario.meta.plan or "", default_plan_path()))
    for seed in (1, 2):
        rec = simulate(plan, scenario, seed, policy="plan")
        _assert_people_conserved(rec)


@pytest.mark.parametrize("name", sorted(n for n in bundled_scenarios() if n.startswith("mmc")))
def test_known_answer_queues_keep_behaviour_off(name):
    scenario = load_scenario(bundled_scenarios()[name])
    assert scenario.behaviour == Behaviour()


def test_forecast_error_widens_the_chance_of_meeting_the_target(default_plan, queue_scenario):
    """P(service level >= target) over replications reflects forecast error, not only Poisson.

    On a queue staffed for its forecast (8 E on 10 agents, 8 hours), a 20% volume error
    makes bad days worse and good days better: the spread of the service level over
    replications grows, and the chance of meeting 80% moves away from the Poisson-only one.
    """
    from sim.analysis.montecarlo import run_monte_carlo

    def scenario(cv):
        def edit(d):
            d["behaviour"] = {"forecast": {"volume_cv": cv}}

        return queue_scenario(edit, horizon="8h", warm_up="0m")

    spread = {}
    for cv in (0.0, 0.2):
        result = run_monte_carlo(default_plan, scenario(cv), 60, seed=11, policy="none")
        sl = result.values("service_level")
        offered = result.values("offered")
        spread[cv] = (np.percentile(sl, 95) - np.percentile(sl, 5), offered.std())
    assert spread[0.2][1] > 2.5 * spread[0.0][1]  # volume: Poisson sd 28, forecast sd ~150
    assert spread[0.2][0] > 1.5 * spread[0.0][0]


def test_the_order_settings_are_written_in_changes_nothing(default_plan, busy_day):
    """Same settings, keys in another order (as a YAML dump sorts them): same run."""
    hours = {"main_centre": {"open": [{"days": "all", "hours": "07:00-23:00"}]}}
    hours["second_centre"] = hours["main_centre"]
    one = {
        "dark_channels": {"phone": {"switch": {"chat": 0.3, "app": 0.2}, "retry": 0.2}},
        "site_hours": hours,
        "when_closed": {"counter": {"move_to": {"phone": 0.4, "chat": 0.3}}},
    }
    other = {
        "when_closed": {"counter": {"move_to": {"chat": 0.3, "phone": 0.4}}},
        "site_hours": hours,
        "dark_channels": {"phone": {"retry": 0.2, "switch": {"app": 0.2, "chat": 0.3}}},
    }
    a = simulate(default_plan, busy_day(one, "2d"), 6, policy="none")
    b = simulate(default_plan, busy_day(other, "2d"), 6, policy="none")
    assert (a.attempt == SWITCH).sum() > 0
    for name in ("arrival", "channel", "status", "customer", "attempt"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
