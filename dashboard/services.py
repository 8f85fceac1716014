"""Cached access to bundled files and the drill database, for the pages.

Why cached: Streamlit reruns a page on every click; reading and validating the
bundled plans each time would be wasted work, and the database object can be shared
by all sessions of the server (each call opens its own short connection).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import state
from drills.paths import db_path
from drills.store import DrillStore
from drills.uploads_store import uploaded
from plans.loader import bundled_plans
from scenarios.loader import bundled_scenarios

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def store() -> DrillStore:
    """The drill database named by $DRILLSIM_DB (or the default path)."""
    return _store(str(db_path()))


@st.cache_resource
def _store(path: str) -> DrillStore:
    """One store object per database file, shared by the server's sessions."""
    return DrillStore(Path(path))


@st.cache_data
def bundled_plan_texts() -> dict[str, str]:
    """Bundled plans' YAML text, by name."""
    return {name: path.read_text() for name, path in bundled_plans().items()}


@st.cache_data
def bundled_scenario_texts() -> dict[str, str]:
    """Bundled scenarios' YAML text, by name."""
    return {name: path.read_text() for name, path in bundled_scenarios().items()}


def plan_texts() -> dict[str, str]:
    """Bundled plans, then the plans uploaded (kept in the drill database, so every tab
    and a restarted console see them), then any uploaded in this tab only."""
    kept = uploaded(store().path, "plan")
    return {**bundled_plan_texts(), **kept, **state.uploads(state.UPLOADED_PLANS)}


def scenario_texts() -> dict[str, str]:
    """Bundled scenarios, then the scenarios uploaded (kept in the drill database), then
    any uploaded in this tab only."""
    kept = uploaded(store().path, "scenario")
    return {**bundled_scenario_texts(), **kept, **state.uploads(state.UPLOADED_SCENARIOS)}
