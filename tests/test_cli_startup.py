"""The command line imports only the command it runs (issue 19: start-up a user waits for).

Why subprocesses: what a command imports is only seen in a fresh interpreter; the test
suite's own process has imported everything long before.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from drillsim.cli import COMMANDS, build_parser, chosen_command

ROOT = Path(__file__).parents[1]
HEAVY = ("matplotlib", "reportlab", "simpy", "streamlit", "dask", "scipy")


def _imported(args: list[str]) -> dict[str, object]:
    """Run ``drillsim ARGS`` in a fresh interpreter; its exit status and heavy imports."""
    code = (
        "import contextlib, io, json, sys\n"
        "from drillsim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        f"    status = main({args!r})\n"
        f"print(json.dumps({{'status': status, 'heavy': [m for m in {HEAVY!r} if m in sys.modules]}}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=ROOT
    )
    found: dict[str, object] = json.loads(out.stdout.splitlines()[-1])
    return found


def test_run_imports_neither_matplotlib_nor_reportlab(tmp_path):
    got = _imported(["run", "-n", "1", "--backend", "serial", "--json", str(tmp_path / "j.json")])
    assert got["status"] == 0
    heavy = set(got["heavy"])  # type: ignore[arg-type]
    assert "simpy" in heavy  # the run really simulated...
    assert not heavy & {"matplotlib", "reportlab", "streamlit", "dask"}, heavy  # ...and no more


def test_check_and_help_import_no_simulation_engine():
    got = _imported(["check"])
    assert got["status"] == 0
    assert got["heavy"] == []
    assert _imported(["--lang", "en", "schema", "plan"])["heavy"] == []


def test_the_command_table_lists_every_command_with_its_own_help():
    full = build_parser()
    action = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    listed = {c.dest: c.help for c in action._choices_actions}
    assert list(listed) == list(COMMANDS)
    for name, (_module, help_text) in COMMANDS.items():
        assert listed[name] == help_text, name


def _sub(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: argparse.ArgumentParser = action.choices[name]
    return found


def test_help_reads_as_when_every_command_was_imported():
    full = build_parser()
    assert build_parser(["--help"]).format_help() == full.format_help()
    for name in COMMANDS:
        lazy = build_parser(["--lang", "en", name, "--help"])
        assert lazy.format_help() == full.format_help()
        assert _sub(lazy, name).format_help() == _sub(full, name).format_help(), name


def test_the_command_is_found_past_the_language_option():
    assert chosen_command(["--lang", "zh-CN", "run", "-n", "1"]) == "run"
    assert chosen_command(["--lang=en", "check", "x.yaml"]) == "check"
    assert chosen_command(["--help"]) is None
    assert chosen_command(["nonsense"]) is None


def test_the_staffing_search_imports_no_chart_and_no_integer_programming(tmp_path):
    """Only --by-interval and --shifts need matplotlib and scipy (issue 19: the plain
    search waited 0.6 s for their imports)."""
    args = ["staff", "--target", "service_level>=0.5", "--replications", "10"]
    got = _imported([*args, "--confidence", "0.7", "--workers", "1"])
    assert got["status"] == 0
    heavy = set(got["heavy"])  # type: ignore[arg-type]
    assert "simpy" in heavy  # it did simulate...
    assert not heavy & {"matplotlib", "reportlab", "scipy", "streamlit", "dask"}, heavy
