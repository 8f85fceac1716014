"""The service level counts the customers a disruption turned away (issue 14).

Why: counting only those who queued, a day whose notices and dark channels sent most
callers away read better than a calm day. The queue's own figure (what Erlang C / A
predict) stays as ``queue_service_level``; the two agree when nobody was turned away.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenarios import load_scenario
from scenarios.loader import library_dir
from sim.engine.goal_metrics import goal_kpis
from sim.engine.interval_metrics import interval_key, interval_kpis, interval_starts
from sim.engine.metrics import kpis_for, window_mask
from sim.engine.records import ABANDONED, CLOSED, DONE, SERVING, TURNED_AWAY
from sim.engine.simulation import Simulation, simulate


def _by_hand(rec, threshold, mask):
    live = rec.live & mask
    answered = live & ((rec.status == DONE) | (rec.status == SERVING))
    abandoned = live & (rec.status == ABANDONED)
    away = live & np.isin(rec.status, TURNED_AWAY)
    within = answered & (rec.start - rec.arrival <= threshold + 1e-9)
    return within.sum(), answered.sum() + abandoned.sum(), away.sum()


@pytest.fixture(scope="module")
def outage_run(default_plan):
    scenario = load_scenario(library_dir() / "telephony_outage.yaml")
    return simulate(default_plan, scenario, 3)


def test_turned_away_count_against_the_service_level(default_plan, outage_run):
    rec = outage_run
    k = kpis_for(rec, default_plan)
    threshold = default_plan.targets.service_level.answer_within
    within, queued, away = _by_hand(rec, threshold, window_mask(rec))
    assert away > 0, "the telephony outage turns callers away"
    assert k["turned_away"] == away
    assert k["service_level"] == pytest.approx(within / (queued + away))
    assert k["queue_service_level"] == pytest.approx(within / queued)
    assert k["service_level"] < k["queue_service_level"]


def test_closed_hours_are_not_counted_as_turned_away():
    assert CLOSED not in TURNED_AWAY


def test_no_one_turned_away_gives_the_queue_figure(default_plan, queue_scenario):
    rec = simulate(default_plan, queue_scenario(), 5)
    k = kpis_for(rec, default_plan)
    assert k["turned_away"] == 0
    assert k["service_level"] == k["queue_service_level"]


def test_intervals_and_channel_goals_count_them_too(default_plan, outage_run):
    rec = outage_run
    goals = goal_kpis(rec, default_plan)
    phone = rec.channel_ids.index("phone")
    goal = default_plan.targets.service_goals["phone"]
    mask = window_mask(rec) & (rec.channel == phone)
    within_goal = (
        rec.live
        & mask
        & ((rec.status == DONE) | (rec.status == SERVING))
        & (rec.start - rec.arrival <= goal.answer_within + 1e-9)
    ).sum()
    _w, queued, away = _by_hand(rec, goal.answer_within, mask)
    short = 0
    if goal.short_abandon is not None:
        waits = np.where(np.isnan(rec.start), rec.end, rec.start) - rec.arrival
        short = (
            rec.live & mask & (rec.status == ABANDONED) & (waits <= goal.short_abandon + 1e-9)
        ).sum()
    assert goals["goal.phone.service_level"] == pytest.approx(within_goal / (queued + away - short))


def test_the_dark_hour_shows_in_the_interval_figures(default_plan):
    scenario = load_scenario(library_dir() / "telephony_outage.yaml")
    sim = Simulation(default_plan, scenario, 3)
    rec = sim.run()
    groups = np.asarray(sim.c_group[: len(rec)], dtype=np.int64)
    figures = interval_kpis(rec, default_plan, 60.0, groups, sim.g_skills)
    phone = rec.channel_ids.index("phone")
    worst = None
    for i, start in enumerate(interval_starts(rec.horizon, 60.0)):
        mask = (rec.arrival >= start) & (rec.arrival < start + 60.0) & (rec.channel == phone)
        within, queued, away = _by_hand(rec, default_plan.targets.service_level.answer_within, mask)
        level = figures[interval_key(i, "phone", "service_level")]
        if queued + away:
            assert level == pytest.approx(within / (queued + away)), i
        else:
            assert math.isnan(level), i
        if away and (worst is None or level < worst):
            worst = level
    assert worst is not None and worst < 0.5, "an hour of dark phones reads as one"
