"""Malformed history exports through ``drillsim history fit``: exit 2, where and why, no file.

Why through the command: the person fixing an ACD export reads what the command prints;
each case asserts the line, the column (as the file names it) and the reason, that no
traceback is shown and that no scenario is written. The files are in
tests/data/history/malformed/ (one bad row among good ones, or a bad header or file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.cli import main

MALFORMED = Path(__file__).resolve().parents[1] / "data" / "history" / "malformed"

CASES: dict[str, tuple[str, ...]] = {
    # name: fragments the message must hold (':line: column ...' names the place)
    "bad_date": (":4: column 'arrived_at': '2026-13-02 09:30:00' is not a date and time",),
    "date_without_time": (":4: column 'arrived_at': '2026-03-02' is a date without a time",),
    "unknown_channel": (
        ":4: column 'channel': unknown channel 'Hotline': use one of app, chat, counter, phone, web",
        "values: {channel: {Hotline: ...}}",
    ),
    "negative_wait": (":4: column 'waited_s': negative duration -5 s",),
    "negative_handle": (":4: column 'handled_s': negative duration -100 s",),
    "missing_columns": ("line 1: missing column(s) handled_s, outcome for contact records",),
    "wrong_delimiter": (
        "line 1: the header has one column",
        "comma-, semicolon- or tab-separated",
    ),
    "bom_bad_row": (":4: column 'waited_s': 'five' is not a number",),
    "mixed_zones": (
        ":4: column 'arrived_at': '2026-03-02T09:30:00+08:00' has a UTC offset and the "
        "file's first time has none",
    ),
    "empty": (": file is empty",),
    "blank_lines_only": (": file is empty",),
    "header_only": (": has a header but no rows",),
    "duplicated_header_column": ("line 1: column 'channel' appears twice in the header",),
    "non_numeric": (":4: column 'waited_s': '12s' is not a number",),
    "nan_handle": (":4: column 'handled_s': 'NaN' is not a finite number",),
    "infinite_wait": (":4: column 'waited_s': 'inf' is not a finite number",),
    "unknown_outcome": (
        ":4: column 'outcome': unknown outcome 'maybe': use one of abandoned, answered, blocked",
    ),
    "unknown_request_type": (":4: column 'request_type': unknown request type 'refund'",),
    "unknown_class": (":4: column 'class': unknown class 'vip'",),
    "answered_without_handle": (":4: column 'handled_s': is empty; a number is needed",),
    "future_row": (":12: column 'arrived_at': '2099-03-02 09:30:00' is in the future",),
    "duplicate_row": (":6: the same as line 5 (a duplicated row); dropped",),
    "wrong_field_count": (":4: has 6 fields; the header has 8",),
    "both_kinds": ("line 1: the header has both arrived_at and interval_start",),
    "neither_kind": (
        "line 1: no arrived_at (contact records) or interval_start (interval records) column",
        "--mapping",
    ),
    "interval_not_15_30_60": (
        ":4: column 'interval_minutes': '20' is not an interval length drillsim reads: use 15, "
        "30 or 60 (minutes)",
    ),
    "answered_more_than_offered": (
        ":4: column 'answered': answered 38 and abandoned 4 add up to more than the 40 offered",
    ),
    "interval_off_boundary": (
        ":4: column 'interval_start': '2026-03-02 13:10:00' does not start on a 30-minute boundary",
    ),
    "interval_twice": (
        ":5: column 'interval_start': a second row for channel phone at 2026-03-02 08:30:00 "
        "(line 3)",
    ),
    "mixed_interval_lengths": (
        ":4: column 'interval_minutes': a 60-minute interval in a file of 30-minute intervals",
    ),
    "within_more_than_answered": (
        ":4: column 'answered_within_threshold': 37 answered within the threshold, more than "
        "the 36 answered",
    ),
    "negative_offered": (":4: column 'offered': negative count -1",),
    "many_bad_rows": (
        "30 of 40 rows (75.0%) cannot be used, more than the 5.0% allowed: nothing is fitted",
        ":23: column 'waited_s': 'bad' is not a number",
        "... and 10 more problems not shown",
    ),
    "binary": (": is a binary file, not a CSV export",),
    "not_text": (": is neither UTF-8 nor GB18030 text",),
}


def test_every_malformed_file_has_a_case():
    assert sorted(p.stem for p in MALFORMED.glob("*.csv")) == sorted(CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_malformed_file_is_refused_with_where_and_why(name, tmp_path, capsys):
    path = MALFORMED / f"{name}.csv"
    out = tmp_path / "scenario.yaml"
    report = tmp_path / "fit.md"
    status = main(["history", "fit", str(path), "--out", str(out), "--report", str(report)])
    said = capsys.readouterr()
    assert status == 2, said
    assert "Traceback" not in said.err and "internal error" not in said.err
    assert said.err.startswith(f"drillsim: {path}"), said.err
    for fragment in CASES[name]:
        assert fragment in said.err, (fragment, said.err)
    if ":" in CASES[name][0][:4]:  # a row's problem is printed as file:line: ...
        assert f"{path}{CASES[name][0].split(' ')[0]}" in said.err
    assert not out.exists() and not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
