"""Bounds on every rate, horizon, factor and multiplier (issue 18, section 1).

Reproduced first: ``check`` accepted a 10-year horizon, an hourly rate of 1e30 or
``.inf`` and a day factor of 1e12, and ``run`` then ate memory (4.2 GB in 60 s) or
crashed. Each is now the loader's message, with the line and the field.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.cli import main

TINY = (Path(__file__).resolve().parents[1] / "data" / "scenarios" / "tiny_crm.yaml").read_text()


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ("horizon: 6h", "horizon: 3650d", "horizon", "at most 366 days"),
        ("rate_per_hour: 60", "rate_per_hour: 1e30", "demand.rate_per_hour", "at most 100,000"),
        ("rate_per_hour: 60", "rate_per_hour: .inf", "demand.rate_per_hour", "finite"),
        ("rate_per_hour: 60", "rate_per_hour: .nan", "demand.rate_per_hour", "finite"),
        (
            "rate_per_hour: 60",
            "rate_per_hour: 60\n  day_factors: {mon: 1.0e+12}",
            "demand.day_factors.mon",
            "at most 20",
        ),
        (
            "events:\n",
            "events:\n- {id: s, kind: complaint_surge, start: 1h, duration: 1h, multiplier: 1e9}\n",
            "events[0].multiplier",
            "at most 100",
        ),
    ],
    ids=["10-year horizon", "rate 1e30", "rate inf", "rate nan", "day factor 1e12", "surge 1e9"],
)
def test_an_impossible_figure_is_refused_with_line_field_and_reason(
    tmp_path, capsys, old, new, field, reason
):
    path = tmp_path / "huge.yaml"
    assert old in TINY
    path.write_text(TINY.replace(old, new, 1))
    status = main(["check", str(path)])
    out, err = capsys.readouterr()
    said = out + err
    assert status == 2, said
    assert str(path) in said and field in said and reason in said, said
    assert re.search(re.escape(str(path)) + r":\d+: " + re.escape(field), said), said  # the line
    assert "Traceback" not in said


def test_the_bounds_leave_a_real_scenario_alone(tmp_path, capsys):
    path = tmp_path / "fine.yaml"
    path.write_text(TINY.replace("horizon: 6h", "horizon: 366d"))
    plan = Path(__file__).resolve().parents[1] / "data" / "plans" / "tiny.yaml"
    assert main(["check", "--plan", str(plan), str(path)]) == 0, capsys.readouterr()
