#!/usr/bin/env python3
"""Set up drillsim's local virtual environment on demand, then run it or its tests.

Why a Python script and not a shell one: the only thing a fresh machine is promised
is ``python3``. Usage::

    python3 dev.py run [options...]         # drillsim run: the main job on the bundled defaults
    python3 dev.py test [pytest args...]    # the whole test suite
    python3 dev.py lint                     # ruff (lint and format check) and mypy, as CI runs them
    python3 dev.py COMMAND [args...]        # any other drillsim command: console, check FILE, ...

The environment lives in ``.venv`` beside this file. It is (re)installed only when
``requirements.lock`` or ``pyproject.toml`` changed since the last install, so the
second call starts at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".drillsim-installed"
LINT = (
    ["ruff", "check", "."],
    ["ruff", "format", "--check", "."],
    ["mypy"],
)
"""What ``lint`` runs, in order; each is configured in pyproject.toml."""


def _bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    suffix = ".exe" if os.name == "nt" else ""
    return VENV / sub / f"{name}{suffix}"


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_env() -> None:
    """Create .venv and install the pinned tree when it is missing or stale."""
    if not _bin("python").exists():
        print(f"dev.py: creating virtual environment in {VENV}", file=sys.stderr)
        try:
            venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
        except Exception as exc:  # noqa: BLE001 - any failure here needs the same advice
            sys.exit(
                f"dev.py: could not create {VENV}: {exc}\n"
                "On Debian/Ubuntu install the venv module first: apt-get install python3-venv"
            )
    wanted = _fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    print("dev.py: installing pinned dependencies (first run only)", file=sys.stderr)
    pip = [str(_bin("python")), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run([*pip, "install", "--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted + "\n")


def lint() -> int:
    """Run each linter; the first that finds anything sets the exit status (all still run)."""
    status = 0
    for tool, *args in LINT:
        print(f"dev.py: {tool} {' '.join(args)}", file=sys.stderr, flush=True)
        code = subprocess.run([str(_bin(tool)), *args], cwd=ROOT, check=False).returncode
        status = status or code
    return status


def main(argv: list[str]) -> int:
    """Dispatch after making sure the environment is ready.

    ``run`` and every other drillsim command pass their arguments on
    (``dev.py run -n 5`` is ``drillsim run -n 5``); ``test`` runs pytest; ``lint``
    runs the linters.
    """
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__, file=sys.stderr)
        return 0 if argv else 2
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "lint":
        return lint()
    if command == "test":
        cmd = [str(_bin("python")), "-m", "pytest", *rest]
    else:
        cmd = [str(_bin("drillsim")), command, *rest]
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
