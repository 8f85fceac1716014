"""Variant keys change exactly what they say; comparisons pair replications on common seeds."""

from __future__ import annotations

import math

import numpy as np
import pytest

from plans import ModelFileError, Plan
from scenarios import bundled_scenarios, load_scenario
from scenarios.model import ComplaintSurge, Scenario
from sim.analysis.compare import MAIN_KPIS, compare, paired_difference
from sim.analysis.variant_changes import VaryError, scale_counts
from sim.analysis.variants import (
    Variant,
    apply_variant,
    combinations,
    parse_vary,
    variants_from_file,
)

SEED = 20240601


@pytest.fixture
def queue(queue_scenario) -> Scenario:
    """M/M/c+M: 96 calls an hour, 5-minute handle time (8 Erlangs), 3-minute patience, 8 h."""
    return queue_scenario(
        horizon="8h",
        warm_up="1h",
        patience={"default": {"dist": "exponential", "mean": "3m"}},
        staffing=[{"site": "main_centre", "agents": 8, "skills": ["phone"]}],
    )


# --- paired differences --------------------------------------------------------------


def test_paired_difference_known_answer():
    mean, lo, hi, n = paired_difference([1, 2, 3, 4], [2, 4, 6, 8])
    # differences 1, 2, 3, 4: mean 2.5, sd sqrt(5/3) = 1.2909944487, t(3) = 3.182446305
    half = 3.182446305 * 1.2909944487358056 / 2
    assert n == 4
    assert mean == pytest.approx(2.5, abs=1e-12)
    assert lo == pytest.approx(2.5 - half, abs=1e-9)
    assert hi == pytest.approx(2.5 + half, abs=1e-9)
    assert lo == pytest.approx(0.445739, abs=1e-6)
    assert hi == pytest.approx(4.554261, abs=1e-6)


def test_paired_difference_drops_nan_pairs_and_handles_tiny_samples():
    assert paired_difference([1, np.nan, 3, 4, 5], [2, 4, np.nan, 8, 6])[3] == 3
    mean, lo, hi, n = paired_difference([1.0], [3.0])
    assert (mean, n) == (2.0, 1) and math.isnan(lo) and math.isnan(hi)
    assert paired_difference([np.nan], [1.0])[3] == 0
    with pytest.raises(ValueError, match="same length"):
        paired_difference([1, 2], [1])


# --- common random numbers -----------------------------------------------------------


def test_identical_variants_differ_by_exactly_zero(default_plan, queue):
    same = {"agents": 9}
    result = compare(
        default_plan, queue, [Variant("a", same), Variant("b", same)], replications=8, seed=SEED
    )
    b = result.variants[1]
    for kpi in ("service_level", "asa", "abandonment", "max_queue", "occupancy"):
        d = b.differences[kpi]
        assert d.n == 8
        assert (d.mean, d.ci95) == (0.0, (0.0, 0.0)), kpi
    assert list(result.variants[0].result.values("asa")) == list(b.result.values("asa"))


def test_more_agents_never_lower_service_level_on_common_seeds(default_plan, queue):
    result = compare(
        default_plan, queue, [{"agents": a} for a in (8, 9, 11)], replications=12, seed=SEED
    )
    assert [v.name for v in result.variants] == ["agents=8", "agents=9", "agents=11"]
    assert result.baseline.differences["service_level"].mean == 0.0
    base = result.baseline.result.values("service_level")
    for v in result.variants[1:]:
        d = v.differences["service_level"]
        assert d.mean > 0 and d.ci95[0] > 0
        assert np.all(
            v.result.values("service_level") - base >= -0.02
        )  # per seed, up to sampling of who abandons
    more, most = result.variants[1].differences, result.variants[2].differences
    assert most["service_level"].mean > more["service_level"].mean
    assert most["asa"].mean < more["asa"].mean < 0


def test_paired_interval_is_narrower_than_independent_runs(default_plan, queue):
    result = compare(
        default_plan, queue, [{"agents": 9}, {"agents": 10}], replications=12, seed=SEED
    )
    d = result.variants[1].differences["service_level"]
    a, b = (v.result.kpis["service_level"] for v in result.variants)
    independent_half = math.hypot(a.ci95[1] - a.mean, b.ci95[1] - b.mean)
    assert (d.ci95[1] - d.ci95[0]) / 2 < independent_half


def test_backend_and_workers_do_not_change_the_numbers(default_plan, queue):
    combos = [{"agents": 8}, {"agents": 10}]
    serial = compare(default_plan, queue, combos, replications=6, seed=SEED, workers=1)
    pooled = compare(default_plan, queue, combos, replications=6, seed=SEED, workers=2)
    assert serial.to_json() == pooled.to_json()


def test_rows_and_json_cover_every_variant_and_kpi(default_plan, queue):
    result = compare(
        default_plan,
        queue,
        combinations([("agents", [8, 10]), ("response_time", [1.0, 0.5])]),
        replications=3,
        seed=SEED,
    )
    rows = result.to_rows()
    assert len(rows) == 4 * len(MAIN_KPIS)
    assert {r["kpi"] for r in rows} == set(MAIN_KPIS)
    data = result.to_json()
    assert data["baseline"] == "agents=8, response_time=1"
    assert [v["settings"] for v in data["variants"]][3] == {"agents": "10", "response_time": "0.5"}
    assert result.keys == ("agents", "response_time")


