"""``drillsim console`` stops its Streamlit server, and all it started, on SIGTERM or SIGINT.

Why a real process: a service manager or a terminal signals the ``drillsim`` process
only; a server left behind keeps the port (the next console cannot start) and keeps
the drill database open.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from drills.paths import DB_ENV

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc/<pid>/task/*/children)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            text = (task / "children").read_text()
        except OSError:
            continue
        for child in map(int, text.split()):
            found |= {child} | children(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to read its status does not count)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def port_is_free(port: int) -> bool:
    """Whether a new server could listen on the port (as servers do, past TIME_WAIT)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def start(tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    """``drillsim console --port PORT`` as a user starts it, up and answering."""
    env = {**os.environ, DB_ENV: str(tmp_path / "drills.sqlite")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "drillsim", "console", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"drillsim console exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("the console did not answer within 60 s")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_to_drillsim_stops_the_server_and_frees_the_port(tmp_path, sig):
    port = free_port()
    proc = start(tmp_path, port)
    kids = children(proc.pid)
    try:
        assert kids, "drillsim console runs the server as a child process"
        os.kill(proc.pid, sig)
        assert proc.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(k) for k in kids):
            time.sleep(0.1)
        assert not [k for k in kids if alive(k)], "a server process outlived drillsim"
        assert port_is_free(port)
    finally:
        for pid in [proc.pid, *kids]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.wait(timeout=10)
