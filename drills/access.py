"""Who may do what in the console, and how access codes are checked.

Why codes are hashed before the console starts: a code must never sit in plain text
in a file or in the console's environment. ``drillsim console`` turns each role's
code into a salted scrypt hash and hands the server only the hashes.

Roles (HSEEP exercise staff): the facilitator runs the drill; evaluators rate
capabilities and write findings; observers take notes; reviewers read reports, the
programme and the improvement items but change nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping

ROLES = ("facilitator", "evaluator", "observer", "reviewer")
HASHES_ENV = "DRILLSIM_ACCESS"
"""Environment variable carrying the roles' code hashes (JSON) to the console server."""
CODE_ENV_PREFIX = "DRILLSIM_CODE_"
"""DRILLSIM_CODE_FACILITATOR etc.: where a user may give the codes to ``drillsim console``."""

PERMISSIONS: dict[str, frozenset[str]] = {
    "facilitator": frozenset(
        {"create", "advance", "decide", "note", "observe", "rate", "items", "read"}
    ),
    "evaluator": frozenset({"note", "observe", "rate", "items", "read"}),
    "observer": frozenset({"note", "observe", "read"}),
    "reviewer": frozenset({"read"}),
}
_N, _R, _P = 2**14, 8, 1


def can(role: str | None, action: str) -> bool:
    """Whether a role may take an action ('advance', 'decide', 'note', 'rate', ...)."""
    return role in PERMISSIONS and action in PERMISSIONS[role]


def hash_code(code: str, salt: bytes | None = None) -> str:
    """'scrypt$<salt hex>$<hash hex>' for a code."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(code.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_code(code: str, stored: str) -> bool:
    """Whether a code matches a stored hash (constant-time comparison)."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(code.encode(), salt=bytes.fromhex(salt_hex), n=_N, r=_R, p=_P, dklen=32)
    return hmac.compare_digest(digest.hex(), digest_hex)


def codes_from_env(env: Mapping[str, str]) -> dict[str, str]:
    """Role -> code from DRILLSIM_CODE_<ROLE> variables that are set and not empty."""
    return {
        role: env[f"{CODE_ENV_PREFIX}{role.upper()}"]
        for role in ROLES
        if env.get(f"{CODE_ENV_PREFIX}{role.upper()}")
    }


def encode_hashes(codes: Mapping[str, str]) -> str:
    """The JSON the console server receives: role -> hash."""
    return json.dumps({role: hash_code(code) for role, code in sorted(codes.items())})


def server_hashes(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Role -> hash as the server sees them (empty: an open console)."""
    raw = (env if env is not None else os.environ).get(HASHES_ENV, "")
    if not raw:
        return {}
    data = json.loads(raw)
    return {str(k): str(v) for k, v in data.items() if k in ROLES}


def sign_in(role: str, code: str, hashes: Mapping[str, str]) -> bool:
    """Whether someone may act as ``role``: any role on an open console, else the right code.

    When some roles have codes and this one has none, it stays closed: a code set for
    the facilitator must not leave the others open.
    """
    if role not in ROLES:
        return False
    if not hashes:
        return True
    stored = hashes.get(role)
    return stored is not None and check_code(code, stored)
