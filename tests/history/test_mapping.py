"""Mapping files: both forms read the same, and a mistyped target is an error with its line.

Why: a vendor export read with a mapping that silently ignores ``chanel`` would fail
every row with 'missing column channel', far from the typo that caused it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from history.mapping import ColumnMapping, load_mapping
from history.reader import read_history
from plans import ModelFileError

VENDOR = (
    "Start,Queue,Topic,Priority,Wait,Talk,Abandoned\n"
    "2026-03-02 09:00:00,Hotline,consultation,ordinary,5,300,N\n"
    "2026-03-02 09:01:00,Web chat,complaint,urgent,50,,Y\n"
)
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(tmp_path: Path, mapping: ColumnMapping):
    return read_history(
        _write(tmp_path, "vendor.csv", VENDOR),
        mapping=mapping,
        time_zone="Asia/Shanghai",
        channels=("phone", "chat"),
        now=NOW,
    )


FULL = """\
columns: {Start: arrived_at, Queue: channel, Topic: request_type, Priority: class,
          Wait: waited_s, Talk: handled_s, Abandoned: outcome}
values:
  channel: {Hotline: phone, Web chat: chat}
  outcome: {Y: abandoned, N: answered}
"""
SHORT = """\
Start: arrived_at
Queue: channel
Topic: request_type
Priority: class
Wait: waited_s
Talk: handled_s
Abandoned: {Y: abandoned, N: answered}
"""


def test_the_full_and_the_short_form_read_a_vendor_file_the_same(tmp_path):
    full = load_mapping(_write(tmp_path, "full.yaml", FULL))
    short = load_mapping(_write(tmp_path, "short.yaml", SHORT))
    assert short.columns["Abandoned"] == "outcome"
    assert short.values["outcome"] == {"Y": "abandoned", "N": "answered"}
    h = _read(tmp_path, full)
    assert h.channel.tolist() == ["phone", "chat"]
    assert h.outcome.tolist() == ["answered", "abandoned"]
    # the short form cannot rename values of other columns: those stay as in the file
    with pytest.raises(Exception, match="unknown channel 'Hotline'"):
        _read(tmp_path, short)


def test_yes_and_no_keys_match_every_spelling_of_yes_and_no(tmp_path):
    mapping = load_mapping(
        _write(tmp_path, "m.yaml", "Abandoned: {yes: abandoned, no: answered}\n")
    )
    table = mapping.values["outcome"]
    assert table["Y"] == table["Yes"] == table["1"] == "abandoned"
    assert table["N"] == table["no"] == table["0"] == "answered"


def test_defaults_fill_a_missing_text_column(tmp_path):
    text = (
        "arrived_at,channel,waited_s,handled_s,outcome\n2026-03-02 09:00:00,phone,5,300,answered\n"
    )
    mapping = ColumnMapping(defaults={"request_type": "consultation", "class": "ordinary"})
    h = read_history(
        _write(tmp_path, "h.csv", text), mapping=mapping, time_zone="Asia/Shanghai", now=NOW
    )
    assert h.request_type.tolist() == ["consultation"] and h.service_class.tolist() == ["ordinary"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("columns: {Queue: chanel}\n", "'chanel' is not a drillsim history column"),
        ("values: {queue: {a: b}}\n", "'queue' is not a drillsim history column"),
        ("columns: {A: channel, B: channel}\n", "two file columns are renamed to 'channel'"),
        ("values: {outcome: {Y: gone}}\n", "outcome values must be answered, abandoned, blocked"),
        ("defaults: {waited_s: '0'}\n", "a default can be given for a text column only"),
        ("Queue: {Hotline: phone}\n", "which are not outcomes, so its column cannot be told"),
        ("columns: {A: channel}\nQueue: channel\n", "mixes the two forms"),
        ("colums: {A: channel}\n", "(did you mean 'columns'?)"),
    ],
)
def test_a_bad_mapping_names_the_file_and_the_problem(tmp_path, text, message):
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(ModelFileError) as err:
        load_mapping(path)
    said = str(err.value)
    assert said.startswith(str(path)) and message in said, said