# --- each key changes exactly what it says -------------------------------------------


def _total(scenario: Scenario) -> int:
    return sum(g.agents for g in scenario.staffing or ())


def test_scale_counts_rounds_half_up_and_keeps_the_total():
    assert scale_counts([7, 11, 4, 5, 3], 60) == [14, 22, 8, 10, 6]
    assert scale_counts([1, 1, 1], 4) == [1, 1, 2]  # 4/3 rounds to 1, the last takes the rest
    assert scale_counts([1, 1, 1, 1], 6) == [2, 2, 2, 0]  # 1.5 rounds up; the last absorbs
    # three halves rounded up would leave the last at -1: the first round-up is taken back
    assert scale_counts([1, 1, 1, 1], 2) == [0, 1, 1, 0]
    # the default plan's 31 groups (126 agents) to 120: round-ups exceed the last group's 2
    groups = [
        7,
        11,
        4,
        5,
        3,
        7,
        8,
        3,
        4,
        2,
        3,
        4,
        4,
        4,
        2,
        2,
        6,
        7,
        2,
        5,
        3,
        3,
        6,
        2,
        3,
        2,
        4,
        3,
        3,
        2,
        2,
    ]
    scaled = scale_counts(groups, 120)
    assert sum(scaled) == 120 and min(scaled) >= 0
    assert all(abs(n - g * 120 / 126) < 1 for n, g in zip(scaled[:-1], groups, strict=False))
    with pytest.raises(VaryError, match="no agents"):
        scale_counts([0, 0], 5)


def test_agents_sets_the_exact_total_from_the_plans_staffing(default_plan: Plan):
    scenario = load_scenario(bundled_scenarios()["crm_outage_monday_peak"])
    assert scenario.staffing is None
    plan, changed = apply_variant(default_plan, scenario, {"agents": 120})
    assert plan == default_plan
    assert _total(changed) == 120
    assert len(changed.staffing or ()) == len(default_plan.staffing)
    planned = sum(g.agents for g in default_plan.staffing)
    exact = [g.agents * 120 / planned for g in default_plan.staffing]
    new = [g.agents for g in changed.staffing or ()]
    assert all(abs(n - x) < 1 for n, x in zip(new[:-1], exact, strict=False))
    assert new[-1] >= 0
    assert [(g.site, g.shift, g.skills) for g in changed.staffing or ()] == [
        (g.site, g.shift, g.skills) for g in default_plan.staffing
    ]


def test_agents_at_a_site_or_shift_changes_only_those_groups(default_plan: Plan):
    scenario = load_scenario(bundled_scenarios()["crm_outage_monday_peak"])
    _, at_site = apply_variant(default_plan, scenario, {"agents.second_centre": 20})
    groups = at_site.staffing or ()
    assert sum(g.agents for g in groups if g.site == "second_centre") == 20
    main = [g.agents for g in groups if g.site == "main_centre"]
    assert main == [g.agents for g in default_plan.staffing if g.site == "main_centre"]
    _, on_shift = apply_variant(default_plan, scenario, {"agents.night": 14})
    groups = on_shift.staffing or ()
    assert sum(g.agents for g in groups if g.shift == "night") == 14
    assert [g.agents for g in groups if g.shift != "night"] == [
        g.agents for g in default_plan.staffing if g.shift != "night"
    ]
    with pytest.raises(
        VaryError, match="'mian_centre' is neither a site nor a shift.*did you mean 'main_centre'"
    ):
        apply_variant(default_plan, scenario, {"agents.mian_centre": 3})
    with pytest.raises(VaryError, match="no staffing group at site 'backup_centre'"):
        apply_variant(default_plan, scenario, {"agents.backup_centre": 3})


def test_plan_keys_change_every_matching_item_and_nothing_else(default_plan: Plan, queue):
    plan, scenario = apply_variant(
        default_plan, queue, {"reserve.size": 30, "reserve.call_in": 45.0, "replication": 15.0}
    )
    assert scenario == queue
    pools = [r.reserve_staff for r in plan.resources if r.reserve_staff]
    assert pools and all(p.size == 30 and p.call_in_time == 45 for p in pools)
    assert all(s.replication_interval == 15 for s in plan.systems if s.holds_data)
    assert [s.replication_interval for s in plan.systems if not s.holds_data] == [
        s.replication_interval for s in default_plan.systems if not s.holds_data
    ]
    assert plan.people == default_plan.people and plan.sites == default_plan.sites


