"""``python3 dev.py``: options after ``run`` go to ``drillsim run``; other commands pass through."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def dev(monkeypatch):
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    calls: list[list[str]] = []
    monkeypatch.setattr(module, "ensure_env", lambda: None)

    def fake_run(cmd, **_kw):
        calls.append([Path(cmd[0]).name, *cmd[1:]])
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    return module, calls


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["run"], ["drillsim", "run"]),
        (["run", "--replications", "5"], ["drillsim", "run", "--replications", "5"]),
        (["console"], ["drillsim", "console"]),
        (["check", "my_plan.yaml"], ["drillsim", "check", "my_plan.yaml"]),
        (["test", "-k", "golden"], ["python", "-m", "pytest", "-k", "golden"]),
    ],
)
def test_dev_dispatches_each_command(dev, argv, expected):
    module, calls = dev
    assert module.main(argv) == 0
    assert calls == [expected]


def test_dev_lint_runs_ruff_and_mypy(dev):
    module, calls = dev
    assert module.main(["lint"]) == 0
    assert calls == [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]]


def test_dev_without_a_command_prints_its_usage_and_exits_2(dev, capsys):
    module, calls = dev
    assert module.main([]) == 2
    assert "dev.py run" in capsys.readouterr().err and calls == []


def test_dev_run_with_options_runs_drillsim_run_for_real():
    done = subprocess.run(
        [sys.executable, str(ROOT / "dev.py"), "run", "--replications", "2", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 replications" in done.stdout or "replications: 2" in done.stdout, done.stdout[:500]
