"""``drillsim console``: start the Streamlit drill console.

Why a wrapper around ``streamlit run``: the console must bind to loopback unless the
user says otherwise, never phone home with usage statistics, and find its drill
database, whatever directory it is started from.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from drills.access import (
    CODE_ENV_PREFIX,
    HASHES_ENV,
    ROLES,
    TOKEN_ENV,
    TOKEN_PARAM,
    CodesFileError,
    codes_from_env,
    codes_from_text,
    encode_hashes,
    hash_code,
    new_token,
)
from drills.paths import DB_ENV, default_db_path
from i18n import _


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser("console", help=_("start the drill console in the browser"))
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help=_("address to bind (default %(default)s: this machine only)"),
    )
    p.add_argument("--port", type=int, default=8501, help=_("port (default %(default)s)"))
    p.add_argument(
        "--db",
        type=Path,
        default=None,
        help=_("drill database file (default: ${env} or {path})").format(
            env=DB_ENV, path=default_db_path()
        ),
    )
    p.add_argument(
        "--code",
        action="append",
        default=[],
        metavar="ROLE=CODE",
        help=_(
            "access code for a role (facilitator, evaluator, observer, reviewer); repeatable. "
            "Safer: set {prefix}FACILITATOR etc. in the environment. "
            "Codes are hashed before the console starts and never stored."
        ).format(prefix=CODE_ENV_PREFIX),
    )
    p.add_argument(
        "--codes-file",
        type=Path,
        default=None,
        metavar="FILE",
        help=_(
            "file of access codes, one 'ROLE = CODE' a line; only its owner may read it "
            "(chmod 600). Unlike --code, it does not show in the process list"
        ),
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help=_(
            "a further host name people use to reach the console (repeatable); requests "
            "naming any other host are refused (DNS rebinding)"
        ),
    )
    p.set_defaults(handler=run)


MAX_CODES_FILE = 64 * 1024
"""Largest codes file read: a few lines are expected."""


def read_codes_file(path: Path) -> dict[str, str]:
    """Role -> code from a codes file that only its owner can read.

    Raises :class:`~drills.access.CodesFileError` naming the file and the reason: not a
    regular file, readable or writable by others (the codes would not be secret), too
    large, not UTF-8, or a line that is not ``ROLE = CODE``.
    """
    try:
        info = path.stat()
    except OSError as exc:
        raise CodesFileError(
            _("--codes-file {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise CodesFileError(_("--codes-file {path}: not a regular file").format(path=path))
    if info.st_mode & 0o077:
        raise CodesFileError(
            _(
                "--codes-file {path}: others may read or change it (mode {mode:o}); "
                "make it private with: chmod 600 {path}"
            ).format(path=path, mode=stat.S_IMODE(info.st_mode))
        )
    if info.st_size > MAX_CODES_FILE:
        raise CodesFileError(
            _("--codes-file {path}: {size} bytes is too large for a codes file").format(
                path=path, size=info.st_size
            )
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodesFileError(
            _("--codes-file {path}: cannot read it as UTF-8 text ({reason})").format(
                path=path, reason=exc
            )
        ) from None
    return codes_from_text(text, str(path))


LOOPBACK = ("localhost", "127.0.0.1", "::1")


def allowed_hosts(host: str, extra: list[str]) -> list[str]:
    """The host names a request may carry: loopback, the bound address, the machine's names.

    Why a list at all: without one, a page on any domain that resolves to this machine
    (DNS rebinding) is 'same origin' with the console and may drive it.
    """
    names = list(LOOPBACK)
    if host not in {"0.0.0.0", "::", *LOOPBACK}:  # noqa: S104 - compared, not bound
        names.append(host)
    elif host in {"0.0.0.0", "::"}:  # noqa: S104
        names.extend({socket.gethostname(), socket.getfqdn()})
    names.extend(extra)
    return list(dict.fromkeys(n.strip().lower() for n in names if n and n.strip()))


def parse_codes(values: list[str], env: dict[str, str]) -> dict[str, str]:
    """Role -> code from --code ROLE=CODE options over DRILLSIM_CODE_<ROLE> variables."""
    codes = codes_from_env(env)
    for value in values:
        role, sep, code = value.partition("=")
        role = role.strip().lower()
        if not sep or role not in ROLES or not code:
            raise ValueError(
                _("--code {role}=...: give ROLE=CODE with ROLE one of {roles}").format(
                    role=value.split("=")[0], roles=", ".join(ROLES)
                )
            )
        codes[role] = code
    return codes


def app_script() -> Path:
    """The console's Streamlit entry script, found by its package, not imported.

    Why by path: the command line and the console are siblings at the top of the
    layers; ``streamlit run`` executes the script in a process of its own.
    """
    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(_("the dashboard package is not installed beside drillsim"))
    return Path(next(iter(spec.submodule_search_locations))) / "app.py"


def command(host: str, port: int, hosts: list[str] | None = None) -> list[str]:
    """The streamlit command line for the console.

    ``hosts``: the Host names the server accepts (default: :func:`allowed_hosts`).
    """
    accepted = allowed_hosts(host, []) if hosts is None else hosts
    host_options = [part for name in accepted for part in ("--server.allowedHosts", name)]
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app_script()),
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        # no Deploy button or developer menu: the console is for a drill room
        "--client.toolbarMode",
        "minimal",
        # a fault shows as a message, never as a Python traceback to the drill room
        "--client.showErrorDetails",
        "none",
        # a page on another origin may not open the console's websocket
        "--server.enableCORS",
        "true",
        "--server.enableXsrfProtection",
        "true",
        "--server.enableAgentApi",
        "false",
        *host_options,
    ]


def run(args: argparse.Namespace) -> int:
    """Start the console and wait for it (Ctrl-C stops it)."""
    if not 0 < args.port < 65536:
        print(
            _("drillsim: --port {port} is not a port number (1-65535)").format(port=args.port),
            file=sys.stderr,
        )
        return 2
    db = (args.db or Path(os.environ.get(DB_ENV) or default_db_path())).resolve()
    if db.is_dir():
        print(
            _("drillsim: --db {path} is a folder; give a file path").format(path=db),
            file=sys.stderr,
        )
        return 2
    try:
        codes = parse_codes(args.code, dict(os.environ))
        if args.codes_file is not None:
            codes.update(read_codes_file(args.codes_file))
    except ValueError as exc:
        print(_("drillsim: {message}").format(message=exc), file=sys.stderr)
        return 2
    if args.code:
        print(
            _(
                "drillsim: warning: codes given with --code show in the process list (ps) of "
                "this machine; use --codes-file or {prefix}FACILITATOR etc. instead"
            ).format(prefix=CODE_ENV_PREFIX),
            file=sys.stderr,
        )
    loopback = args.host in {"127.0.0.1", "localhost", "::1"}
    if not codes and not loopback:
        print(
            _(
                "drillsim: no access codes are set, so the console stays on this machine; set "
                "{prefix}FACILITATOR etc. (or --code ROLE=CODE) to serve it at {host}"
            ).format(prefix=CODE_ENV_PREFIX, host=args.host),
            file=sys.stderr,
        )
        return 2
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(CODE_ENV_PREFIX)}
    env.update({DB_ENV: str(db), HASHES_ENV: encode_hashes(codes) if codes else ""})
    token = ""
    if not codes:
        token = new_token()
        env[TOKEN_ENV] = hash_code(token)
        print(
            _(
                "drillsim: no access codes set: the console opens only with the one-time token "
                "in the address below; whoever has it may use every role"
            ),
            file=sys.stderr,
        )
    else:
        env.pop(TOKEN_ENV, None)
    if codes and not loopback:
        print(
            _(
                "drillsim: warning: the console will be reachable from other machines at {host}"
            ).format(host=args.host),
            file=sys.stderr,
        )
    shown_host = "127.0.0.1" if args.host in {"0.0.0.0", "::"} else args.host
    url = f"http://{shown_host}:{args.port}/"
    if token:
        url += f"?{TOKEN_PARAM}={token}"
    cmd = command(args.host, args.port, allowed_hosts(args.host, args.allow_host))
    print(_("drillsim console: {url}  (drills in {db}; Ctrl-C stops)").format(url=url, db=db))
    sys.stdout.flush()
    return serve(cmd, env)


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
GRACE_SECONDS = 10.0
"""How long the server has to stop after SIGTERM or SIGINT before it is killed."""


def _signal_group(group: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(group, sig)


def serve(cmd: list[str], env: dict[str, str], grace: float = GRACE_SECONDS) -> int:
    """Run the server in a process group of its own; stop the whole group on a signal.

    Why its own group: a SIGTERM (a service manager, ``kill``) to this process alone
    would otherwise leave Streamlit serving the port without us. SIGTERM or SIGINT
    (Ctrl-C) is passed to the group; what is still running after ``grace`` seconds
    is killed, and so is anything the server left behind in its group.
    Returns the server's exit status, 0 when it was stopped by a signal.
    """
    asked: list[int] = []
    groups: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        asked.append(signum)
        for group in groups:
            _signal_group(group, signum)

    previous = {}
    try:  # before the server starts: a signal in between must not orphan it
        for sig in STOP_SIGNALS:
            previous[sig] = signal.signal(sig, stop)
    except ValueError:
        pass  # not the main thread: signals stay with whoever handles them there
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    group = proc.pid  # a new session: its leader's pid is the group id
    groups.append(group)
    if asked:  # a signal came while the server was starting
        _signal_group(group, asked[0])
    try:
        deadline: float | None = None
        while proc.poll() is None:
            if asked and deadline is None:
                deadline = time.monotonic() + grace
            if deadline is not None and time.monotonic() > deadline:
                _signal_group(group, signal.SIGKILL)
            try:
                proc.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            _signal_group(group, signal.SIGKILL)
            proc.wait()
        _signal_group(group, signal.SIGKILL)  # whatever the server left in its group
    return 0 if asked else proc.returncode
