"""Bad customer-behaviour settings get the loader's message: file, line, field path, reason.

Each case is tests/data/scenarios/tiny_drill.yaml with a ``behaviour`` section appended,
so the line numbers below count from the end of that file (34 lines).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.cli import main
from plans import ModelFileError, load_plan
from plans.loader import default_plan_path
from scenarios import check_against_plan, load_scenario

BASE = Path(__file__).resolve().parents[1] / "data" / "scenarios" / "tiny_drill.yaml"

CASES = [
    (
        "negative delay",
        "redials:\n  probability: 0.4\n  delay: {dist: exponential, mean: -5m}\n",
        "behaviour.redials.delay.mean",
        "'-5m' is not a duration",
        38,
    ),
    (
        "switch shares over 1",
        "dark_channels:\n  chat:\n    switch: {phone: 0.8}\n    retry: 0.3\n",
        "behaviour.dark_channels.chat",
        "the shares add up to 1.100; they must add up to at most 1",
        37,
    ),
    (
        "move shares over 1",
        "when_closed:\n  counter: {move_to: {phone: 0.7, chat: 0.6}}\n",
        "behaviour.when_closed.counter",
        "the shares add up to 1.300; they must add up to at most 1",
        37,
    ),
    (
        "switch to the same channel",
        "dark_channels:\n  phone: {switch: {phone: 0.5}}\n",
        "behaviour.dark_channels.phone.switch.phone",
        "customers cannot switch from a channel to the same channel",
        37,
    ),
    (
        "profile of 3 hours",
        "channel_profile:\n  counter: [1, 1, 1]\n",
        "behaviour.channel_profile.counter",
        "3 values given; give 24, one per hour of the day",
        37,
    ),
    (
        "redial probability over 1",
        "redials: {probability: 1.5}\n",
        "behaviour.redials.probability",
        "1",
        36,
    ),
]


def _file(tmp_path: Path, behaviour: str) -> Path:
    indented = "".join(f"  {line}\n" for line in behaviour.splitlines())
    path = tmp_path / "scenario.yaml"
    path.write_text(BASE.read_text() + "behaviour:\n" + indented)
    return path


@pytest.mark.parametrize(
    ("case", "behaviour", "loc", "reason", "line"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_behaviour_is_reported_with_file_line_and_path(
    tmp_path, case, behaviour, loc, reason, line
):
    path = _file(tmp_path, behaviour)
    with pytest.raises(ModelFileError) as caught:
        load_scenario(path)
    issues = [i for i in caught.value.issues if i.path == loc]
    assert issues, str(caught.value)
    assert reason in issues[0].msg
    assert issues[0].line == line
    assert f"{path}:{line}: {loc}: " in str(caught.value)


def test_a_channel_pair_that_does_not_exist_is_found_against_the_plan(tmp_path, capsys):
    path = _file(tmp_path, "dark_channels:\n  chat: {switch: {fax: 0.5}}\n")
    scenario = load_scenario(path)  # the file alone cannot know the plan's channels
    issues = check_against_plan(load_plan(default_plan_path()), scenario)
    assert [(i.path, i.msg) for i in issues] == [
        ("behaviour.dark_channels.chat.switch.fax", "unknown channel 'fax'")
    ]
    status = main(["run", str(default_plan_path()), str(path), "-n", "1"])
    assert status == 2
    err = capsys.readouterr().err
    assert "behaviour.dark_channels.chat.switch.fax: unknown channel 'fax'" in err
    assert "Traceback" not in err


def test_the_schema_documents_the_behaviour(capsys):
    assert main(["schema", "scenario"]) == 0
    out = capsys.readouterr().out
    for words in (
        "Share of customers who give up waiting and redial",
        "Share of them who try each other channel instead",
        "Callback attempts in all before the customer counts as lost",
        "Opening hours per channel",
        "Coefficient of variation of the day's volume factor",
    ):
        assert words in out
