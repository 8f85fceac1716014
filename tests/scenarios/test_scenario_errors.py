"""Every malformed scenario in tests/data/scenarios/malformed/ fails with exactly the issues listed.

Each fixture is tests/data/scenarios/tiny_drill.yaml with one or more things broken; its
first line says what. As in tests/plans/test_plan_errors.py, a row gives the field path,
a piece of the reason that must appear word for word, and the 1-based line the file
makes it known on. Rows are exhaustive per file: a file must raise exactly as many
issues as it has rows.

Two groups:

- ``CASES``: what the loader reports for the scenario file alone, including fields
  inside discriminated unions (an event's fields, a distribution's), whose paths name
  the field itself (``events[0].duration``), never pydantic's union tag.
- ``PLAN_CASES``: files that load cleanly and only fail against default_centre, found by
  ``check_against_plan`` (the scenario file alone cannot know the plan's ids).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from plans import ModelFileError, load_plan
from plans.loader import default_plan_path
from scenarios import check_against_plan, load_scenario

DATA = Path(__file__).resolve().parents[1] / "data" / "scenarios"
MALFORMED = DATA / "malformed"

EVENT_KINDS = (
    "'outage', 'complaint_surge', 'disaster', 'security_incident', 'staff_absence', 'data_loss'"
)
FAMILIES = "'exponential', 'lognormal', 'gamma', 'fixed', 'empirical', 'uniform'"
METRICS = (
    "input should be 'service_level', 'asa', 'abandonment', 'max_queue', 'backlog', "
    "'tickets_late', 'availability', 'occupancy', 'rto' or 'rpo'"
)

# (file name, issue path, reason text that must appear in the message, line or None)
CASES: list[tuple[str, str, str, int | None]] = [
    # --- events --------------------------------------------------------------------------
    (
        "unknown_event_kind.yaml",
        "events[0].kind",
        "unknown kind 'earthquake': expected one of " + EVENT_KINDS,
        22,
    ),
    (
        "event_after_horizon.yaml",
        "events[0].start",
        "the event starts after the end of the run",
        24,
    ),
    # --- demand --------------------------------------------------------------------------
    (
        "both_rate_and_hourly.yaml",
        "demand",
        "give either rate_per_hour or hourly (24 values), not both and not neither",
        10,
    ),
    ("hourly_23_values.yaml", "demand.hourly", "needs at least 24 items, got 23", 11),
    (
        "channel_shares_not_summing.yaml",
        "demand.channels",
        "the shares add up to 0.900; they must add up to 1",
        12,
    ),
    (
        "unknown_request_type.yaml",
        "demand.request_types.complain",
        "input should be 'complaint', 'consultation', 'repair' or 'business' (got 'complain')",
        13,
    ),
    ("missing_demand.yaml", "demand", "missing required field 'demand'", 2),
    # --- time distributions ---------------------------------------------------------------
    (
        "unknown_distribution_family.yaml",
        "handle_time.default.dist",
        "unknown dist 'weibull': expected one of " + FAMILIES,
        15,
    ),
    (
        "override_twins.yaml",
        "handle_time",
        "overrides[1] repeats an earlier override for channel 'chat'",
        14,
    ),
    # --- run length and times ----------------------------------------------------------------
    (
        "warm_up_longer_than_horizon.yaml",
        "warm_up",
        "the warm-up must be shorter than the horizon",
        10,
    ),
    (
        "bad_datetime.yaml",
        "start",
        "input should be a valid datetime or date, day value is outside expected range "
        "(got '2026-02-30T08:00:00')",
        8,
    ),
    (
        "duration_without_unit.yaml",
        "horizon",
        "duration 8 has no unit: write it as e.g. '8m' or '8s'",
        9,
    ),
    ("inject_after_horizon.yaml", "injects[0].at", "the inject comes after the end of the run", 27),
    # --- structure ---------------------------------------------------------------------------
    ("unknown_top_level_field.yaml", "event", "unknown field 'event' (did you mean 'events'?)", 20),
    # with 'events' misspelt, the objective's event is truly undeclared: both are reported
    ("unknown_top_level_field.yaml", "objectives[1].during", "unknown event 'crm_down'", 33),
    (
        "negative_agents.yaml",
        "staffing[0].agents",
        "input should be greater than or equal to 0 (got -3)",
        19,
    ),
    ("unknown_metric.yaml", "objectives[0].metric", f"{METRICS} (got 'waiting_time')", 32),
    ("objective_window_and_during.yaml", "objectives[1]", "give window or during, not both", 33),
    # --- several independent mistakes: all reported in one pass ------------------------------
    (
        "multiple_errors_at_once.yaml",
        "meta.descripton",
        "unknown field 'descripton' (did you mean 'description'?)",
        5,
    ),
    ("multiple_errors_at_once.yaml", "horizon", "duration 8 has no unit", 9),
    (
        "multiple_errors_at_once.yaml",
        "demand.request_types.complaint",
        "input should be less than or equal to 1 (got 1.2)",
        13,
    ),
    ("multiple_errors_at_once.yaml", "objectives[0].metric", f"{METRICS} (got 'rtp')", 32),
    # --- fields inside a discriminated union (event kind, distribution family) ------------
    (
        "event_field_misspelt.yaml",
        "events[0].durration",
        "unknown field 'durration' (did you mean 'duration'?)",
        25,
    ),
    ("event_field_misspelt.yaml", "events[0].duration", "missing required field 'duration'", 21),
    (
        "event_start_without_unit.yaml",
        "events[0].start",
        "duration 60 has no unit: write it as e.g. '60m' or '60s'",
        24,
    ),
    ("lognormal_without_cv.yaml", "handle_time.default.cv", "missing required field 'cv'", 15),
    (
        "empirical_weights_mismatch.yaml",
        "handle_time.default",
        "weights has 2 entries but values has 3",
        15,
    ),
    (
        "objective_during_unknown_event.yaml",
        "objectives[1].during",
        "unknown event 'crm_dwn' (did you mean 'crm_down'?)",
        33,
    ),
    (
        "duplicate_event_ids.yaml",
        "events[1].id",
        "duplicate id 'crm_down': already used at events[0].id",
        26,
    ),
]

# Files that load, checked against default_centre: (file name, issue path, exact message)
PLAN_CASES: list[tuple[str, str, str]] = [
    (
        "unknown_channel.yaml",
        "demand.channels.phne",
        "unknown channel 'phne' (did you mean 'phone'?)",
    ),
    (
        "unknown_outage_target.yaml",
        "events[0].target",
        "unknown system or site or channel 'crn' (did you mean 'crm'?)",
    ),
    (
        "unknown_inject_role.yaml",
        "injects[0].to[0]",
        "unknown role 'duty_manger' (did you mean 'duty_manager'?)",
    ),
    (
        "unknown_shift_and_event_class.yaml",
        "staffing[0].shift",
        "unknown shift 'earl' (did you mean 'early'?)",
    ),
    (
        "unknown_shift_and_event_class.yaml",
        "meta.event_class",
        "the plan has no event class 'system_fail'",
    ),
    (
        "unknown_disaster_site.yaml",
        "events[0].site",
        "unknown site 'main_centr' (did you mean 'main_centre'?)",
    ),
]

ROWS_PER_FILE = Counter(name for name, *_ in CASES)
PLAN_ROWS_PER_FILE = Counter(name for name, *_ in PLAN_CASES)


def _error(name: str) -> ModelFileError:
    with pytest.raises(ModelFileError) as info:
        load_scenario(MALFORMED / name)
    return info.value


def _assert_reported(name: str, path: str, reason: str, line: int | None) -> None:
    error = _error(name)
    at_path = [i for i in error.issues if i.path == path]
    assert at_path, f"no issue at {path!r}; got:\n{error}"
    matching = [i for i in at_path if reason in i.msg]
    assert matching, f"no issue at {path!r} says {reason!r}; got:\n{error}"
    assert [i.line for i in matching] == [line], f"wrong line for {path!r}; got:\n{error}"


@pytest.mark.parametrize(
    ("name", "path", "reason", "line"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_malformed_scenario_reports_issue(
    name: str, path: str, reason: str, line: int | None
) -> None:
    _assert_reported(name, path, reason, line)


@pytest.mark.parametrize("name", sorted(ROWS_PER_FILE))
def test_malformed_scenario_reports_nothing_else(name: str) -> None:
    """Exactly the listed issues, each once: no cascade of follow-on noise, no duplicates."""
    error = _error(name)
    assert len(error.issues) == ROWS_PER_FILE[name], str(error)
    assert len(set(error.issues)) == len(error.issues), str(error)


@pytest.mark.parametrize("name", sorted(ROWS_PER_FILE))
def test_error_lines_start_with_the_file_path(name: str) -> None:
    error = _error(name)
    file = str(MALFORMED / name)
    assert error.path == file
    text = str(error).splitlines()
    assert len(text) == len(error.issues)
    for out, issue in zip(text, error.issues, strict=True):
        where = f"{file}:{issue.line}: " if issue.line else f"{file}: "
        assert out == f"{where}{issue.path}: {issue.msg}"


@pytest.fixture(scope="module")
def default_plan():
    return load_plan(default_plan_path())


@pytest.mark.parametrize(
    ("name", "path", "message"), PLAN_CASES, ids=[f"{c[0]}:{c[1]}" for c in PLAN_CASES]
)
def test_plan_mismatch_is_found_only_against_the_plan(
    default_plan, name: str, path: str, message: str
) -> None:
    scenario = load_scenario(MALFORMED / name)  # the file alone is valid
    issues = check_against_plan(default_plan, scenario)
    assert path in [i.path for i in issues], issues
    assert message in [i.msg for i in issues if i.path == path], issues


@pytest.mark.parametrize("name", sorted(PLAN_ROWS_PER_FILE))
def test_plan_mismatch_reports_nothing_else(default_plan, name: str) -> None:
    issues = check_against_plan(default_plan, load_scenario(MALFORMED / name))
    assert len(issues) == PLAN_ROWS_PER_FILE[name], issues
    assert len(set(issues)) == len(issues), issues


def test_the_base_scenario_is_valid_and_fits_the_plan(default_plan) -> None:
    scenario = load_scenario(DATA / "tiny_drill.yaml")
    assert check_against_plan(default_plan, scenario) == []


def test_every_malformed_fixture_is_in_a_table() -> None:
    on_disk = {p.name for p in MALFORMED.iterdir()}
    tabled = set(ROWS_PER_FILE) | set(PLAN_ROWS_PER_FILE)
    assert not (on_disk - tabled), "fixtures without a row"
    assert not (tabled - on_disk), "rows for files that do not exist"
    assert len(on_disk) >= 15


@pytest.mark.parametrize("name", sorted(p.name for p in MALFORMED.glob("*.yaml")))
def test_fixture_says_what_is_broken(name: str) -> None:
    assert (MALFORMED / name).read_text().startswith("# Malformed: ")
