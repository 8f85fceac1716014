"""``drillsim run`` as a user runs it: summary, journal, and clear refusals of bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from drillsim.cli import main

SCENARIOS = Path(__file__).parent / "data" / "scenarios"


def test_run_defaults_writes_a_self_describing_journal(tmp_path, capsys):
    out = tmp_path / "journal.json"
    code = main(["run", "-n", "3", "--workers", "1", "--seed", "7", "--json", str(out)])
    assert code == 0
    text = capsys.readouterr().out
    assert "crm_outage_monday_peak" in text and "P(met)" in text and "By channel" in text
    journal = json.loads(out.read_text())
    assert journal["seed"] == 7 and journal["replications"] == 3 and len(journal["seeds"]) == 3
    assert journal["plan"]["meta"]["id"] == "default_centre"
    assert journal["scenario"]["meta"]["id"] == "crm_outage_monday_peak"
    sl = journal["kpis"]["service_level"]
    assert set(sl) == {"mean", "ci95", "p5", "p95", "n"} and 0 <= sl["mean"] <= 1
    assert sl["ci95"][0] <= sl["mean"] <= sl["ci95"][1]
    rto = journal["targets"]["rto"]
    assert rto["target"] == 240 and 0 <= rto["probability_met"] <= 1
    assert set(journal["versions"]) >= {"python", "simpy", "numpy", "drillsim"}
    assert "started" in journal["meta"]
    assert not list(tmp_path.glob("*.tmp"))


def test_run_accepts_bundled_names(capsys):
    assert main(["run", "default_centre", "mmc_10_agents", "-n", "2", "--workers", "1"]) == 0
    assert "mmc_10_agents" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "nope.yaml"], "file not found"),
        (
            ["run", "default_centre", str(SCENARIOS / "malformed" / "event_after_horizon.yaml")],
            "events[0].start: the event starts after the end of the run",
        ),
        (
            ["run", "thin_cover_centre", "crm_outage_monday_peak"],
            "does not fit plan 'thin_cover_centre'",
        ),
    ],
)
def test_run_bad_files_exit_two(capsys, args, needle):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["run", "-n", "0"], "must be at least 1"),
        (["run", "--workers", "two"], "'two' is not a whole number"),
        (["run", "--seed", "-1"], "a seed must be 0 or more"),
    ],
)
def test_run_bad_arguments_exit_two(capsys, args, needle):
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert needle in capsys.readouterr().err


def test_run_json_into_missing_folder_is_refused(tmp_path, capsys):
    assert main(["run", "-n", "1", "--json", str(tmp_path / "no" / "such" / "j.json")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_check_validates_and_cross_checks_scenarios(capsys):
    assert main(["check", "crm_outage_monday_peak"]) == 0  # bundled names work too
    assert "fits plan 'default_centre'" in capsys.readouterr().out
    assert main(["check", "no_such_scenario"]) == 2
    assert "file not found" in capsys.readouterr().out
    lib = Path(__file__).parents[1] / "scenarios" / "library" / "crm_outage_monday_peak.yaml"
    assert main(["check", str(lib)]) == 0
    assert "fits plan 'default_centre'" in capsys.readouterr().out
    assert main(["check", str(lib), "--plan", "thin_cover_centre"]) == 2
    assert "does NOT fit plan 'thin_cover_centre'" in capsys.readouterr().out


DECISIONS = Path(__file__).parent / "data" / "decisions"


def test_run_policies_side_by_side(tmp_path, capsys):
    out = {}
    for policy in (["plan"], ["none"], ["scripted", str(DECISIONS / "crm_room.yaml")]):
        path = tmp_path / f"{policy[0]}.json"
        assert (
            main(["run", "-n", "4", "--workers", "1", "--json", str(path), "--policy", *policy])
            == 0
        )
        out[policy[0]] = json.loads(path.read_text())
    text = capsys.readouterr().out
    assert (
        "Response (policy 'plan')" in text and "predicted" in text and "time to reach role" in text
    )
    assert out["scripted"]["decisions"][1]["target"] == "crm_standby"
    assert out["plan"]["predicted_activation"] and out["plan"]["policy"] == "plan"
    rto = {k: v["kpis"]["rto"]["mean"] for k, v in out.items()}
    assert rto["none"] >= rto["plan"] and rto["none"] >= rto["scripted"]
    assert "step.discover_report" in out["plan"]["targets"]


@pytest.mark.parametrize(
    ("policy", "needle"),
    [
        (["maybe"], "'maybe' is not one of plan, scripted, none"),
        (["scripted"], "needs exactly one decisions FILE"),
        (["plan", "x.yaml"], "takes no file"),
        (["scripted", "missing.yaml"], "file not found"),
        (
            ["scripted", str(DECISIONS / "bad_target.yaml")],
            "decisions[0].target: unknown id 'crm_standbyy'",
        ),
    ],
)
def test_run_bad_policy_exits_two(capsys, policy, needle):
    assert main(["run", "-n", "1", "--policy", *policy]) == 2
    assert needle in capsys.readouterr().err


def test_run_on_each_backend_gives_the_same_journal(tmp_path):
    pytest.importorskip("dask.distributed")
    journals = {}
    for backend in ("serial", "process", "dask"):
        out = tmp_path / f"{backend}.json"
        assert (
            main(["run", "-n", "6", "--workers", "2", "--backend", backend, "--json", str(out)])
            == 0
        )
        journal = json.loads(out.read_text())
        journal.pop("meta")
        journals[backend] = journal
    assert journals["serial"] == journals["process"] == journals["dask"]


def test_scheduler_needs_dask(capsys):
    assert main(["run", "-n", "1", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler goes with --backend dask" in capsys.readouterr().err


def test_run_interval_csv_has_one_row_per_channel_and_interval(tmp_path, capsys):
    out, journal_path = tmp_path / "out.csv", tmp_path / "journal.json"
    args = ["run", "-n", "3", "--workers", "1", "--seed", "7", "--interval", "30m"]
    assert main([*args, "--csv", str(out), "--json", str(journal_path)]) == 0
    assert "By class" in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    journal = json.loads(journal_path.read_text())
    channels = [c["id"] for c in journal["plan"]["channels"]]
    intervals = 16  # the default scenario runs 8 hours
    assert len(rows) == len(channels) * intervals == len(journal["intervals"])
    assert {r["channel"] for r in rows} == set(channels)
    assert rows[0]["start"] == "2026-03-02T08:00:00" and rows[-1]["start"] == "2026-03-02T15:30:00"
    for figure in ("offered", "service_level", "asa", "abandonment", "occupancy"):
        assert {f"{figure}_mean", f"{figure}_ci_low", f"{figure}_ci_high"} <= set(rows[0])
    phone = [r for r in rows if r["channel"] == "phone"]
    assert sum(float(r["offered_mean"]) for r in phone) == pytest.approx(
        journal["kpis"]["channel.phone.offered"]["mean"]
    )
    first = journal["intervals"][0]
    assert first["channel"] == channels[0] and set(first["service_level"]) == {"mean", "ci95"}
    assert not list(tmp_path.glob("*.tmp"))


def test_run_csv_into_missing_folder_is_refused_before_running(tmp_path, capsys):
    args = ["run", "-n", "1", "--interval", "30m", "--csv", str(tmp_path / "no" / "out.csv")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--csv" in err and "does not exist" in err and "running" not in err
    assert main(["run", "-n", "1", "--csv", str(tmp_path / "out.csv")]) == 2
    assert "--csv goes with --interval" in capsys.readouterr().err
