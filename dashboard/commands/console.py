"""``drillsim console``: start the Streamlit drill console.

Why a wrapper around ``streamlit run``: the console must bind to loopback unless the
user says otherwise, never phone home with usage statistics, and find its drill
database, whatever directory it is started from.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from dashboard.paths import DB_ENV, app_script, default_db_path


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser("console", help="start the drill console in the browser")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s: this machine only)")
    p.add_argument("--port", type=int, default=8501, help="port (default %(default)s)")
    p.add_argument("--db", type=Path, default=None, help=f"drill database file (default: ${DB_ENV} or {default_db_path()})")
    p.set_defaults(handler=run)


def command(host: str, port: int) -> list[str]:
    """The streamlit command line for the console."""
    return [
        sys.executable, "-m", "streamlit", "run", str(app_script()),
        "--server.address", host,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--global.developmentMode", "false",
    ]


def run(args: argparse.Namespace) -> int:
    """Start the console and wait for it (Ctrl-C stops it)."""
    if not 0 < args.port < 65536:
        print(f"drillsim: --port {args.port} is not a port number (1-65535)", file=sys.stderr)
        return 2
    db = (args.db or Path(os.environ.get(DB_ENV) or default_db_path())).resolve()
    if db.is_dir():
        print(f"drillsim: --db {db} is a folder; give a file path", file=sys.stderr)
        return 2
    db.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, DB_ENV: str(db)}
    if args.host not in {"127.0.0.1", "localhost", "::1"}:
        print(f"drillsim: warning: the console will be reachable from other machines at {args.host}", file=sys.stderr)
    print(f"drillsim console: http://{'127.0.0.1' if args.host in {'0.0.0.0', '::'} else args.host}:{args.port}  (drills in {db}; Ctrl-C stops)")
    sys.stdout.flush()
    try:
        return subprocess.run(command(args.host, args.port), env=env, check=False).returncode
    except KeyboardInterrupt:
        return 0
