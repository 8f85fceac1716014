"""A console strangers cannot drive (issue 18, section 4).

Each test reproduces what a stranger did before the fix: a websocket handshake with a
foreign Host or Origin was accepted (DNS rebinding), a console without codes was open
to any page that reached its port, codes given on the command line showed in ``ps``.
"""

from __future__ import annotations

import base64
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drills import access
from drills.paths import DB_ENV
from drillsim.console import allowed_hosts, command, read_codes_file

from .conftest import free_port  # noqa: TID252 - fixtures module of this folder

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT_MS = 60_000


def handshake(port: int, host: str, origin: str | None) -> str:
    """The status line a websocket handshake on the console's stream gets."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return s.recv(256).split(b"\r\n", 1)[0].decode()


def test_websocket_with_a_foreign_host_or_origin_is_refused(console):
    own = f"127.0.0.1:{console.port}"
    assert " 101 " in handshake(console.port, own, f"http://{own}")
    # DNS rebinding: the attacker's name resolves to 127.0.0.1, so Host and Origin agree
    rebound = f"evil.example:{console.port}"
    assert " 403 " in handshake(console.port, rebound, f"http://{rebound}")
    # a page on another site opening our websocket
    assert " 403 " in handshake(console.port, own, "http://evil.example")


def test_allowed_hosts_are_loopback_the_bound_address_and_the_names_given():
    assert allowed_hosts("127.0.0.1", []) == ["localhost", "127.0.0.1", "::1"]
    assert allowed_hosts("10.0.0.5", ["Drill.Example"]) == [
        "localhost",
        "127.0.0.1",
        "::1",
        "10.0.0.5",
        "drill.example",
    ]
    served = allowed_hosts("0.0.0.0", [])
    assert socket.gethostname().lower() in served
    cmd = command("127.0.0.1", 8501)
    assert cmd.count("--server.allowedHosts") == 3
    assert cmd[cmd.index("--client.showErrorDetails") + 1] == "none"


def test_the_token_is_required_in_the_browser(console, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(console.base)  # the address without the token
    page.get_by_text("one-time token").first.wait_for()
    assert page.get_by_label("Drill name").count() == 0
    page.get_by_label("Token").fill("guess")
    page.get_by_role("button", name="Open the console").click()
    page.get_by_text("That is not this console's token.").first.wait_for()
    assert page.get_by_label("Drill name").count() == 0
    page.get_by_label("Token").fill(console.token)
    page.get_by_role("button", name="Open the console").click()
    page.get_by_label("Drill name").wait_for()
    other = browser.new_page()
    other.set_default_timeout(TIMEOUT_MS)
    other.goto(console.url)  # the printed address lets its holder straight in
    other.get_by_label("Drill name").wait_for()


def test_no_page_draws_without_the_token(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    token = access.new_token()
    monkeypatch.setenv(access.TOKEN_ENV, access.hash_code(token))
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert any("one-time token" in w.value for w in at.warning)
    assert not [t for t in at.text_input if t.label == "Drill name"]
    at.query_params[access.TOKEN_PARAM] = token
    at.run()
    assert [t for t in at.text_input if t.label == "Drill name"]


def test_wrong_codes_wait_longer_and_longer():
    throttle = access.SignInThrottle()
    delays = []
    for _ in range(8):
        delays.append(throttle.delay("facilitator"))
        throttle.record("facilitator", False)
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16]
    assert throttle.delay("observer") == 0  # per role
    throttle.record("facilitator", True)
    assert throttle.delay("facilitator") == 0
    for _ in range(20):
        throttle.record("evaluator", False)
    assert throttle.delay("evaluator") == access.MAX_DELAY


def test_codes_file_must_be_private_and_well_formed(tmp_path):
    path = tmp_path / "codes"
    path.write_text("# drill codes\nfacilitator = f-code\nobserver=o  # the room\n")
    path.chmod(0o644)
    with pytest.raises(ValueError, match="chmod 600"):
        read_codes_file(path)
    path.chmod(0o600)
    assert read_codes_file(path) == {"facilitator": "f-code", "observer": "o"}
    path.write_text("boss = x\n")
    with pytest.raises(ValueError, match="line 1: give ROLE = CODE"):
        read_codes_file(path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    os.chmod(fifo, 0o600)
    with pytest.raises(ValueError, match="not a regular file"):
        read_codes_file(fifo)
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def _first_lines(port: int, args: list[str], env: dict[str, str]) -> tuple[str, str]:
    """Start ``drillsim console --port PORT ARGS``; once it answers, stop it by its process
    group; return what it printed (stdout, stderr)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "drillsim", "console", "--port", str(port), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
    finally:
        os.killpg(proc.pid, 15)
        out, err = proc.communicate(timeout=60)
    return out, err


def test_console_prints_its_token_and_warns_about_codes_on_the_command_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(access.CODE_ENV_PREFIX)}
    env[DB_ENV] = str(tmp_path / "drills.sqlite")
    out, err = _first_lines(free_port(), [], env)
    assert "?token=" in out and "one-time token" in err
    out, err = _first_lines(free_port(), ["--code", "facilitator=f"], env)
    assert "?token=" not in out and "process list" in err
    codes = tmp_path / "codes"
    codes.write_text("facilitator = f\n")
    codes.chmod(0o600)
    out, err = _first_lines(free_port(), ["--codes-file", str(codes)], env)
    assert "?token=" not in out and "process list" not in err


def test_a_drill_name_is_shown_as_text_not_markdown(console, browser):
    """An image link in a drill name made the browser fetch a URL."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.set_default_timeout(TIMEOUT_MS)
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url) if "evil.example" in r.url else None)
    page.goto(console.url)
    page.get_by_label("Drill name").wait_for()
    name = "![x](http://evil.example/p.png) **loud**"
    page.get_by_label("Drill name").fill(name)
    page.get_by_label("Participants, one per line: name, role").fill("Li Wei, duty_manager")
    page.get_by_role("button", name="Create drill").first.click()
    page.get_by_text("created (drill-0001)").first.wait_for()
    page.get_by_text("**loud**").first.wait_for()  # the asterisks show: not bold
    assert page.locator("img[src*='evil.example']").count() == 0
    assert page.locator("strong", has_text="loud").count() == 0
    assert not fetched
