"""``drillsim history fit`` and ``backtest`` on a synthetic history, the way a planner runs them.

Why the synthetic history written to CSV and read back: it is the one export whose
every value is known, so reading it must give back exactly the columns the generator
drew (the reader's contract with the fits), and the commands must then write a scenario
that ``drillsim check`` accepts, a report and a back-test.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from drillsim.cli import main
from history.reader import read_history
from history.synthetic import (
    SyntheticSpec,
    generate,
    to_intervals,
    write_contacts_csv,
    write_intervals_csv,
)

SPEC = SyntheticSpec(days=7)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The synthetic history in memory and as the two CSV exports."""
    folder = tmp_path_factory.mktemp("history")
    h = generate(SPEC)
    contacts, intervals = folder / "contacts.csv", folder / "intervals.csv"
    write_contacts_csv(h, contacts)
    write_intervals_csv(to_intervals(h, SPEC), intervals)
    return h, contacts, intervals


def test_the_exported_history_reads_back_as_generated(files):
    h, contacts, _intervals = files
    read = read_history(contacts, time_zone=SPEC.time_zone, channels=("phone", "chat"))
    assert read.provenance.rows_used == read.provenance.rows_read == len(h.arrived_at)
    assert read.problem_count == 0
    order = np.argsort(h.arrived_at, kind="stable")
    # the generator writes times cut to the millisecond: they agree within one
    assert np.max(np.abs(read.arrived_at - h.arrived_at[order])) < 1e-3
    assert np.array_equal(read.utc_offset_s, h.utc_offset_s[order])
    for name in ("channel", "request_type", "service_class", "outcome"):
        assert read.__dict__[name].tolist() == h.__dict__[name][order].tolist(), name
    assert np.allclose(read.waited_s, h.waited_s[order], atol=5e-4)
    answered = read.outcome == "answered"
    assert np.allclose(read.handled_s[answered], h.handled_s[order][answered], atol=5e-4)
    assert np.isnan(read.handled_s[~answered]).all()
    assert read.customer_id is not None and h.customer_id is not None
    assert read.customer_id.tolist() == h.customer_id[order].tolist()


def test_fit_writes_a_scenario_that_check_accepts_and_a_report(files, tmp_path, capsys):
    _h, contacts, _intervals = files
    out, report = tmp_path / "fitted.yaml", tmp_path / "fit.md"
    status = main(["history", "fit", str(contacts), "--out", str(out), "--report", str(report)])
    said = capsys.readouterr().out
    assert status == 0, said
    assert "contact records, UTF-8, comma-separated" in said
    assert (
        "0 dropped" in said and "Patience phone:" in said and f"Scenario written to {out}" in said
    )
    text = out.read_text(encoding="utf-8")
    assert f"# sha256: {hashlib.sha256(contacts.read_bytes()).hexdigest()}" in text
    assert "id: contacts" in text  # the id comes from the file's name
    assert report.read_text(encoding="utf-8").startswith("# History fit: contacts.csv")
    assert main(["check", "--plan", "default_centre", str(out)]) == 0


def test_a_few_bad_rows_are_named_dropped_and_the_rest_fitted(files, tmp_path, capsys):
    _h, contacts, _intervals = files
    lines = contacts.read_text(encoding="utf-8").splitlines()
    lines[10] = lines[10].replace(",phone,", ",Hotline,").replace(",chat,", ",Hotline,")
    lines.insert(20, lines[19])  # a duplicated row
    bad = tmp_path / "export.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["history", "fit", str(bad), "--plan", "default_centre"]) == 0
    said = capsys.readouterr().out
    assert "2 dropped" in said and "2 problems found" in said
    assert f"{bad}:11: column 'channel': unknown channel 'Hotline'" in said
    assert f"{bad}:21: the same as line 20 (a duplicated row); dropped" in said
    assert "Give --out SCENARIO.yaml to write the scenario." in said


def test_backtest_with_the_recorded_agents_writes_csv_and_chart(files, tmp_path, capsys):
    _h, contacts, intervals = files
    scenario = tmp_path / "fitted.yaml"
    assert main(["history", "fit", str(contacts), "--out", str(scenario)]) == 0
    capsys.readouterr()
    table, chart = tmp_path / "bt.csv", tmp_path / "bt.png"
    args = ["history", "backtest", str(intervals), str(scenario), "--agents-from-file"]
    args += ["-n", "2", "--seed", "5", "--csv", str(table), "--chart", str(chart)]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "interval records" in said
    assert "Back-test: 7 days simulated with the agents the file records, 2 replications" in said
    assert "phone service level: observed" in said and "bias" in said
    assert table.read_text(encoding="utf-8").startswith("start,channel,agents,settled,")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_output_that_cannot_be_written_is_refused_before_reading(files, tmp_path, capsys):
    _h, contacts, _intervals = files
    out = tmp_path / "missing" / "s.yaml"
    assert main(["history", "fit", str(contacts), "--out", str(out)]) == 2
    said = capsys.readouterr()
    assert f"--out {out}: its folder" in said.err and said.out == ""


def test_a_bad_mapping_is_exit_2_with_its_line(files, tmp_path, capsys):
    _h, contacts, _intervals = files
    mapping = tmp_path / "map.yaml"
    mapping.write_text("columns:\n  Queue: chanel\n", encoding="utf-8")
    assert main(["history", "fit", str(contacts), "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert "invalid mapping, 1 problem(s) to fix:" in err
    assert f"{mapping}:" in err and "'chanel' is not a drillsim history column" in err
