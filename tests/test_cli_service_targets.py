"""`drillsim run` and `drillsim report` on the targets of issue 15, as a user runs them.

Per-service P(met) in the summary, the journal and the report; targets that cannot be
judged say why; `--service-goal` studies another threshold without editing the plan.
"""

from __future__ import annotations

import json

import pytest

from drillsim.cli import main


@pytest.fixture(scope="module")
def run_journal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("svc")
    journal = folder / "run.json"
    args = ["run", "-n", "3", "--seed", "7", "--backend", "serial", "--json", str(journal)]
    return journal, args


def test_per_service_targets_in_summary_journal_and_report(run_journal, capsys, tmp_path):
    journal, args = run_journal
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "P(met) by service" in out and "RTO rule:" in out
    assert "customer satisfaction >= 85% (manual 4.1)" in out and "not simulated" in out
    assert "long-run availability of every system >= 99.95% (manual 5.3)" in out
    data = json.loads(journal.read_text())
    for name in ("rto.crm", "mtd.crm", "rpo.crm", "rto.phone", "rpo.data_platform"):
        assert data["targets"][name]["replications"] == 3, name
    assert data["targets"]["satisfaction"]["not_judged"].startswith("not simulated")
    assert "uptime" in data["kpis"] and "system.crm.availability" in data["kpis"]
    row = data["replication_kpis"][0]
    assert {"uptime", "availability", "not_restored_for", "goal.phone.service_level"} <= set(row)
    report = tmp_path / "run.md"
    assert main(["report", str(journal), "--out", str(report)]) == 0
    text = report.read_text()
    assert "P(met) by service (recovery tiers)" in text
    assert "| crm | tier1 |" in text
    assert "Live contacts by class" in text and "| urgent |" in text
    assert "not simulated: drillsim has no model of customer satisfaction" in text
    assert "Long-run availability (worst channel)" in text


def test_an_old_journal_shows_its_availability_as_the_share_of_the_run_up(run_journal, tmp_path):
    journal, args = run_journal
    if not journal.exists():
        assert main(args) == 0
    data = json.loads(journal.read_text())
    data["kpis"].pop("uptime")  # as written before the long-run availability
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data))
    report = tmp_path / "old.md"
    assert main(["report", str(old), "--out", str(report)]) == 0
    assert "Share of the run up (worst channel)" in report.read_text()


def test_service_goal_option_changes_the_threshold_judged(tmp_path, capsys):
    journal = tmp_path / "goal.json"
    args = ["run", "-n", "3", "--seed", "7", "--backend", "serial", "--json", str(journal)]
    assert main([*args, "--service-goal", "phone=0.8/20s"]) == 0
    assert "service level on phone >= 80% (answered within 20s)" in capsys.readouterr().out
    data = json.loads(journal.read_text())
    assert data["plan"]["targets"]["service_goals"]["phone"]["answer_within"] == "20s"
    strict = data["kpis"]["goal.phone.service_level"]["mean"]
    assert main([*args, "--service-goal", "phone=80%/60s"]) == 0
    loose = json.loads(journal.read_text())["kpis"]["goal.phone.service_level"]["mean"]
    assert loose >= strict  # same seed, a longer threshold: never fewer in time


@pytest.mark.parametrize(
    ("goal", "says"),
    [
        ("app=0.8/20s", "not a live channel"),
        ("phone=0.8", "CHANNEL=SHARE/TIME"),
        ("phone=2/20s", "share"),
    ],
)
def test_a_bad_service_goal_is_refused_with_status_2(goal, says, capsys):
    try:
        status = main(["run", "-n", "1", "--backend", "serial", "--service-goal", goal])
    except SystemExit as exc:  # argparse refuses what its type function refuses
        status = exc.code
    assert status == 2
    assert says in capsys.readouterr().err


def test_a_journal_with_intervals_gets_the_interval_chart_in_the_report(tmp_path):
    journal = tmp_path / "iv.json"
    args = ["run", "-n", "2", "--seed", "7", "--backend", "serial", "--interval", "30m"]
    assert main([*args, "--json", str(journal)]) == 0
    report = tmp_path / "iv.html"
    assert main(["report", str(journal), "--format", "html", "--out", str(report)]) == 0
    text = report.read_text()
    assert "Service level by 30-minute interval and channel (mean, 95% CI)" in text
    assert "data:image/png;base64," in text
    plain = tmp_path / "plain.json"
    assert main(["run", "-n", "2", "--seed", "7", "--backend", "serial", "--json", str(plain)]) == 0
    assert main(["report", str(plain), "--format", "html", "--out", str(report)]) == 0
    assert "interval and channel" not in report.read_text()  # no intervals kept, no chart
