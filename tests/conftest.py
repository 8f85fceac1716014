"""Shared fixtures: the tiny hand-built plan as data, and a builder for variants."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from plans.model import Plan
from plans.types import FROM_FILE

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 29)


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
