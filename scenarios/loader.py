"""Scenario files in and out, and where the bundled scenario library lives."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from plans.io import dump_model, load_model, load_model_text
from scenarios.model import Scenario

DEFAULT_SCENARIO = "crm_outage_monday_peak"
"""Bundled scenario used when the user names none."""


def library_dir() -> Path:
    """Folder holding the bundled scenarios (package data)."""
    return Path(str(resources.files("scenarios") / "library"))


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenarios by name (file stem)."""
    return {p.stem: p for p in sorted(library_dir().glob("*.yaml"))}


def default_scenario_path() -> Path:
    """Path of the bundled default scenario."""
    return library_dir() / f"{DEFAULT_SCENARIO}.yaml"


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; raise :class:`plans.ModelFileError` listing every problem."""
    return load_model(path, Scenario)


def load_scenario_text(text: str, name: str = "<upload>") -> Scenario:
    """Read a scenario from text in hand (an upload)."""
    return load_model_text(text, name, Scenario)


def dump_scenario(scenario: Scenario) -> str:
    """YAML text of a scenario that loads back into an equal scenario."""
    return dump_model(scenario)
