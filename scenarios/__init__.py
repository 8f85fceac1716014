"""Scenarios: what happens to the centre in a run, and what the run is judged on.

Import direction: ``scenarios`` imports only ``plans``.
"""

from scenarios.compat import check as check_against_plan
from scenarios.loader import (
    bundled_scenarios,
    default_scenario_path,
    dump_scenario,
    load_scenario,
    load_scenario_text,
)
from scenarios.model import Scenario

__all__ = [
    "Scenario",
    "bundled_scenarios",
    "check_against_plan",
    "default_scenario_path",
    "dump_scenario",
    "load_scenario",
    "load_scenario_text",
]
