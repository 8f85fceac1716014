"""Every malformed plan in tests/data/plans/malformed/ fails with exactly the issues listed here.

Each fixture is tiny.yaml with one or two things broken; its first line says what. The
table gives, for every issue the loader must report: the field path, a piece of the
reason that must appear word for word, and the 1-based line the file makes it known on
(None where no line exists, e.g. an empty file). The table is exhaustive: a file must
raise exactly as many issues as it has rows, so a cascade of follow-on noise fails too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from plans import ModelFileError, load_plan

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "plans" / "malformed"

STEPS_IN_ORDER = (
    "a flow lists the six steps of 7.2 once each, in order: discover_report, assess_grade, "
    "activate, handle_coordinate, track_feedback, review_improve"
)

TOP = "(top level)"

# (file name, issue path, reason text that must appear in the message, line or None)
CASES: list[tuple[str, str, str, int | None]] = [
    # --- reading and YAML syntax --------------------------------------------------------
    ("empty.yaml", TOP, "file is empty", None),
    (
        "version_decimal_unquoted.yaml",
        "meta.version",
        "version 2026.1 was read as a number; put it in quotes",
        5,
    ),
    ("comments_only.yaml", TOP, "file holds no YAML document", None),
    ("scalar_top_level.yaml", TOP, "the top level must be a mapping of fields, got str", 2),
    ("empty_list_top_level.yaml", TOP, "the top level must be a mapping of fields, got list", 2),
    ("top_level_is_list.yaml", TOP, "the top level must be a mapping of fields, got list", 2),
    (
        "yaml_syntax_error.yaml",
        TOP,
        "YAML syntax error: while scanning a simple key (started on line 6) "
        "could not find expected ':'",
        6,
    ),
    (
        "unclosed_flow_mapping.yaml",
        TOP,
        "YAML syntax error: while parsing a flow mapping (started on line 11) "
        "expected ',' or '}', but got ':'",
        12,
    ),
    (
        "tab_indentation.yaml",
        TOP,
        "found character '\\t' that cannot start any token "
        "(indent with spaces: YAML does not allow tabs)",
        31,
    ),
    ("multiple_documents.yaml", TOP, "expected a single document in the stream", 71),
    (
        "python_object_tag.yaml",
        TOP,
        "YAML error: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
        6,
    ),
    (
        "recursive_alias.yaml",
        TOP,
        "an alias refers to a node that contains it; recursive YAML is not allowed",
        10,
    ),
    (
        "duplicate_yaml_key.yaml",
        "roles[0].critical",
        "key 'critical' appears twice in the same mapping",
        39,
    ),
    # --- structure: fields, types, values --------------------------------------------------
    (
        "unknown_field_in_role.yaml",
        "roles[1].deputys",
        "unknown field 'deputys' (did you mean 'deputies'?)",
        40,
    ),
    (
        "unknown_top_level_section.yaml",
        "staff",
        "unknown field 'staff' (did you mean 'staffing'?)",
        56,
    ),
    ("missing_meta_name.yaml", "meta.name", "missing required field 'name'", 2),
    ("missing_flows_section.yaml", "flows", "missing required field 'flows'", 2),
    (
        "duration_without_unit.yaml",
        "levels[0].response.respond_within",
        "duration 15 has no unit: write it as e.g. '15m' or '15s'",
        16,
    ),
    (
        "duration_bad_text.yaml",
        "flows[0].steps[3].limit",
        "'4 hours' is not a duration: write e.g. '90s', '15m', '4h', '3d' or '1h30m'",
        66,
    ),
    (
        "wrong_type_seats.yaml",
        "sites[0].seats",
        "input should be a valid integer, unable to parse string as an integer (got 'twenty')",
        43,
    ),
    ("wrong_type_online.yaml", "channels[1].online", "input should be a valid boolean", 53),
    (
        "negative_probability.yaml",
        "levels[0].criteria.impact_scope.capacity_lost_share",
        "input should be greater than or equal to 0 (got -0.5)",
        15,
    ),
    (
        "bad_hours_range.yaml",
        "people[1].on_call[0].hours",
        "'08:00-25:00' has a time outside 00:00-24:00",
        32,
    ),
    (
        "hours_not_a_range.yaml",
        "people[1].on_call[0].hours",
        "'8am-8pm' is not an hours range: write e.g. '08:00-20:00'",
        32,
    ),
    (
        "unknown_day.yaml",
        "people[1].on_call[0].days[1]",
        "input should be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun' (got 'funday')",
        32,
    ),
    ("level_out_of_range.yaml", "levels[2].level", "input should be 1, 2 or 3 (got 4)", 21),
    (
        "unknown_role_kind.yaml",
        "roles[2].kind",
        "input should be 'commander', 'deputy_commander', 'duty_manager', 'it_on_call'",
        41,
    ),
    (
        "unknown_ticket_class.yaml",
        "targets.ticket_limits.urgentt",
        "input should be 'urgent', 'ordinary' or 'complex' (got 'urgentt')",
        73,
    ),
    (
        "empty_name.yaml",
        "event_classes[0].name",
        "string should have at least 1 character (got '')",
        11,
    ),
    (
        "bad_id_uppercase.yaml",
        "roles[2].id",
        "'IT' is not a valid id: "
        "use lower-case letters, digits and underscores, starting with a letter",
        41,
    ),
    (
        "bad_date.yaml",
        "meta.approved",
        "month value is outside expected range of 1-12 (got '2026-13-10')",
        7,
    ),
    ("empty_required_list.yaml", "event_classes", "needs at least 1 item, got 0", 10),
    (
        "empty_required_list.yaml",
        "flows[0].event_class",
        "unknown event class 'system_failure'",
        58,
    ),
    # --- ids and references -------------------------------------------------------------------
    ("dangling_deputy.yaml", "roles[1].deputies[0]", "unknown person 'dan'", 40),
    (
        "dangling_event_class_in_flow.yaml",
        "flows[0].event_class",
        "unknown event class 'system_fail' (did you mean 'system_failure'?)",
        59,
    ),
    (
        "dangling_dependency.yaml",
        "sites[0].depends_on[0]",
        "unknown system or site or resource 'nett' (did you mean 'net'?)",
        43,
    ),
    (
        "wrong_ref_kind.yaml",
        "roles[2].holder",
        "'duty' is a role, but a person is expected here",
        41,
    ),
    (
        "duplicate_id_across_collections.yaml",
        "systems[1].id",
        "duplicate id 'main': already used at sites[0].id",
        46,
    ),
    # --- consistency rules --------------------------------------------------------------------
    ("level_missing.yaml", "levels", "level 3 missing: the plan must define levels 1, 2 and 3", 12),
    ("level_twice.yaml", "levels[2].level", "level 2 is defined twice (also levels[1])", 21),
    ("level_twice.yaml", "levels", "level 3 missing: the plan must define levels 1, 2 and 3", 12),
    (
        "flow_steps_out_of_order.yaml",
        "flows[0].steps",
        STEPS_IN_ORDER + " (got: assess_grade, discover_report, activate,",
        60,
    ),
    (
        "flow_missing_step.yaml",
        "flows[0].steps",
        STEPS_IN_ORDER
        + " (got: discover_report, assess_grade, activate, handle_coordinate, review_improve)",
        60,
    ),
    (
        "two_flows_for_one_event_class.yaml",
        "flows[1].event_class",
        "event class 'system_failure' already has a flow (flows[0])",
        71,
    ),
    (
        "action_target_wrong_kind.yaml",
        "flows[0].steps[3].actions[0].target",
        "'activate_backup' needs a system or site as target; 'phone' is not one",
        68,
    ),
    (
        "call_in_reserves_without_pool.yaml",
        "flows[0].steps[3].actions[0].target",
        "'call_in_reserves' needs a resource with reserve_staff; 'spare_staff' has none",
        70,
    ),
    (
        "no_commander.yaml",
        "roles",
        "no role has kind 'commander': the plan needs one emergency commander",
        38,
    ),
    (
        "two_commanders.yaml",
        "roles[1].kind",
        "more than one role has kind 'commander' (roles[0], roles[1]); keep one",
        40,
    ),
    (
        "deputy_is_holder.yaml",
        "roles[0].deputies[0]",
        "'ann' already holds the role; a deputy must be someone else",
        39,
    ),
    ("deputy_listed_twice.yaml", "roles[0].deputies[1]", "'cat' is listed twice as deputy", 39),
    ("role_reports_to_itself.yaml", "roles[2].reports_to", "a role cannot report to itself", 41),
    (
        "role_escalates_to_itself.yaml",
        "roles[1].escalates_to",
        "a role cannot escalate to itself",
        40,
    ),
    (
        "channel_shares_not_summing.yaml",
        "channels",
        "channel shares add up to 0.900; they must add up to 1",
        51,
    ),
    (
        "some_channel_shares_missing.yaml",
        "channels[1].share",
        "give a share on every channel or on none (then the online/offline split applies)",
        53,
    ),
    (
        "channel_split_not_summing.yaml",
        "channel_split",
        "online + offline is 1.100; it must be 1",
        54,
    ),
    ("system_own_standby.yaml", "systems[1].standby", "a system cannot be its own standby", 46),
    ("site_own_backup.yaml", "sites[0].backup_site", "a site cannot be its own backup site", 43),
    # --- several independent mistakes: all reported in one pass ---------------------------
    (
        "multiple_errors_at_once.yaml",
        "meta.last_drill",
        "unknown field 'last_drill' (did you mean 'last_full_drill'?)",
        9,
    ),
    ("multiple_errors_at_once.yaml", "roles[2].holder", "unknown person 'zed'", 41),
    ("multiple_errors_at_once.yaml", "sites[0].seats", "input should be a valid integer", 43),
    (
        "multiple_errors_at_once.yaml",
        "systems[0].name",
        "key 'name' appears twice in the same mapping",
        45,
    ),
    ("multiple_errors_at_once.yaml", "flows[0].steps[0].limit", "duration 10 has no unit", 61),
]

ROWS_PER_FILE = Counter(name for name, *_ in CASES)


def _error(name: str) -> ModelFileError:
    with pytest.raises(ModelFileError) as info:
        load_plan(MALFORMED / name)
    return info.value


@pytest.mark.parametrize(
    ("name", "path", "reason", "line"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES]
)
def test_malformed_plan_reports_issue(name: str, path: str, reason: str, line: int | None) -> None:
    error = _error(name)
    at_path = [i for i in error.issues if i.path == path]
    assert at_path, f"no issue at {path!r}; got:\n{error}"
    matching = [i for i in at_path if reason in i.msg]
    assert matching, f"no issue at {path!r} says {reason!r}; got:\n{error}"
    assert [i.line for i in matching] == [line], f"wrong line for {path!r}; got:\n{error}"


@pytest.mark.parametrize("name", sorted(ROWS_PER_FILE))
def test_malformed_plan_reports_nothing_else(name: str) -> None:
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
        assert out.startswith(where), out
        assert out.endswith(issue.msg), out
        if issue.loc:
            assert out == f"{where}{issue.path}: {issue.msg}"


def test_every_malformed_fixture_is_in_the_table() -> None:
    on_disk = {p.name for p in MALFORMED.iterdir()}
    assert on_disk, "no malformed fixtures found"
    assert not (on_disk - set(ROWS_PER_FILE)), "fixtures without a row in CASES"
    assert not (set(ROWS_PER_FILE) - on_disk), "rows in CASES for files that do not exist"
    assert len(on_disk) >= 32


def test_python_tag_is_refused_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _error("python_object_tag.yaml")
    assert not (tmp_path / "drillsim_pwned").exists()
