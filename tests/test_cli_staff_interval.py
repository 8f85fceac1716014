"""``drillsim staff --by-interval`` the way a planner runs it: drillsim.cli.main([...]).

Short runs on the stationary test queue (tests/data/scenarios/interval_stationary.yaml,
Erlang A: 59 agents every interval) and on the bundled default drill with its CRM
outage, few replications, in this process.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from drillsim.cli import main
from drillsim.staff_interval_text import CSV_COLUMNS

STATIONARY = str(
    Path(__file__).resolve().parent / "data" / "scenarios" / "interval_stationary.yaml"
)
FAST = ["--workers", "1", "--backend", "serial", "--seed", "3"]


def _rows(folder: Path) -> list[dict[str, str]]:
    with open(folder / "requirements.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_by_interval_prints_the_table_and_writes_the_csv_and_chart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "staff",
            "default_centre",
            STATIONARY,
            "--by-interval",
            "2h",
            "-n",
            "10",
            "--interval-rule",
            "mean",
            "--shrinkage",
            "30%",
            "--out-dir",
            str(tmp_path),
            *FAST,
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "phone: goal 80% answered within 30s" in out
    assert "Shrinkage 30%" in out and "No occupancy cap." in out
    rows = _rows(tmp_path)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 12 and {r["channel"] for r in rows} == {"phone"}
    assert rows[1]["interval_start"] == "2026-03-02T10:00"
    for row in rows:
        assert int(row["erlang_a_agents"]) == 59
        assert int(row["staffed_agents"]) == 85  # 59 / (1 - 0.3), rounded up
        assert int(row["required_agents"]) >= 85
        assert row["met"] == "1"
        assert row["event_gap_agents"] == ""  # no events: no normal day to compare
        assert int(row["roster_agents"]) == 70
    png = (tmp_path / "requirements.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_an_event_scenario_shows_the_normal_day_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default drill (CRM outage at the Monday peak), in Chinese: the gap columns filled."""
    code = main(
        [
            "--lang",
            "zh-CN",
            "staff",
            "--by-interval",
            "60m",
            "-n",
            "4",
            "--confidence",
            "0.5",
            "--interval-rule",
            "mean",
            "--max-rounds",
            "2",
            "--occupancy-cap",
            "0.85",
            "--out-dir",
            str(tmp_path),
            *FAST,
        ]
    )
    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "坐席占用率上限 85%" in out
    rows = _rows(tmp_path)
    assert {r["channel"] for r in rows} == {"phone", "chat", "app", "web", "counter"}
    judged = [r for r in rows if r["channel"] in ("phone", "chat", "counter")]
    assert all(r["normal_required_agents"] != "" and r["probability_met"] != "" for r in judged)
    tickets = [r for r in rows if r["channel"] in ("app", "web")]
    assert all(r["probability_met"] == "" and r["met"] == "" for r in tickets)
    gaps = [int(r["event_gap_agents"]) for r in judged]
    assert sum(gaps) > 0  # the outage day needs more agents than the normal day


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--target", "service_level>=0.8"], "--target does not go with --by-interval"),
        (["--shrinkage", "1.5"], "shrinkage must be a share from 0 to below 1"),
        (["--occupancy-cap", "0"], "the occupancy cap must be a share above 0"),
        (["-n", "5"], "can never support --confidence 0.9"),
        (["--service-goal", "app=0.8/20s"], "not a live channel of the plan"),
        (["--by-interval", "0m"], "an interval must be longer than zero"),
    ],
)
def test_bad_input_is_a_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    argv = ["staff", "default_centre", STATIONARY, "--by-interval", "--out-dir", str(tmp_path)]
    with pytest.raises(SystemExit) if extra[0] == "--by-interval" else _no_exit():
        code = main([*argv, *extra, *FAST])
        assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "requirements.csv").exists()


class _no_exit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False
