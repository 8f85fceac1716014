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

from drills.errors import DrillError
from i18n import N_, _

ROLES = ("facilitator", "evaluator", "observer", "reviewer")
ROLE_NAMES = {
    "facilitator": N_("facilitator"),
    "evaluator": N_("evaluator"),
    "observer": N_("observer"),
    "reviewer": N_("reviewer"),
}
"""The console's roles as a person reads them."""
HASHES_ENV = "DRILLSIM_ACCESS"
"""Environment variable carrying the roles' code hashes (JSON) to the console server."""
CODE_ENV_PREFIX = "DRILLSIM_CODE_"
"""DRILLSIM_CODE_FACILITATOR etc.: where a user may give the codes to ``drillsim console``."""

PERMISSIONS: dict[str, frozenset[str]] = {
    "facilitator": frozenset(
        {"create", "upload", "advance", "decide", "note", "observe", "rate", "items", "read"}
    ),
    "evaluator": frozenset({"upload", "note", "observe", "rate", "items", "read"}),
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


# --- the one-time token of an open console ------------------------------------------------

TOKEN_ENV = "DRILLSIM_TOKEN"
"""Environment variable carrying the hash of the console's one-time token to the server."""
TOKEN_PARAM = "token"  # not for people: the address's query parameter


def new_token() -> str:
    """A one-time token for a console started without access codes (as Jupyter does).

    Why: with no codes, anyone who reaches the port (a page in the facilitator's own
    browser, through DNS rebinding) could otherwise drive the drill; the token is printed
    in the address only the person who started the console sees.
    """
    return secrets.token_urlsafe(24)


def server_token(env: Mapping[str, str] | None = None) -> str:
    """The token's hash as the server sees it ('' when the console needs no token)."""
    return (env if env is not None else os.environ).get(TOKEN_ENV, "")


def admit(token: str, stored: str) -> bool:
    """Whether a token opens the console: always when none is required."""
    return not stored or (bool(token) and check_code(token, stored))


# --- codes from a file ----------------------------------------------------------------------


class CodesFileError(ValueError):
    """A codes file that cannot be used, with the reason a person reads."""


def codes_from_text(text: str, source: str) -> dict[str, str]:
    """Role -> code from ``role = code`` lines ('#' starts a comment, blank lines skipped)."""
    codes: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        role, sep, code = line.partition("=")
        role, code = role.strip().lower(), code.strip()
        if not sep or role not in ROLES or not code:
            raise CodesFileError(
                _("{file}, line {line}: give ROLE = CODE with ROLE one of {roles}").format(
                    file=source, line=number, roles=", ".join(ROLES)
                )
            )
        codes[role] = code
    return codes


# --- wrong codes: a growing delay ------------------------------------------------------------

FREE_FAILURES = 3
"""Wrong codes in a row a role may get before each further attempt is delayed."""
MAX_DELAY = 30.0
"""Longest delay, in seconds, before a code is checked."""


class SignInThrottle:
    """Counts wrong codes per role, process-wide, and says how long to wait before the next.

    Why process-wide and not per browser tab: a new tab is a new session, so a
    per-session count would let a guesser start afresh with every tab.
    """

    def __init__(self) -> None:
        self.failures: dict[str, int] = {}

    def delay(self, role: str) -> float:
        """Seconds to wait before checking the next code for ``role``: 0, then 1, 2, 4 ..."""
        extra = self.failures.get(role, 0) - FREE_FAILURES
        return 0.0 if extra < 0 else min(MAX_DELAY, 2.0**extra)

    def record(self, role: str, ok: bool) -> int:
        """Note an attempt's outcome; returns the wrong codes in a row for the role."""
        if ok:
            self.failures.pop(role, None)
            return 0
        self.failures[role] = self.failures.get(role, 0) + 1
        return self.failures[role]


THROTTLE = SignInThrottle()
"""The console server's one throttle (one per process)."""


# --- the acting role, checked by the core ----------------------------------------------------

Role = str
"""A console role, one of :data:`ROLES`. Core writes take it as ``role: Role | None``:
None is a trusted caller (the command line, a test, the live clock that follows wall
time); any string that is not a role (:data:`NOBODY`, a tab signed in as no one) is
refused everything, so an unsigned console tab is never mistaken for a trusted caller."""

NOBODY = "nobody"  # not for people: the acting role of a console tab not signed in

ENTRY_ACTIONS = {
    "advance": "advance",
    "start": "advance",
    "pause": "advance",
    "resume": "advance",
    "inject": "advance",
    "end": "advance",
    "decision": "decide",
    "note": "note",
    "observation": "observe",
}
"""The permission each kind of log entry needs."""


class RoleRefused(DrillError, PermissionError):
    """The acting role may not do this; nothing was written."""


def require(role: Role | None, action: str) -> Role | None:
    """``role`` back, if it may take ``action``; :class:`RoleRefused` if it may not.

    Why in the core, and why an argument: a page hides what a role may not do, and
    re-checks at the click, but the drill database is the last line; every core write
    takes the acting role as an explicit argument (no ambient state a thread or a
    callback could miss) and refuses here what that role may not do.
    """
    if role is None or can(role, action):
        return role
    if role not in PERMISSIONS:
        raise RoleRefused(_("nobody is signed in to the console; sign in first: nothing was saved"))
    raise RoleRefused(
        _("the {role} role may not {action} in this drill; nothing was saved").format(
            role=role, action=_(ACTION_WORDS.get(action, action))
        )
    )


ACTION_WORDS = {
    "advance": N_("move the clock or run the drill"),
    "decide": N_("take decisions"),
    "note": N_("write notes"),
    "observe": N_("record observations"),
    "rate": N_("rate or write findings"),
    "items": N_("change improvement items"),
    "create": N_("create drills"),
    "upload": N_("keep uploaded plans and scenarios"),
}
