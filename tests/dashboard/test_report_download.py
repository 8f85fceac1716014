"""The Evaluate page's downloads: the report in the format chosen, the records as CSV.

Why record the served files: AppTest shows a download button's label and address, not
its bytes; the media storage is wrapped to keep each file's bytes and file name.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from drills import session
from drills.export import COLUMNS, TABLES
from drills.paths import DB_ENV
from drills.store import DrillStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def served(monkeypatch):
    """file id -> (bytes, file name, mime type) of every file a page offers."""
    files: dict[str, tuple[bytes, str | None, str]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (bytes(path_or_data), filename, mimetype)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


@pytest.fixture
def evaluate(tmp_path, monkeypatch, new_drill, served):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name="Monday drill", seed=3)
    record = session.advance(store, record.id, 90, "Alice", record.version)
    session.add_note(store, record.id, 'standby CRM up, "slow", 3 agents', "Bob", 90)
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception
    return at


def key_of(button) -> str:
    """The widget key a button was made with (its id is '$$ID-<hash>-<key>')."""
    return button.proto.id.split("-", 2)[2]


def file_of(button, served):
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return served[file_id]


def report_buttons(at):
    return [b for b in at.get("download_button") if key_of(b).startswith("download_report")]


def test_the_download_is_always_of_the_format_chosen(evaluate, served):
    at = evaluate
    for fmt in ("md", "pdf", "docx"):
        at.radio(key="report_format").set_value(fmt).run()
        assert not report_buttons(at), f"{fmt}: the previous format's file is still offered"
        at.button(key="prepare_report").click().run()
        assert not at.exception
        (button,) = report_buttons(at)
        data, name, mime = file_of(button, served)
        assert name == f"drill-0001-aar.{fmt}"
        assert f"({fmt}, " in button.proto.label
        if fmt == "md":
            assert data.decode("utf-8").startswith("# ") and mime == "text/markdown"
        elif fmt == "pdf":
            assert data.startswith(b"%PDF") and mime == "application/pdf"
        else:
            assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "docx" in at.radio(key="report_format").options


def test_the_six_record_files_download_as_csv(evaluate, served):
    buttons = {
        key_of(b).split("_")[1]: b
        for b in evaluate.get("download_button")
        if key_of(b).startswith("csv_")
    }
    assert sorted(buttons) == sorted(TABLES)
    for table, button in buttons.items():
        data, name, mime = file_of(button, served)
        assert name == f"drill-0001-{table}.csv" and mime == "text/csv"
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert tuple(rows[0]) == COLUMNS[table]
        assert all(len(r) == len(rows[0]) for r in rows)
    notes = list(csv.DictReader(io.StringIO(file_of(buttons["notes"], served)[0].decode())))
    assert notes[0]["text"] == 'standby CRM up, "slow", 3 agents' and notes[0]["author"] == "Bob"
    log = list(csv.DictReader(io.StringIO(file_of(buttons["log"], served)[0].decode())))
    assert [r["kind"] for r in log] == ["advance", "note"]
