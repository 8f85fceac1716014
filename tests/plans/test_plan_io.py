"""Edges of the plan loader: what reaches the YAML parser, what the parser may build,
durations and weekly hours as written in files, and load -> dump -> load round trips."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

import plans
from plans import ModelFileError, Plan, dump_plan, load_plan, load_plan_text
from plans.io import MAX_FILE_BYTES, MAX_NODES, decode_text, read_text
from plans.schedule import (
    WEEK_MINUTES,
    WeeklyWindow,
    covers,
    describe_interval,
    format_hours,
    gaps,
    merge_intervals,
    parse_hours,
)
from plans.types import DURATION_PATTERN, FROM_FILE, Duration, format_duration, parse_duration

PLANS_DATA = Path(__file__).resolve().parents[1] / "data" / "plans"
TINY = PLANS_DATA / "tiny.yaml"
EXAMPLES = sorted((Path(plans.__file__).parent / "examples").glob("*.yaml"))


def only_issue(error: ModelFileError) -> plans.Issue:
    assert len(error.issues) == 1, str(error)
    return error.issues[0]


def refused(path: Path) -> plans.Issue:
    with pytest.raises(ModelFileError) as info:
        load_plan(path)
    assert info.value.path == str(path)
    return only_issue(info.value)


def refused_text(text: str, name: str = "<upload>") -> ModelFileError:
    with pytest.raises(ModelFileError) as info:
        load_plan_text(text, name)
    assert info.value.path == name
    return info.value


@pytest.fixture
def tiny_text() -> str:
    return TINY.read_text(encoding="utf-8")


# --- what reaches the parser ----------------------------------------------------------------


def test_directory_is_refused(tmp_path: Path) -> None:
    issue = refused(tmp_path)
    assert (issue.loc, issue.msg, issue.line) == ((), "is a directory, not a file", None)


def test_missing_file_is_refused(tmp_path: Path) -> None:
    issue = refused(tmp_path / "nope.yaml")
    assert issue.msg == "file not found"
    assert issue.path == "(top level)"


def test_size_limit_is_checked_before_reading() -> None:
    size = TINY.stat().st_size
    with pytest.raises(ModelFileError) as info:
        read_text(TINY, max_bytes=size - 1)
    assert only_issue(info.value).msg == f"file is {size:,} bytes; the limit is {size - 1:,}"
    assert read_text(TINY, max_bytes=size) == TINY.read_text(encoding="utf-8")


def test_file_over_two_mib_is_refused(tmp_path: Path, tiny_text: str) -> None:
    assert MAX_FILE_BYTES == 2 * 1024 * 1024
    big = tmp_path / "big.yaml"
    padding = "# padding\n" * (MAX_FILE_BYTES // 10 + 1)  # comments only: valid YAML if read
    big.write_text(tiny_text + padding, encoding="utf-8")
    assert big.stat().st_size > MAX_FILE_BYTES
    issue = refused(big)
    assert issue.msg == f"file is {big.stat().st_size:,} bytes; the limit is 2,097,152"


def test_binary_file_is_refused(tmp_path: Path, tiny_text: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(tiny_text.encode() + b"\x00\x01\x02")
    assert refused(path).msg == "is a binary file, not YAML text"


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("meta:\n  name: Caf\u00e9\n".encode("latin-1"))
    assert refused(path).msg == "is not UTF-8 text (bad byte at offset 17)"


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path, tiny_text: str) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + tiny_text.encode())
    assert load_plan(path) == load_plan(TINY)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(content)
    issue = refused(path)
    assert (issue.msg, issue.line) == ("file is empty", None)


def test_comments_only_file_holds_no_document(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text("# nothing here\n# meta:\n")
    assert refused(path).msg == "file holds no YAML document"


@pytest.mark.parametrize(
    ("text", "got", "line"),
    [
        ("[]\n", "list", 1),
        ("- meta: {}\n", "list", 1),
        ("42\n", "int", 1),
        ("# a comment first\nhello\n", "str", 2),
        ("~\n", "nothing", 1),
        ("---\n", "nothing", None),
    ],
)
def test_top_level_must_be_a_mapping(text: str, got: str, line: int | None) -> None:
    issue = only_issue(refused_text(text))
    assert issue.loc == ()
    assert issue.msg == f"the top level must be a mapping of fields, got {got}"
    if line is not None:  # an empty document has no line of its own
        assert issue.line == line


def test_decode_text_for_uploads() -> None:
    assert decode_text(b"meta: {}\n", "up.yaml") == "meta: {}\n"
    for raw, msg in [
        (b"a\x00b", "is a binary file"),
        (b"\xff\xfe", "is not UTF-8"),
        (b" \n", "file is empty"),
    ]:
        with pytest.raises(ModelFileError) as info:
            decode_text(raw, "up.yaml")
        assert info.value.path == "up.yaml"
        assert only_issue(info.value).msg.startswith(msg)


# --- what the parser may build ----------------------------------------------------------------


def test_duplicate_key_is_refused_even_when_the_plan_is_otherwise_valid(tiny_text: str) -> None:
    text = tiny_text.replace("  name: Tiny centre\n", "  name: Tiny centre\n  name: Tiny centre\n")
    issue = only_issue(refused_text(text))
    assert (issue.path, issue.line) == ("meta.name", 5)
    assert issue.msg == "key 'name' appears twice in the same mapping"


def test_duplicate_top_level_section_is_reported_with_other_issues(tiny_text: str) -> None:
    text = tiny_text.replace("seats: 20", "seats: lots") + "shifts: []\n"
    error = refused_text(text)
    found = {(i.path, i.line) for i in error.issues}
    assert ("shifts", 71) in found
    assert ("sites[0].seats", 43) in found


@pytest.mark.parametrize(
    "value",
    [
        '!!python/object/apply:os.system ["touch {marker}"]',
        "!!python/object/new:os.system [touch {marker}]",
        "!!python/name:os.system",
        "!!python/object:__main__.Evil {{x: 1}}",
        '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
    ],
)
def test_python_tags_are_refused_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_text: str, value: str
) -> None:
    marker = tmp_path / "pwned"
    monkeypatch.chdir(tmp_path)
    text = tiny_text.replace("owner: Service operations", "owner: " + value.format(marker=marker))
    issue = only_issue(refused_text(text))
    assert issue.loc == ()
    assert issue.line == 6
    assert "could not determine a constructor for the tag 'tag:yaml.org,2002:python/" in issue.msg
    assert not marker.exists()


def test_recursive_alias_is_refused() -> None:
    issue = only_issue(refused_text("meta: &m {id: x, self: *m}\n"))
    assert issue.msg == "an alias refers to a node that contains it; recursive YAML is not allowed"


def test_alias_bomb_is_refused_quickly(tiny_text: str) -> None:
    rows = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 10)}]" for i in range(1, 9)]
    issue = only_issue(refused_text(tiny_text + "\n".join(rows) + "\n"))
    assert issue.msg.endswith(f"YAML nodes through aliases; the limit is {MAX_NODES:,}")


def test_plain_aliases_still_work(tiny_text: str) -> None:
    text = tiny_text.replace(
        'on_call: [{days: weekdays, hours: "08:00-20:00"}]',
        'on_call: &office [{days: weekdays, hours: "08:00-20:00"}]',
    ).replace(
        'on_call: [{days: all, hours: "00:00-24:00"}]\n    response_time: {on_call: 10m}',
        "on_call: *office\n    response_time: {on_call: 10m}",
    )
    plan = load_plan_text(text)
    assert plan.person("cat").on_call == plan.person("bob").on_call


def test_deep_nesting_is_refused_not_crashing() -> None:
    issue = only_issue(refused_text("meta: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert issue.msg == "YAML is nested too deeply"


def test_impossible_date_is_a_field_issue(tiny_text: str) -> None:
    text = tiny_text.replace("next_review: 2027-01-10", "next_review: 2027-02-30")
    issue = only_issue(refused_text(text))
    assert (issue.path, issue.line) == ("meta.next_review", 8)
    assert "'2027-02-30'" in issue.msg


def test_second_document_is_refused(tiny_text: str) -> None:
    issue = only_issue(refused_text(tiny_text + "---\nmeta: {}\n"))
    assert "expected a single document" in issue.msg


# --- uploads ------------------------------------------------------------------------------------


def test_load_plan_text_matches_load_plan(tiny_text: str) -> None:
    assert load_plan_text(tiny_text) == load_plan(TINY)


def test_upload_errors_name_the_upload(tiny_text: str) -> None:
    error = refused_text(tiny_text.replace("holder: cat", "holder: cot"), "my plan.yaml")
    issue = only_issue(error)
    assert (issue.path, issue.line) == ("roles[2].holder", 41)
    assert (
        str(error) == "my plan.yaml:41: roles[2].holder: unknown person 'cot' (did you mean 'cat'?)"
    )
    default = refused_text("[]")
    assert str(default).startswith("<upload>:1: ")


# --- durations --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes", "dumped"),
    [
        ("90s", 1.5, "90s"),
        ("15m", 15.0, "15m"),
        ("4h", 240.0, "4h"),
        ("3d", 4320.0, "3d"),
        ("1h30m", 90.0, "90m"),
        ("1h 30m", 90.0, "90m"),
        ("2w", 20160.0, "14d"),
        ("7d", 10080.0, "7d"),
        ("1.5h", 90.0, "90m"),
        ("0.5s", 1 / 120, "0.5s"),
        (" 4H ", 240.0, "4h"),
        ("0m", 0.0, "0m"),
        ("1d12h", 2160.0, "36h"),
    ],
)
def test_duration_parses_to_minutes_and_formats_back(
    text: str, minutes: float, dumped: str
) -> None:
    assert parse_duration(text) == pytest.approx(minutes)
    assert format_duration(parse_duration(text)) == dumped
    assert parse_duration(dumped) == pytest.approx(minutes)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (15, "duration 15 has no unit: write it as e.g. '15m' or '15s'"),
        (1.5, "duration 1.5 has no unit"),
        ("15", "'15' is not a duration"),
        ("15 minutes", "'15 minutes' is not a duration"),
        ("-5m", "'-5m' is not a duration"),
        ("m", "'m' is not a duration"),
        ("", "'' is not a duration"),
        ("1e3m", "'1e3m' is not a duration"),
        (True, "expected a duration"),
        (None, "expected a duration"),
        (float("inf"), "expected a duration"),
        (float("nan"), "expected a duration"),
    ],
)
def test_bad_durations_are_refused(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_duration(value)


@pytest.mark.parametrize("minutes", [1e-9, 1e-7, 5e-6 / 60, 1 / 7, 1.23456789, 0.1, 1234.5678])
def test_any_duration_dumps_to_text_that_parses_back(minutes: float) -> None:
    text = format_duration(minutes)
    assert re.fullmatch(DURATION_PATTERN, text), text
    assert parse_duration(text) == pytest.approx(minutes, abs=1e-6 / 60)


def test_durations_below_a_microsecond_dump_as_zero_minutes() -> None:
    assert format_duration(1e-9) == "0m"
    assert format_duration(0.0) == "0m"


def test_numbers_are_minutes_in_code_but_refused_in_files() -> None:
    adapter = TypeAdapter(Duration)
    assert adapter.validate_python(15) == 15.0
    assert adapter.validate_python("1h") == 60.0
    assert adapter.dump_python(90.0) == "90m"
    with pytest.raises(ValidationError, match="has no unit"):
        adapter.validate_python(15, context={FROM_FILE: True})
    with pytest.raises(ValidationError, match="a duration cannot be negative"):
        adapter.validate_python(-1)


# --- weekly hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("08:00-20:00", (480, 1200)),
        ("20:00-08:00", (1200, 480)),
        ("00:00-24:00", (0, 1440)),
        (" 8:30 - 17:45 ", (510, 1065)),
    ],
)
def test_hours_parse(text: str, minutes: tuple[int, int]) -> None:
    assert parse_hours(text) == minutes
    assert parse_hours(format_hours(minutes)) == minutes


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("08:00-08:00", "is an empty range; for a whole day write '00:00-24:00'"),
        ("08:00-25:00", "has a time outside 00:00-24:00"),
        ("24:30-08:00", "has a time outside 00:00-24:00"),
        ("08:60-09:00", "has a time outside 00:00-24:00"),
        ("8am-8pm", "is not an hours range"),
        ("08:00", "is not an hours range"),
        (800, "expected hours such as '08:00-20:00'"),
    ],
)
def test_bad_hours_are_refused(value: object, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_hours(value)


def window(days: object, hours: str) -> WeeklyWindow:
    return WeeklyWindow.model_validate({"days": days, "hours": hours})


def test_overnight_window_wraps_into_the_next_day_and_week() -> None:
    w = window(["fri", "sun"], "20:00-08:00")
    fri, sun = 4 * 1440, 6 * 1440
    assert w.intervals() == [(fri + 1200, fri + 1440 + 480), (sun + 1200, WEEK_MINUTES), (0, 480)]
    assert covers(w.intervals(), sun + 1439)
    assert covers(w.intervals(), 479)  # Monday 07:59, carried over from Sunday night
    assert not covers(w.intervals(), 480)
    assert covers(w.intervals(), WEEK_MINUTES + 10)  # minutes wrap around the week


def test_day_words() -> None:
    assert window("weekdays", "08:00-20:00").days == ("mon", "tue", "wed", "thu", "fri")
    assert window("Weekend", "08:00-20:00").days == ("sat", "sun")
    assert len(window("all", "08:00-20:00").days) == 7
    with pytest.raises(ValidationError, match="funday"):
        window("funday", "08:00-20:00")


def test_gaps_in_weekday_office_hours() -> None:
    holes = gaps(window("weekdays", "08:00-20:00").intervals())
    assert holes[0] == (0, 480)
    assert holes[-1] == (4 * 1440 + 1200, WEEK_MINUTES)
    assert len(holes) == 6  # before Monday, four nights, Friday night to the end of the week
    assert describe_interval(holes[-1]) == "fri 20:00 - mon 00:00 (end of week)"
    covered = sum(e - s for s, e in merge_intervals(window("weekdays", "08:00-20:00").intervals()))
    assert covered + sum(e - s for s, e in holes) == WEEK_MINUTES


def test_day_and_night_rotas_leave_no_gap() -> None:
    intervals = window("all", "08:00-20:00").intervals() + window("all", "20:00-08:00").intervals()
    assert gaps(intervals) == []
    assert merge_intervals(intervals) == [(0, WEEK_MINUTES)]


def test_gaps_of_nothing_is_the_whole_week() -> None:
    assert gaps([]) == [(0, WEEK_MINUTES)]


# --- round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TINY, *EXAMPLES], ids=lambda p: p.name)
def test_round_trip(path: Path) -> None:
    plan = load_plan(path)
    text = dump_plan(plan)
    again = load_plan_text(text, f"dump of {path.name}")
    assert again == plan
    assert dump_plan(again) == text  # a dump is a fixed point


def test_bundled_plans_are_listed() -> None:
    names = {p.stem for p in EXAMPLES}
    assert names <= set(plans.BUNDLED_PLANS)
    if plans.default_plan_path().exists():
        assert plans.default_plan_path() in EXAMPLES


def test_dump_writes_durations_and_hours_as_text() -> None:
    text = dump_plan(load_plan(TINY))
    assert "respond_within: 15m" in text
    assert "limit: 7d" in text  # days stay days; weeks are written as days
    assert "hours: 08:00-20:00" in text


# --- JSON schema ----------------------------------------------------------------------------------


def test_plan_schema_is_json_with_durations_as_patterned_strings() -> None:
    schema = json.loads(json.dumps(Plan.model_json_schema(), allow_nan=False))
    defs = schema["$defs"]
    pattern = re.compile(DURATION_PATTERN)

    def duration(prop: dict) -> dict:
        branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
        assert len(branches) == 1, prop
        return branches[0]

    for model, field in [
        ("Step", "limit"),
        ("Step", "effort"),
        ("LevelResponse", "respond_within"),
        ("ResponseTime", "on_call"),
        ("ResponseTime", "off_call"),
        ("Role", "answer_within"),
        ("Activation", "time"),
        ("System", "repair_time"),
        ("ReserveStaff", "call_in_time"),
        ("Targets", "rto"),
        ("TicketLimit", "respond"),
    ]:
        prop = duration(defs[model]["properties"][field])
        assert prop["type"] == "string", (model, field)
        assert prop["pattern"] == DURATION_PATTERN, (model, field)
    assert pattern.fullmatch("1h30m") and pattern.fullmatch("90s")
    assert not pattern.fullmatch("15") and not pattern.fullmatch("15 minutes")
    assert defs["WeeklyWindow"]["properties"]["hours"]["type"] == "string"
    assert defs["Role"]["additionalProperties"] is False
    assert set(schema["required"]) >= {"meta", "levels", "roles", "flows"}


def test_duration_pattern_agrees_with_parser() -> None:
    for text in ["90s", "15m", "4h", "3d", "2w", "1h30m", "1.5h"]:
        assert re.fullmatch(DURATION_PATTERN, text)
        assert math.isfinite(parse_duration(text))
