"""Shared fixtures: the tiny plan and its CRM outage, plan variants, and drills in a store."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from drills.records import DrillRecord
from drills.store import DrillStore
from i18n import set_language
from plans.model import Plan
from plans.types import FROM_FILE
from scenarios.model import Scenario

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read English unless they choose a language: the machine's LANG must not decide."""
    monkeypatch.setenv("DRILLSIM_LANG", "en")
    set_language("en")


@pytest.fixture
def tiny_data() -> dict[str, Any]:
    """The tiny plan as plain data, fresh for each test to edit."""
    return yaml.safe_load((DATA / "plans" / "tiny.yaml").read_text())


@pytest.fixture
def make_plan(tiny_data: dict[str, Any]) -> Callable[..., Plan]:
    """Build a plan from the tiny one after an edit function changes its data."""

    def build(edit: Callable[[dict[str, Any]], None] | None = None) -> Plan:
        data = copy.deepcopy(tiny_data)
        if edit:
            edit(data)
        return Plan.model_validate(data, context={FROM_FILE: True})

    return build


TINY_CRM = DATA / "scenarios" / "tiny_crm.yaml"
"""The tiny plan's CRM outage, shared by the response, debrief, report and programme tests."""


def exact_response(data: dict[str, Any]) -> None:
    """Plan edit: answering times exactly as the plan states them (no spread)."""
    data["response"] = {"response_time_cv": 0}


@pytest.fixture(scope="session")
def tiny_crm_data() -> Callable[[], dict[str, Any]]:
    """The tiny CRM outage scenario as fresh plain data at each call."""
    text = TINY_CRM.read_text()
    return lambda: yaml.safe_load(text)


@pytest.fixture(scope="session")
def tiny_crm(tiny_crm_data: Callable[[], dict[str, Any]]) -> Callable[..., Scenario]:
    """Build the tiny CRM outage; keyword edits replace top-level fields, ``edit`` the rest."""

    def build(edit: Callable[[dict[str, Any]], None] | None = None, **fields: Any) -> Scenario:
        data = tiny_crm_data()
        data.update(fields)
        if edit:
            edit(data)
        return Scenario.model_validate(data, context={FROM_FILE: True})

    return build


@pytest.fixture
def tiny_plan(make_plan: Callable[..., Plan]) -> Plan:
    """The tiny plan with exact answering times."""
    return make_plan(exact_response)


DEFAULT_PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
DEFAULT_SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()


@pytest.fixture(scope="session")
def new_drill() -> Callable[..., DrillRecord]:
    """Create a drill of the default plan and scenario in a store; keywords change any field.

    Seed 7, tabletop, with Alice as commander and Bob as duty manager, unless changed.
    """

    def create(store: DrillStore, **changes: Any) -> DrillRecord:
        args: dict[str, Any] = {
            "name": "Monday CRM outage",
            "plan_name": "default_centre",
            "plan_text": DEFAULT_PLAN_TEXT,
            "scenario_name": "crm_outage_monday_peak",
            "scenario_text": DEFAULT_SCENARIO_TEXT,
            "seed": 7,
            "mode": "tabletop",
            "speed": 1.0,
            "participants": [
                {"name": "Alice", "role": "commander"},
                {"name": "Bob", "role": "duty_manager"},
            ],
        }
        args.update(changes)
        return store.create_drill(**args)

    return create
