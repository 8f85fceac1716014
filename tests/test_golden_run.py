"""The default plan and scenario on a fixed seed give the stored numbers, exactly.

Why a golden copy: the layout change (issue 10) moved every module and must change
no figure; later work that changes a figure on purpose re-blesses the copy in a commit
of its own, saying why (tests/data/golden/default_run.json; its `about` says how it
was made).

Why frozen copies of the plan and scenario (tests/data/golden/*.yaml, copied as they
were when the customers' behaviour settings of issue 14 came in): the bundled
scenarios now turn those settings on, and this test must keep saying that a run with
every new setting off is bit-for-bit what it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from drillsim.cli import main

HERE = Path(__file__).parent / "data" / "golden"
GOLDEN = HERE / "default_run.json"
PLAN = HERE / "default_centre.yaml"
SCENARIO = HERE / "crm_outage_monday_peak.yaml"


def test_default_run_matches_the_golden_journal(tmp_path, capsys):
    out = tmp_path / "journal.json"
    status = main(
        [
            "run",
            str(PLAN),
            str(SCENARIO),
            "-n",
            "20",
            "--seed",
            "7",
            "--backend",
            "serial",
            "--json",
            str(out),
        ]
    )
    assert status == 0, capsys.readouterr().err
    journal = json.loads(out.read_text())
    golden = json.loads(GOLDEN.read_text())
    for key in ("kpis", "targets", "objectives"):
        # every figure of the golden copy is unchanged; figures added later may join it
        changed = {k for k, v in golden[key].items() if journal[key].get(k) != v}
        assert not changed, f"{key}: {sorted(changed)[:10]}"
