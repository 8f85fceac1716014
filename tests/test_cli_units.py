"""One unit style in the command line: shares as percentages, durations as 4h00m, never
raw minutes; and no message a person reads writes minutes as 'N min'.

``drillsim run`` on the bundled default plan and CRM outage, 4 replications, seed 7.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
RAW_MINUTES = re.compile(r"\{[^}]*\} ?min\b|\{[^}]*\} minutes\b")
FOR_FILES = {
    # Check labels are written into journals and CSV files; people read them through
    # reports.check_texts (tested below), which rewrites them in the report's words.
    "sim/analysis/targets.py",
    # An engine/replay mismatch names the exact stored minute, for whoever debugs it.
    "drills/replay.py",
}


@pytest.fixture(scope="module")
def outputs():
    import contextlib
    import io

    texts = {}
    for lang in ("en", "zh-CN"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            status = main(
                ["run", "-n", "4", "--seed", "7", "--workers", "1", "--backend", "serial",
                 "--lang", lang]
            )  # fmt: skip
        assert status == 0
        texts[lang] = out.getvalue()
    return texts


def test_run_summary_reads_targets_and_objectives_in_one_unit_style(outputs):
    text = outputs["en"]
    assert "service level >= 80% (answered within 30s)" in text
    assert "long-run availability of every system >= 99.95% (manual 5.3)" in text
    assert "rto_crm: RTO achieved <= 4h00m" in text
    assert "rpo_crm: RPO achieved <= 15m" in text
    assert "sl_before: Service level >= 80.0% from T+0m to T+1h00m" in text
    assert "abandonment_outage: Abandonment <= 15.0% during crm_down" in text
    assert "rto <= 240" not in text and "service_level >= 0.8" not in text
    assert ">= 0.8 " not in text
    assert not re.search(r"\d min\b", text)


def test_run_summary_in_chinese_too(outputs):
    text = outputs["zh-CN"]
    assert "rto_crm: 实际故障恢复时间(RTO) <= 4小时00分" in text
    assert "服务水平 >= 80%" in text
    assert "rto <= 240" not in text


def test_no_message_writes_raw_minutes():
    """Every marked message a person reads writes a duration through human_minutes."""
    from babel.messages.extract import extract_from_file

    found = []
    for pkg in ("plans", "scenarios", "sim", "history", "drills", "reports", "drillsim", "dashboard"):
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel in FOR_FILES:
                continue
            for lineno, message, _c, _ctx in extract_from_file(
                "python", str(path), keywords={"_": None, "N_": None, "ngettext": (1, 2)}
            ):
                for msgid in message if isinstance(message, tuple) else (message,):
                    if msgid and RAW_MINUTES.search(msgid) and "replay" not in msgid:
                        found.append(f"{rel}:{lineno}: {msgid}")
    assert found == []
