"""Every command against a corpus of bad files and arguments (issue 18, Done means).

Each case must end with exit status 2, a message naming the file or the argument, no
traceback, no 'internal error', and no file left behind in the working folder. The
FIFO and the device cases used to hang or eat memory: each command runs in a
subprocess with a timeout, so a regression fails the test instead of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TIMEOUT = 120


def _corpus(folder: Path) -> dict[str, Path]:
    """Bad files by name: each is a plan, scenario, journal, decisions or variants file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "fifo": folder / "fifo.yaml",
        "directory": folder / "folder.yaml",
        "binary": folder / "binary.yaml",
        "empty": folder / "empty.yaml",
        "not utf-8": folder / "latin1.yaml",
        "bad yaml": folder / "tabs.yaml",
        "a list": folder / "list.yaml",
        "too big": folder / "big.yaml",
    }
    os.mkfifo(files["fifo"])
    files["directory"].mkdir()
    files["binary"].write_bytes(b"\x00\x01\x02 not text")
    files["empty"].write_bytes(b"")
    files["not utf-8"].write_bytes("meta: {name: caf\xe9}\n".encode("latin-1"))
    files["bad yaml"].write_text("meta:\n\tid: x\n")
    files["a list"].write_text("- 1\n- 2\n")
    files["too big"].write_text("# " + "x" * (3 * 1024 * 1024) + "\n")
    files["device"] = Path("/dev/zero")
    return files


def _commands(bad: Path) -> list[list[str]]:
    b = str(bad)
    return [
        ["check", b],
        ["run", b, "-n", "1"],
        ["run", "default_centre", b, "-n", "1"],
        ["run", "-n", "1", "--policy", "scripted", b],
        ["compare", b, "--vary", "agents=100,110", "-n", "1"],
        ["compare", "--variants", b, "-n", "1"],
        ["staff", b, "--target", "service_level>=0.8"],
        ["report", b] if bad.suffix == ".json" else ["report", b + ".json"],
        ["drill", "new", "--name", "x", "--plan", b],
        ["drill", "new", "--name", "x", "--scenario", b],
        ["history", "fit", b, "--out", "s.yaml"],
        ["history", "fit", "--mapping", b, b],
        ["history", "backtest", b, b, "--csv", "x.csv"],
    ]


BAD_ARGS = [
    ["run", "-n", "0"],
    ["run", "-n", "1e12"],
    ["run", "--seed", "-1"],
    ["run", "--interval", "0m", "--csv", "x.csv"],
    ["run", "--workers", "0"],
    ["compare", "--vary", "agents=1e33"],
    ["compare", "--vary", "nonsense=1"],
    ["staff", "--target", "service_level>=2"],
    ["staff", "--target", "service_level>=0.8", "--reserves", "-1"],
    ["items", "--today", "yesterday"],
    ["drill", "advance", "drill-9999", "--to", "1h"],
    ["drill", "new", "--name", "x", "--speed", "-1"],
    ["console", "--port", "70000"],
    ["history", "fit", "h.csv", "--interval", "45"],
    ["history", "fit", "h.csv", "--max-bad", "2"],
    ["history", "fit", "h.csv", "--report", "x.csv"],
    ["history", "backtest", "h.csv", "s.yaml", "-n", "0"],
    ["history", "backtest", "h.csv", "s.yaml", "--seed", "-1"],
]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DRILLSIM_LANG": "en", "DRILLSIM_DB": str(cwd / "db" / "d.sqlite")}
    return subprocess.run(
        [sys.executable, "-m", "drillsim", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def _assert_refused(done: subprocess.CompletedProcess[str], names: list[str]) -> None:
    said = done.stdout + done.stderr
    assert done.returncode == 2, (done.returncode, said[-2000:])
    assert "Traceback" not in said and "internal error" not in said, said[-2000:]
    assert any(n in said for n in names), (names, said[-2000:])


def test_every_command_refuses_every_bad_file(tmp_path):
    corpus = _corpus(tmp_path / "bad")
    work = tmp_path / "work"
    work.mkdir()
    failures = []
    for kind, bad in corpus.items():
        for args in _commands(bad):
            done = _run(args, work)
            try:
                _assert_refused(done, [str(bad), bad.name])
            except AssertionError as exc:
                failures.append(f"{kind}: {' '.join(args)}: {str(exc)[:300]}")
            assert sorted(os.listdir(work)) in ([], ["db"]), (kind, args, os.listdir(work))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", ["fifo", "device", "directory", "binary", "empty", "too big"])
def test_check_and_run_refuse_a_bad_plan_quickly(tmp_path, kind):
    bad = _corpus(tmp_path / "bad")[kind]
    for args in (["check", str(bad)], ["run", str(bad), "-n", "1"]):
        _assert_refused(_run(args, tmp_path), [str(bad), bad.name])


@pytest.mark.parametrize("args", BAD_ARGS, ids=lambda a: " ".join(a))
def test_every_bad_argument_is_exit_2_with_a_message(tmp_path, args):
    done = _run(args, tmp_path)
    names = [a for a in args[1:] if a.startswith("-") or "-" in a] + [args[-1], "usage:"]
    _assert_refused(done, names)
    assert not (tmp_path / "x.csv").exists()
