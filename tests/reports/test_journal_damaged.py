"""A damaged run journal is a message naming the field, never a crash or a report that
looks real (issue 18, section 1).

Reproduced first: ``{"kind":"monte_carlo"}``, wrong types and NaN either crashed
``drillsim report`` or became a report silently.
"""

from __future__ import annotations

import json
import math
import os

import pytest

from drillsim.cli import main


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    path = tmp_path_factory.mktemp("journal") / "run.json"
    assert main(["run", "-n", "2", "--seed", "3", "--backend", "serial", "--json", str(path)]) == 0
    return json.loads(path.read_text())


def _set(data, keys, value):
    for k in keys[:-1]:
        data = data[k]
    data[keys[-1]] = value


CASES = {
    "only its kind": (lambda j: {"kind": "monte_carlo"}, "kpis"),
    "kpis as a list": (lambda j: {**j, "kpis": [1, 2]}, "kpis"),
    "a KPI mean as text": (lambda j: _edit(j, ["kpis", "asa", "mean"], "fast"), "kpis.asa.mean"),
    "a NaN KPI": (lambda j: _edit(j, ["kpis", "asa", "mean"], math.nan), "kpis.asa.mean"),
    "a probability of 7": (
        lambda j: _edit(j, ["targets", "rto", "probability_met"], 7),
        "targets.rto.probability_met",
    ),
    "no replications": (lambda j: _edit(j, ["replications"], 0), "replications"),
    "a plan without people": (lambda j: _edit(j, ["plan", "people"], "none"), "plan.people"),
    "a NaN in a replication": (
        lambda j: _edit(j, ["replication_kpis", 0, "asa"], math.nan),
        "replication_kpis",
    ),
}


def _edit(journal, keys, value):
    data = json.loads(json.dumps(journal))
    _set(data, keys, value)
    return data


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_journal_is_refused_with_its_field(tmp_path, capsys, journal, case):
    damage, field = CASES[case]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(damage(journal)))  # json writes NaN as NaN, as Python reads it
    out = tmp_path / "report.md"
    status = main(["report", str(path), "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2, err
    assert str(path) in err and field in err, err
    assert "Traceback" not in err and "internal error" not in err
    assert not out.exists() and sorted(os.listdir(tmp_path)) == ["damaged.json"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "not a JSON run journal"), (b'{"kind": "monte_', "not a JSON run journal")],
)
def test_an_empty_or_truncated_journal_is_refused(tmp_path, capsys, content, reason):
    path = tmp_path / "cut.json"
    path.write_bytes(content)
    assert main(["report", str(path), "--out", str(tmp_path / "r.md")]) == 2
    assert reason in capsys.readouterr().err


def test_a_journal_over_the_size_limit_or_a_fifo_is_refused(tmp_path, capsys, monkeypatch):
    import sim.analysis.journal_model as model

    path = tmp_path / "big.json"
    path.write_text(json.dumps({"kind": "monte_carlo", "pad": "x" * 5000}))
    monkeypatch.setattr(model, "MAX_JOURNAL_BYTES", 1000)
    assert main(["report", str(path), "--out", str(tmp_path / "r.md")]) == 2
    assert "the limit is 1,000" in capsys.readouterr().err
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert main(["report", str(fifo), "--out", str(tmp_path / "r.md")]) == 2
    assert "named pipe" in capsys.readouterr().err


def test_a_whole_journal_still_makes_a_report(tmp_path, capsys, journal):
    path = tmp_path / "run.json"
    path.write_text(json.dumps(journal))
    assert main(["report", str(path), "--out", str(tmp_path / "r.md")]) == 0
    assert (tmp_path / "r.md").read_text().startswith("#")
