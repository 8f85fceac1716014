"""Roles and access codes: hashes only, constant-time checks, closed by default."""

from __future__ import annotations

import pytest

from drills import access
from drillsim.cli import main
from drillsim.console import parse_codes


def test_permissions_per_role():
    assert access.can("facilitator", "advance") and access.can("facilitator", "decide")
    assert access.can("evaluator", "rate") and not access.can("evaluator", "advance")
    assert access.can("observer", "note") and not access.can("observer", "decide")
    assert access.can("reviewer", "read")
    assert not any(
        access.can("reviewer", a) for a in ("advance", "decide", "note", "rate", "create", "items")
    )
    assert not access.can(None, "read") and not access.can("admin", "read")


def test_codes_are_hashed_and_checked():
    stored = access.hash_code("s3cret")
    assert "s3cret" not in stored and stored.startswith("scrypt$")
    assert access.check_code("s3cret", stored) and not access.check_code("s3cret ", stored)
    assert access.hash_code("s3cret") != stored  # salted
    assert not access.check_code("x", "garbage")


def test_sign_in_rules():
    hashes = {"facilitator": access.hash_code("a")}
    assert access.sign_in("facilitator", "a", hashes)
    assert not access.sign_in("facilitator", "b", hashes)
    assert not access.sign_in("reviewer", "", hashes)  # a role without a code stays closed
    assert access.sign_in("reviewer", "", {})  # an open console
    assert not access.sign_in("root", "", {})


def test_server_only_receives_hashes():
    env = {access.HASHES_ENV: access.encode_hashes({"reviewer": "look"})}
    hashes = access.server_hashes(env)
    assert set(hashes) == {"reviewer"} and "look" not in env[access.HASHES_ENV]


def test_codes_from_options_and_environment():
    env = {"DRILLSIM_CODE_FACILITATOR": "f", "DRILLSIM_CODE_OBSERVER": ""}
    assert parse_codes(["reviewer=r"], env) == {"facilitator": "f", "reviewer": "r"}
    with pytest.raises(ValueError, match="ROLE=CODE"):
        parse_codes(["boss=x"], env)


def test_console_refuses_to_serve_others_without_codes(capsys, monkeypatch):
    for role in access.ROLES:
        monkeypatch.delenv(f"DRILLSIM_CODE_{role.upper()}", raising=False)
    assert main(["console", "--host", "0.0.0.0"]) == 2
    assert "stays on this machine" in capsys.readouterr().err
    assert main(["console", "--code", "nobody"]) == 2
