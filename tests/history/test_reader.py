"""Reading history exports: the values, the times, the formats, and what is kept or dropped.

Why known answers: a reader that shifts every time by the zone's offset, drops a row
silently or misreads a decimal comma would fit a wrong scenario with no error; each
test states what a row must become.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from pathlib import Path

import numpy as np
import pytest

from history.errors import HistoryError
from history.export_file import SNIFF_BYTES, sniff
from history.mapping import load_mapping
from history.reader import read_history
from plans.files import FileRefused

DATA = Path(__file__).resolve().parents[1] / "data" / "history"
CHANNELS = ("phone", "chat", "app", "web", "counter")
HEADER = "arrived_at,channel,request_type,class,waited_s,handled_s,outcome,customer_id"
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()


def utc(*args: int) -> float:
    return dt.datetime(*args, tzinfo=dt.UTC).timestamp()


def write(tmp_path: Path, text: str, name: str = "h.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def read(path: Path, **kw):
    kw.setdefault("time_zone", "Asia/Shanghai")
    kw.setdefault("channels", CHANNELS)
    kw.setdefault("now", NOW)
    return read_history(path, **kw)


def contact(minute: int, channel: str = "phone", outcome: str = "answered") -> str:
    handled = "300" if outcome == "answered" else ""
    return f"2026-03-02 09:{minute:02d}:00,{channel},consultation,ordinary,10,{handled},{outcome},c{minute}"


def test_contact_rows_become_columns_in_utc_with_the_plan_zone_offset(tmp_path):
    text = "\n".join(
        [
            HEADER,
            "2026-03-02 09:00:05,phone,complaint,ordinary,12,300,answered,c1",
            "2026-03-02 09:01:05,chat,repair,urgent,40.5,,abandoned,c2",
            "2026-03-02 09:02:00,phone,business,complex,,,blocked,",
        ]
    )
    path = write(tmp_path, text + "\n")
    h = read(path)
    assert h.kind == "contacts"
    # 09:00:05 in Shanghai (UTC+8) is 01:00:05 UTC
    assert h.arrived_at.tolist() == [
        utc(2026, 3, 2, 1, 0, 5),
        utc(2026, 3, 2, 1, 1, 5),
        utc(2026, 3, 2, 1, 2),
    ]
    assert h.utc_offset_s.tolist() == [28800.0] * 3
    assert h.channel.tolist() == ["phone", "chat", "phone"]
    assert h.request_type.tolist() == ["complaint", "repair", "business"]
    assert h.service_class.tolist() == ["ordinary", "urgent", "complex"]
    assert h.waited_s.tolist() == [12.0, 40.5, 0.0]  # a blocked contact with no wait waited 0
    assert h.handled_s[0] == 300.0 and math.isnan(h.handled_s[1]) and math.isnan(h.handled_s[2])
    assert h.outcome.tolist() == ["answered", "abandoned", "blocked"]
    assert h.customer_id is not None and h.customer_id.tolist() == ["c1", "c2", ""]
    p = h.provenance
    assert (p.rows_read, p.rows_used, p.rows_dropped) == (3, 3, 0)
    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (p.first, p.last) == (h.arrived_at[0], h.arrived_at[-1])
    assert p.time_zone == "Asia/Shanghai" and h.problem_count == 0


def test_interval_rows_and_their_optional_columns(tmp_path):
    text = (
        "interval_start,interval_minutes,channel,offered,answered,abandoned,aht_s,asa_s,agents\n"
        "2026-03-02T09:00:00+08:00,30,phone,40,36,4,240.5,20,5.5\n"
        "2026-03-02T09:30:00+08:00,30,phone,0,0,0,,,5\n"
    )
    h = read(write(tmp_path, text))
    assert h.kind == "intervals"
    assert h.interval_start.tolist() == [utc(2026, 3, 2, 1), utc(2026, 3, 2, 1, 30)]
    assert h.interval_minutes.tolist() == [30, 30]
    assert (h.offered.tolist(), h.answered.tolist(), h.abandoned.tolist()) == (
        [40, 0],
        [36, 0],
        [4, 0],
    )
    assert h.aht_s[0] == 240.5 and math.isnan(h.aht_s[1]) and math.isnan(h.asa_s[1])
    assert h.answered_within_threshold is None
    assert h.agents is not None and h.agents.tolist() == [5.5, 5.0]
    assert h.provenance.last == utc(2026, 3, 2, 2)  # the last interval's end


@pytest.mark.parametrize(
    ("delimiter", "decimal", "name"),
    [(",", ".", "comma"), (";", ",", "semicolon"), ("\t", ",", "tab")],
)
def test_delimiter_is_sniffed_and_a_decimal_comma_read_beside_semicolons_and_tabs(
    tmp_path, delimiter, decimal, name
):
    row = [
        "2026-03-02 09:00:00",
        "phone",
        "complaint",
        "ordinary",
        f"12{decimal}5",
        "300",
        "answered",
        "c1",
    ]
    text = delimiter.join(HEADER.split(",")) + "\n" + delimiter.join(row) + "\n"
    path = write(tmp_path, text)
    assert sniff(path).delimiter_name == name
    assert read(path).waited_s.tolist() == [12.5]


def test_a_utf8_bom_is_skipped(tmp_path):
    path = write(tmp_path, "\ufeff" + HEADER + "\n" + contact(0) + "\n")
    fmt = sniff(path)
    assert fmt.bom and fmt.encoding == "utf-8"
    assert read(path).channel.tolist() == ["phone"]


def test_a_gb18030_acd_export_read_through_the_example_mapping():
    path = DATA / "acd_export_gb18030.csv"
    fmt = sniff(path)
    assert (fmt.encoding, fmt.delimiter) == ("gb18030", ";")
    h = read(path, mapping=load_mapping(DATA / "example_mapping.yaml"))
    assert h.provenance.rows_used == 24 and h.problem_count == 0
    assert set(h.channel) == {"phone", "chat", "counter"}
    assert set(h.outcome) == {"answered", "abandoned", "blocked"}
    assert h.handled_s[1] == 187.5  # "187,5": a decimal comma (row 1 is blocked)


def test_offsets_are_exact_and_mixed_offsets_are_normalised(tmp_path):
    rows = [
        "2026-03-02T09:00:00+08:00,phone,complaint,ordinary,1,300,answered,a",
        "2026-03-02T01:00:01Z,phone,complaint,ordinary,2,300,answered,b",
        "2026-03-02T02:00:02+01:00,phone,complaint,ordinary,3,300,answered,c",
    ]
    h = read(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert h.arrived_at.tolist() == [
        utc(2026, 3, 2, 1),
        utc(2026, 3, 2, 1, 0, 1),
        utc(2026, 3, 2, 1, 0, 2),
    ]
    # local time is the plan's zone, whatever offset the row was written with
    assert h.utc_offset_s.tolist() == [28800.0] * 3


def test_naive_times_follow_the_plan_zone_across_a_daylight_saving_change(tmp_path):
    rows = [
        "2026-03-28 12:00:00,phone,complaint,ordinary,1,300,answered,a",
        "2026-03-30 12:00:00,phone,complaint,ordinary,1,300,answered,b",
    ]
    h = read(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"), time_zone="Europe/London")
    assert h.utc_offset_s.tolist() == [0.0, 3600.0]  # GMT, then BST from 29 March
    assert h.arrived_at.tolist() == [utc(2026, 3, 28, 12), utc(2026, 3, 30, 11)]


def test_rows_out_of_order_are_kept_sorted_and_reported(tmp_path):
    text = "\n".join([HEADER, contact(5), contact(1), contact(3, "chat")]) + "\n"
    h = read(write(tmp_path, text))
    assert h.provenance.rows_used == 3
    assert np.all(np.diff(h.arrived_at) >= 0)
    assert [(p.line, p.column) for p in h.problems] == [(3, "arrived_at")]
    assert "out of order" in h.problems[0].reason and "(kept)" in h.problems[0].reason


def test_a_repeated_header_is_skipped_and_reported(tmp_path):
    text = "\n".join([HEADER, contact(1), HEADER, contact(2)]) + "\n"
    h = read(write(tmp_path, text))
    assert h.provenance.rows_used == h.provenance.rows_read == 2
    assert [(p.line, p.reason) for p in h.problems] == [
        (3, "the header again (two exports joined?); skipped")
    ]


def test_duplicates_and_future_rows_dropped_within_the_allowed_share(tmp_path):
    rows = [contact(i) for i in range(20)]
    rows.insert(5, contact(3))  # line 7 repeats line 5
    rows.append("2026-12-02 09:00:00,phone,consultation,ordinary,10,300,answered,z")
    h = read(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"), max_bad_share=0.1)
    p = h.provenance
    assert (p.rows_read, p.rows_used, p.rows_dropped) == (22, 20, 2)
    assert [(x.line, x.column) for x in h.problems] == [(7, ""), (23, "arrived_at")]
    assert "the same as line 5" in h.problems[0].reason
    assert "in the future" in h.problems[1].reason


def test_the_bad_share_limit_is_inclusive(tmp_path):
    rows = [contact(i) for i in range(19)] + ["2026-03-02 09:59:00,phone,x,ordinary,1,1,answered,q"]
    path = write(tmp_path, "\n".join([HEADER, *rows]) + "\n")
    assert read(path, max_bad_share=0.05).provenance.rows_dropped == 1  # 1 of 20 is 5%
    with pytest.raises(
        HistoryError, match=r"1 of 20 rows \(5.0%\) cannot be used, more than the 4.0%"
    ):
        read(path, max_bad_share=0.04)


def test_the_first_twenty_problems_are_kept_and_all_counted(tmp_path):
    bad = [
        f"2026-03-02 10:{i:02d}:00,phone,consultation,ordinary,-1,1,answered,q" for i in range(45)
    ]
    h = read(write(tmp_path, "\n".join([HEADER, contact(0), *bad]) + "\n"), max_bad_share=1.0)
    assert h.problem_count == 45 and len(h.problems) == 20
    assert [p.line for p in h.problems] == list(range(3, 23))
    with pytest.raises(HistoryError) as err:
        read(write(tmp_path, "\n".join([HEADER, contact(0), *bad]) + "\n", "b.csv"))
    assert err.value.count == 45 and len(err.value.problems) == 20
    assert err.value.lines()[-1] == "... and 25 more problems not shown"


def test_a_quoted_field_over_two_lines_keeps_the_line_numbers_right(tmp_path):
    text = (
        HEADER
        + "\n"
        + '2026-03-02 09:00:00,phone,consultation,ordinary,1,300,answered,"two\nlines"\n'
        + "2026-03-02 09:01:00,phone,consultation,ordinary,oops,300,answered,c\n"
    )
    with pytest.raises(HistoryError) as err:
        read(write(tmp_path, text))
    (problem,) = err.value.problems
    assert (problem.line, problem.column) == (4, "waited_s")


def test_a_line_not_in_the_files_encoding_after_the_first_megabyte(tmp_path):
    start = dt.datetime(2026, 3, 2, 8)
    good = [
        f"{start + dt.timedelta(seconds=i)},phone,consultation,ordinary,1,300,answered,c{i}"
        for i in range(SNIFF_BYTES // 60 + 10)
    ]
    data = ("\n".join([HEADER, *good]) + "\n").encode() + b"2026-03-02 09:00:00,ph\xffne\n"
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    h = read(path, max_bad_share=0.01)
    assert h.problem_count == 1
    assert h.problems[0].line == len(good) + 2
    assert h.problems[0].reason == "is not valid utf-8 text"


def test_a_fifo_and_a_file_over_the_limit_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="named pipe"):
        read(fifo)
    big = write(tmp_path, HEADER + "\n" + contact(1) + "\n")
    with pytest.raises(FileRefused, match="the limit is 10"):
        read(big, max_bytes=10)


def test_without_the_plan_channels_any_channel_is_read(tmp_path):
    h = read(write(tmp_path, HEADER + "\n" + contact(1, "Hotline") + "\n"), channels=None)
    assert h.channel.tolist() == ["Hotline"]


def test_iso_forms_with_t_space_basic_and_fractions_read_the_same_instant(tmp_path):
    forms = [
        "2026-03-02T09:00:00",
        "2026-03-02 09:00",
        "20260302T090000",
        "2026-03-02T09:00:00.000",
    ]
    rows = [f"{t},phone,complaint,ordinary,{i},300,answered,c{i}" for i, t in enumerate(forms)]
    h = read(write(tmp_path, "\n".join([HEADER, *rows]) + "\n"))
    assert h.arrived_at.tolist() == [utc(2026, 3, 2, 1)] * 4