def test_standby_and_backup_site_activation(default_plan: Plan, queue):
    _, standby_minutes = parse_vary("standby.activation=1h")
    plan, _ = apply_variant(default_plan, queue, {"standby.activation": standby_minutes[0]})
    standbys = {s.standby for s in default_plan.systems if s.standby}
    for before, after in zip(default_plan.systems, plan.systems, strict=True):
        if after.id in standbys:
            assert after.activation is not None and after.activation.time == 60
            assert before.activation is not None
            assert after.activation.approval_time == before.activation.approval_time
        else:
            assert after == before
    plan, _ = apply_variant(default_plan, queue, {"backup_site.activation": 150.0})
    backup = next(s for s in plan.sites if s.kind == "backup")
    assert backup.activation is not None and backup.activation.time == 150
    assert plan.systems == default_plan.systems


def test_response_time_factor_scales_on_and_off_call(default_plan: Plan, queue):
    plan, _ = apply_variant(default_plan, queue, {"response_time": 0.5})
    for before, after in zip(default_plan.people, plan.people, strict=True):
        assert after.response_time.on_call == before.response_time.on_call * 0.5
        if before.response_time.off_call is None:
            assert after.response_time.off_call is None
        else:
            assert after.response_time.off_call == before.response_time.off_call * 0.5


def test_surge_sets_every_complaint_surge_multiplier(default_plan: Plan, queue):
    scenario = load_scenario(bundled_scenarios()["complaint_surge_billing_error"])
    _, changed = apply_variant(default_plan, scenario, {"surge": 2.0})
    surges = [e for e in changed.events if isinstance(e, ComplaintSurge)]
    assert surges and all(e.multiplier == 2.0 for e in surges)
    with pytest.raises(VaryError, match="surge=2: scenario 'queue' has no complaint_surge event"):
        apply_variant(default_plan, queue, {"surge": 2.0})


# --- parsing -------------------------------------------------------------------------


def test_parse_vary_values_are_typed():
    assert parse_vary("agents=120,130") == ("agents", [120, 130])
    assert parse_vary("reserve.call_in=45m, 1h30m") == ("reserve.call_in", [45.0, 90.0])
    assert parse_vary("response_time=0.5,2") == ("response_time", [0.5, 2.0])
    assert parse_vary("agents.early=40") == ("agents.early", [40])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("agents=10,x", "--vary agents=10,x: 'x' is not a whole number"),
        ("agents=10.5", "--vary agents=10.5: '10.5' is not a whole number"),
        (
            "agnts=10",
            "--vary agnts=10: unknown key 'agnts' (did you mean 'agents'?); keys: agents, agents.<site>",
        ),
        ("reserve.call_in=45", "--vary reserve.call_in=45: '45' is not a duration"),
        ("surge=0.5", "a surge multiplier must be at least 1"),
        ("response_time=0", "a factor must be more than 0"),
        ("agents", "--vary agents: write KEY=V1,V2,..."),
        ("agents=", "no values after 'agents='"),
    ],
)
def test_parse_vary_errors_say_what_to_fix(text, message):
    with pytest.raises(VaryError) as info:
        parse_vary(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_combinations_are_the_cartesian_product_baseline_first():
    combos = combinations([("agents", [120, 130]), ("reserve.size", [20, 30])])
    assert combos == [
        {"agents": 120, "reserve.size": 20},
        {"agents": 120, "reserve.size": 30},
        {"agents": 130, "reserve.size": 20},
        {"agents": 130, "reserve.size": 30},
    ]
    with pytest.raises(VaryError, match="more than once"):
        combinations([("agents", [1]), ("agents", [2])])


# --- variants file -------------------------------------------------------------------


def test_variants_file_reads_named_combinations(tmp_path, default_plan, queue):
    path = tmp_path / "variants.yaml"
    path.write_text(
        "variants:\n"
        "  - {name: base, set: {agents: 8}}\n"
        "  - {name: more, set: {agents: 10, reserve.size: 30, reserve.call_in: 45m}}\n"
    )
    variants = variants_from_file(path, default_plan, queue)
    assert variants == [
        Variant("base", {"agents": 8}),
        Variant("more", {"agents": 10, "reserve.size": 30, "reserve.call_in": 45.0}),
    ]


def test_variants_file_errors_carry_file_line_and_path(tmp_path, default_plan, queue):
    path = tmp_path / "variants.yaml"
    path.write_text(
        "variants:\n"
        "  - name: base\n"
        "    set: {agents: 8}\n"
        "  - name: base\n"
        "    set:\n"
        "      agnts: 10\n"
        "      reserve.call_in: 45\n"
        "  - name: far\n"
        "    set:\n"
        "      agents.nowhere: 3\n"
    )
    with pytest.raises(ModelFileError) as info:
        variants_from_file(path, default_plan, queue)
    lines = info.value.lines()
    assert f"{path}:4: variants[1].name: name 'base' is used by an earlier variant" in lines
    assert any(
        line.startswith(
            f"{path}:6: variants[1].set.agnts: unknown key 'agnts' (did you mean 'agents'?)"
        )
        for line in lines
    )
    assert (
        f"{path}:7: variants[1].set.reserve.call_in: duration 45 has no unit: write it as e.g. '45m' or '45s'"
        in lines
    )
    assert any(
        line.startswith(
            f"{path}:10: variants[2].set.agents.nowhere: agents.nowhere=3: 'nowhere' is neither"
        )
        for line in lines
    )
