"""Fixtures for console tests: a real console server on a free loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from drills.access import TOKEN_ENV, hash_code, new_token
from drills.paths import DB_ENV
from drillsim.console import command

CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Console:
    """A console server started by a test."""

    url: str
    """The address with the console's one-time token, as ``drillsim console`` prints it."""
    base: str
    """The address without the token."""
    token: str
    db: Path
    port: int
    process: subprocess.Popen[bytes]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop the server by its own process id (SIGKILL to simulate a crash)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, sig)
            self.process.wait(timeout=20)


def start_console(db: Path, port: int | None = None) -> Console:
    """Start ``drillsim console``'s server and wait until it answers its health check."""
    port = port or free_port()
    token = new_token()
    env = {**os.environ, DB_ENV: str(db), TOKEN_ENV: hash_code(token)}
    proc = subprocess.Popen(
        command("127.0.0.1", port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"console exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return Console(f"{url}/?token={token}", url, token, db, port, proc)
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("console did not start within 60 s")


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    server = start_console(tmp_path / "drills.sqlite")
    yield server
    server.stop()


def need_browser() -> None:
    """Skip without Chromium on a developer's machine; CI must have it."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")


@pytest.fixture
def browser() -> Iterator[object]:
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield b
        b.close()
