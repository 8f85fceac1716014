"""Review leftovers of issue 18: one core handler for a live drill's Start, Pause and
Resume (the console's buttons and the command line's commands both call it), and one
bounded whole-number argument type for the seed, the counts and a drill's version."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest

from drills import session
from drills.store import DrillStore
from drillsim.cli import main
from drillsim.drill_common import version_arg
from drillsim.inputs import bounded_int, positive_int, seed_int

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_live_clock_starts_pauses_and_resumes_as_the_three_did(tmp_path, new_drill):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store, mode="live", speed=2.0)
    drill = session.live_clock(store, drill.id, "start", drill.version, "Alice", T0, role=None)
    assert drill.live_state == "running"
    later = T0 + dt.timedelta(minutes=10)
    drill = session.live_clock(store, drill.id, "pause", drill.version, "Alice", later, role=None)
    assert drill.live_state == "paused" and drill.clock == pytest.approx(20.0)  # x2 speed
    much_later = T0 + dt.timedelta(hours=1)
    drill = session.live_clock(
        store, drill.id, "resume", drill.version, "Alice", much_later, role=None
    )
    assert drill.live_state == "running" and drill.clock == pytest.approx(20.0)  # pause kept
    assert [e.kind for e in drill.entries] == ["start", "pause", "resume"]
    with pytest.raises(ValueError, match="unknown clock action 'stop'"):
        session.live_clock(store, drill.id, "stop", drill.version, "Alice", role=None)  # type: ignore[arg-type]


def test_the_command_line_drives_the_live_clock_through_the_same_handler(
    tmp_path, new_drill, capsys
):
    store = DrillStore(tmp_path / "d.sqlite")
    drill = new_drill(store, mode="live")
    db = str(store.path)
    assert main(["drill", "start", drill.id, "--db", db]) == 0
    assert "Live clock started at" in capsys.readouterr().out
    assert main(["drill", "pause", drill.id, "--db", db]) == 0
    assert "Live clock paused at" in capsys.readouterr().out
    assert main(["drill", "resume", drill.id, "--db", db]) == 0
    assert "Live clock resumed at" in capsys.readouterr().out
    assert main(["drill", "resume", drill.id, "--db", db]) == 2  # not paused: refused
    assert "is not paused" in capsys.readouterr().err
    kinds = [(e.kind, e.role) for e in store.get(drill.id).entries]
    assert kinds == [("start", None), ("pause", None), ("resume", None)]


def test_bounded_int_takes_whole_numbers_within_its_bounds():
    dice = bounded_int(1, 6, "a die shows {minimum} to {maximum}, got {value}")
    assert [dice(str(n)) for n in (1, 6)] == [1, 6]
    for bad, message in (
        ("0", "a die shows 1 to 6, got 0"),
        ("7", "a die shows 1 to 6, got 7"),
        ("2.5", "'2.5' is not a whole number"),
        ("six", "'six' is not a whole number"),
    ):
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            dice(bad)


def test_the_seed_count_and_version_arguments_keep_their_words():
    assert (seed_int("0"), positive_int("1"), version_arg("0")) == (0, 1, 0)
    assert seed_int(str(2**70)) == 2**70  # no upper bound, as before
    for parse, bad, message in (
        (seed_int, "-1", "a seed must be 0 or more, got -1"),
        (positive_int, "0", "must be at least 1, got 0"),
        (version_arg, "-3", "a version is 0 or more, got -3"),
    ):
        with pytest.raises(argparse.ArgumentTypeError, match=message):
            parse(bad)


def test_a_bad_version_on_the_command_line_is_exit_2_with_the_message(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["drill", "advance", "drill-0001", "--by", "5m", "--expected-version", "-1"])
    assert stop.value.code == 2
    assert "a version is 0 or more, got -1" in capsys.readouterr().err
