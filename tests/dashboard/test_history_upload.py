"""The Scenarios page's "From history", driven as a planner uses it: upload, fit, download.

Why the upload goes through the session: AppTest cannot set a file uploader, so the test
does what the uploader's callback does (keeps the file's name and bytes under
``history_upload``), then clicks Fit and reads the file the download button serves.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard.history_upload import MAPPING, UPLOAD, fit_upload
from drills.paths import DB_ENV
from history.synthetic import SyntheticSpec, generate, write_contacts_csv
from plans.loader import default_plan_path, load_plan
from scenarios.loader import load_scenario_text

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
DATA = ROOT / "tests" / "data" / "history"


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> bytes:
    """A week of the synthetic history as its CSV export."""
    path = tmp_path_factory.mktemp("history") / "week.csv"
    write_contacts_csv(generate(SyntheticSpec(days=7)), path)
    return path.read_bytes()


@pytest.fixture
def served(monkeypatch):
    """file id -> (bytes, file name) of every file a page offers for download."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (bytes(path_or_data), filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/scenarios.py").run()
    assert not at.exception
    return at


def _download(at, served):
    buttons = [b for b in at.get("download_button") if b.proto.id.endswith("-history_download")]
    if not buttons:
        return None
    file_id = buttons[0].proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return served[file_id]


def test_upload_fit_and_download_the_scenario(page, export, served):
    at = page
    assert not [b for b in at.button if b.key == "history_fit"]  # nothing to fit yet
    before = len(at.get("image"))  # the scenario's timeline
    at.session_state[UPLOAD] = ("week export.csv", export)
    at.run()
    at.radio(key="history_interval").set_value(60)
    at.button(key="history_fit").click().run()
    assert not at.exception, at.exception
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    rows = export.count(b"\n") - 1
    assert metrics["Rows read"] == metrics["Rows used"] == f"{rows:,}"
    data, name = _download(at, served)
    assert name == "week_export.yaml"
    text = data.decode("utf-8")
    assert f"# sha256: {hashlib.sha256(export).hexdigest()}" in text
    assert "# Source: week export.csv" in text
    assert "Arrivals by 60-minute interval" in text
    scenario = load_scenario_text(text, name)
    assert scenario.meta.id == "week_export"
    # the report's figures (arrivals, handle time, patience) and its tables are shown
    assert len(at.get("image")) == before + 3
    assert any("History fit: week export.csv" in m.value for m in at.markdown)
    # a rerun (any click on the page) shows the same figures without drawing them again
    # (what is kept is shown: a planted copy with one figure and another text stays)
    key, pngs, _report = at.session_state["history_drawn"]
    at.session_state["history_drawn"] = (key, pngs[:1], "kept, not redrawn")
    at.run()
    assert not at.exception
    assert len(at.get("image")) == before + 1
    assert any(m.value == "kept, not redrawn" for m in at.markdown)


def test_a_malformed_upload_shows_each_problem_and_offers_nothing(page, served):
    at = page
    at.session_state[UPLOAD] = (
        "acd.csv",
        (DATA / "malformed" / "unknown_channel.csv").read_bytes(),
    )
    at.run()
    at.button(key="history_fit").click().run()
    assert not at.exception
    assert at.error[0].value == "Nothing was fitted: fix the problems below."
    shown = at.code[0].value
    assert shown.startswith("acd.csv: 1 of 11 rows (9.1%) cannot be used")
    assert "acd.csv:4: column 'channel': unknown channel 'Hotline'" in shown
    assert _download(at, served) is None


def test_a_gb18030_export_with_its_mapping_is_fitted_in_the_page(page, served):
    at = page
    at.session_state[UPLOAD] = ("acd.csv", (DATA / "acd_export_gb18030.csv").read_bytes())
    at.session_state[MAPPING] = ("map.yaml", (DATA / "example_mapping.yaml").read_bytes())
    at.run()
    at.button(key="history_fit").click().run()
    assert not at.exception and not at.error
    assert any("GB18030, semicolon-separated" in c.value for c in at.caption)
    data, name = _download(at, served)
    assert name == "acd.yaml" and b"# Rows: 24 read, 24 used, 0 dropped" in data


def test_a_bad_mapping_names_the_mapping_file_and_line():
    plan = load_plan(default_plan_path())
    export = (DATA / "acd_export_gb18030.csv").read_bytes()
    result = fit_upload("acd.csv", export, plan, mapping=("map.yaml", b"columns: {A: chanel}\n"))
    assert not result.ok
    assert result.problems[0].startswith("map.yaml:1: ")
    assert "'chanel' is not a drillsim history column" in result.problems[0]
