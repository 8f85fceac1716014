"""The Compare page's by-interval view, as a planner clicks it (AppTest), and its table."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from dashboard.compare_interval_view import interval_table, short_intervals
from drills.paths import DB_ENV
from sim.analysis.compare_intervals import IntervalRow

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
SHARE = re.compile(r"^(\d+\.\d%|-)$")


def test_by_interval_view_shows_each_variant_per_interval_and_channel(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/compare.py").run()
    at.text_area(key="cmp_vary").set_value("agents=110,140")
    at.number_input(key="cmp_n").set_value(2)
    at.checkbox(key="cmp_by_interval").check().run()
    at.selectbox(key="cmp_interval").set_value("1h")
    at.button(key="cmp_run").click().run()
    assert not at.exception
    assert "By interval and channel" in [s.value for s in at.subheader]
    assert len(at.dataframe) == 3  # the KPIs, the targets, then by interval
    table = at.dataframe[2].value
    # the default scenario: 8 one-hour intervals from 08:00, the live channels customers use
    assert list(dict.fromkeys(table["Interval"])) == [f"{h:02d}:00" for h in range(8, 16)]
    assert {"phone", "counter"} <= set(table["Channel"])
    for variant in ("agents=110", "agents=140"):
        assert all(SHARE.match(v) for v in table[f"{variant}: service level"])
        assert f"{variant}: 95% CI" in table and f"{variant}: agents at work" in table
        assert all(int(x) >= 0 for x in table[f"{variant}: required"])
        assert all(int(x) >= 0 for x in table[f"{variant}: short"])
    # more agents on the same requirement: never more short
    for a, b in zip(table["agents=110: short"], table["agents=140: short"], strict=True):
        assert int(b) <= int(a)
    phone = table[table["Channel"] == "phone"]
    more = [int(x) for x in phone["agents=140: agents at work"]]
    fewer = [int(x) for x in phone["agents=110: agents at work"]]
    assert all(m >= f for m, f in zip(more, fewer, strict=True)) and sum(more) > sum(fewer)


def test_without_the_box_no_interval_view(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/compare.py").run()
    at.text_area(key="cmp_vary").set_value("agents=126")
    at.number_input(key="cmp_n").set_value(2)
    at.button(key="cmp_run").click().run()
    assert not at.exception
    assert "By interval and channel" not in [s.value for s in at.subheader]


def _row(variant: str, sl: float, at_work: int, required: int | None, gap: int | None):
    clock = dt.datetime(2026, 3, 2, 8, 0)
    return IntervalRow(0.0, clock, "phone", variant, sl, (sl - 0.1, sl), 3, at_work, required, gap)


def test_table_puts_variants_side_by_side_with_requirement_and_shortfall():
    rows = [_row("base", 0.75, 18, 20, 2), _row("more", 0.9, 22, 20, 0)]
    table = interval_table(rows)
    assert table == [
        {
            "Interval": "08:00",
            "Channel": "phone",
            "base: service level": "75.0%",
            "base: 95% CI": "65.0% to 75.0%",
            "base: agents at work": "18",
            "base: required": "20",
            "base: short": "2",
            "more: service level": "90.0%",
            "more: 95% CI": "80.0% to 90.0%",
            "more: agents at work": "22",
            "more: required": "20",
            "more: short": "0",
        }
    ]
    assert short_intervals(rows) == 1


def test_table_without_requirement_or_contacts():
    rows = [_row("base", math.nan, 5, None, None)]
    row = interval_table(rows)[0]
    assert row["base: service level"] == "-"
    assert "base: required" not in row
