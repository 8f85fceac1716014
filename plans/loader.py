"""Plan files in and out, and where the bundled plans live.

Why a module apart from :mod:`plans.io`: ``io`` is the shared machinery that
scenarios reuse; this module is the plan-specific face of it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from plans.io import dump_model, load_model, load_model_text
from plans.model import Plan

DEFAULT_PLAN = "default_centre"
"""Name of the bundled plan used when the user names none."""


def examples_dir() -> Path:
    """Folder holding the bundled plans (package data)."""
    return Path(str(resources.files("plans") / "examples"))


def bundled_plans() -> dict[str, Path]:
    """Bundled plans by name (file stem)."""
    return {p.stem: p for p in sorted(examples_dir().glob("*.yaml"))}


BUNDLED_PLANS = (
    "default_centre",
    "single_point_centre",
    "thin_cover_centre",
    "default_centre_zh",
)
"""Names of the bundled plans, default first."""


def default_plan_path() -> Path:
    """Path of the bundled default plan."""
    return examples_dir() / f"{DEFAULT_PLAN}.yaml"


def load_plan(path: str | Path) -> Plan:
    """Read a plan file; raise :class:`plans.ModelFileError` listing every problem."""
    return load_model(path, Plan)


def load_plan_text(text: str, name: str = "<upload>") -> Plan:
    """Read a plan from text in hand (an upload), reporting problems against ``name``."""
    return load_model_text(text, name, Plan)


def dump_plan(plan: Plan) -> str:
    """YAML text of a plan that loads back into an equal plan."""
    return dump_model(plan)
