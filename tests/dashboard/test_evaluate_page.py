"""The Evaluate page as evaluators use it, click by click: their name asked once, findings
added, edited, deleted and restored, drillsim's drafts accepted or discarded, the summary,
items with capability and point of contact, and the report that shows it all."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from drills import evaluations as ev
from drills import items as it
from drills import session
from drills.paths import DB_ENV
from drills.store import DrillStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def served(monkeypatch):
    """file id -> (bytes, file name) of every file a page offers."""
    files: dict[str, tuple[bytes, str | None]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (bytes(path_or_data), filename)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


@pytest.fixture
def page(tmp_path, monkeypatch, new_drill, served):
    db = tmp_path / "drills.sqlite"
    store = DrillStore(db)
    record = new_drill(store, name="Monday drill", seed=3)
    session.advance(store, record.id, 180, "Alice", record.version)
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception
    return at, db, record.id


def sign(at, name="Eve Zhou"):
    at.text_input(key="sign_in_name").set_value(name)
    at.button(key="save_name").click().run()
    assert not at.exception
    return at


def success(at) -> str:
    return (
        at.success[0].value if at.success else f"no success; errors: {[e.value for e in at.error]}"
    )


def frame(at, column: str):
    """The page's table that has this column (AppTest shows no dataframe keys)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def report_md(at, served) -> str:
    at.radio(key="report_format").set_value("md").run()
    at.button(key="prepare_report").click().run()
    (button,) = [
        b
        for b in at.get("download_button")
        if b.proto.id.split("-", 2)[2].startswith("download_report")
    ]
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    return served[file_id][0].decode("utf-8")


def test_the_name_is_asked_once_and_recorded_as_author_and_last_changer(page, served):
    at, db, drill_id = page
    assert not any(b.key == "save_rating" for b in at.button)  # no name: nothing to write with
    assert any("Give your name in the sidebar" in w.value for w in at.warning)
    sign(at)
    assert "Signed in as Eve Zhou." in success(at)
    at.switch_page("pages/debrief.py").run()
    at.switch_page("pages/evaluate.py").run()
    assert not any(t.key == "sign_in_name" for t in at.text_input)  # asked once
    assert any("**Eve Zhou**" in c.value for c in at.sidebar.caption)
    at.selectbox(key="rate_capability").set_value("activate")
    at.radio(key="rate_value").set_value("S")
    at.text_area(key="rate_evidence").set_value("commander reached after 25 min")
    at.button(key="save_rating").click().run()
    assert "Rating saved." in success(at)
    [r] = ev.ratings(db, drill_id)
    assert (r.evaluator, r.changed_by) == ("Eve Zhou", "Eve Zhou")
    md = report_md(at, served)
    row = next(line for line in md.splitlines() if line.startswith("| Activation | S:"))
    assert row.count("Eve Zhou (") == 2 and "evaluator" not in row.lower()


def test_a_role_is_not_a_name(page):
    at, _db, _drill = page
    at.text_input(key="sign_in_name").set_value("evaluator")
    at.button(key="save_name").click().run()
    assert "'evaluator' is a role" in at.error[0].value
    assert any(t.key == "sign_in_name" for t in at.text_input)


def test_another_evaluator_changes_a_rating_and_both_names_stay(page):
    at, db, drill_id = page
    ev.rate(db, drill_id, "activate", "S", "25 min", "Eve Zhou")
    sign(at, "Gus Wang")
    at.selectbox(key="rate_capability").set_value("activate").run()
    at.selectbox(key="rate_whose").set_value("Eve Zhou")
    at.radio(key="rate_value").set_value("M")
    at.text_area(key="rate_evidence").set_value("40 min in the log")
    at.button(key="save_rating").click().run()
    assert "Rating saved." in success(at)
    [r] = ev.ratings(db, drill_id)
    assert (r.rating, r.evaluator, r.changed_by) == ("M", "Eve Zhou", "Gus Wang")


def test_add_edit_delete_and_restore_a_finding_with_recommendations(page, served):
    at, db, drill_id = page
    sign(at)
    at.selectbox(key="new_finding_kind").set_value("area")
    at.selectbox(key="new_finding_cap").set_value("activate")
    at.text_area(key="new_finding_obs").set_value("The commander answered after 40 min.")
    at.text_input(key="new_finding_ref").set_value("manual 7.2, activation within 15m")
    at.text_area(key="new_finding_ana").set_value("The night rota has no deputy.")
    at.text_area(key="new_finding_rec").set_value("Add a second deputy to the night rota.")
    at.button(key="add_finding").click().run()
    assert "Finding added." in success(at)
    [f] = ev.findings(db, drill_id)
    assert f.recommendations == "Add a second deputy to the night rota." and f.author == "Eve Zhou"
    # edit, as another evaluator
    at.button(key="sign_out").click().run()  # another person signs in, with their name
    at.selectbox(key="sign_in_role").set_value("evaluator")
    at.text_input(key="sign_in_name").set_value("Gus Wang")
    at.button(key="sign_in").click().run()
    assert not any(t.key == "sign_in_name" for t in at.text_input)
    at.text_area(key=f"f{f.id}_rec").set_value("Add two deputies to the night rota.")
    at.button(key=f"save_{f.id}").click().run()
    assert "Finding saved." in success(at)
    [f] = ev.findings(db, drill_id)
    assert (f.author, f.updated_by) == ("Eve Zhou", "Gus Wang")
    md = report_md(at, served)
    assert "**Recommendations:** Add two deputies to the night rota." in md
    assert "**Written by:** *Eve Zhou (" in md and "**Last changed by:** *Gus Wang (" in md
    # delete: deliberate (a tick first), kept, out of the page and the report, restorable
    at.button(key=f"delete_{f.id}").click().run()
    assert "Tick 'I mean to delete this finding' first." in at.error[0].value
    assert ev.findings(db, drill_id)
    at.checkbox(key=f"f{f.id}_sure").check()
    at.button(key=f"delete_{f.id}").click().run()
    assert "Finding deleted." in success(at)
    assert ev.findings(db, drill_id) == []
    assert not any(b.key == f"save_{f.id}" for b in at.button)
    assert any("1 deleted finding" in e.label for e in at.expander)
    assert "Add two deputies" not in report_md(at, served)
    at.button(key=f"restore_{f.id}").click().run()
    assert "Finding restored." in success(at)
    assert [x.id for x in ev.findings(db, drill_id)] == [f.id]


def test_drafts_are_accepted_edited_or_discarded_and_discarded_ones_stay_away(page, served):
    at, db, drill_id = page
    sign(at)
    keys = [
        b.key.removeprefix("accept_") for b in at.button if b.key and b.key.startswith("accept_")
    ]
    assert len(keys) >= 3
    first, second, third = keys[:3]
    at.button(key=f"accept_{first}").click().run()  # as drafted
    assert "Draft accepted as your finding." in success(at)
    at.text_area(key=f"d{second}_obs").set_value("Edited by Eve: level 2 declared late.")
    at.text_area(key=f"d{second}_rec").set_value("Declare the level before activating.")
    at.button(key=f"accept_{second}").click().run()  # edited, then accepted
    at.button(key=f"discard_{third}").click().run()
    assert "Draft discarded." in success(at)
    left = [b.key for b in at.button if b.key and b.key.startswith(("accept_", "discard_"))]
    assert not {f"accept_{k}" for k in (first, second, third)} & set(left)
    stored = ev.findings(db, drill_id)
    assert [(f.author, f.provenance) for f in stored] == [("Eve Zhou", "drillsim")] * 2
    assert stored[1].observed == "Edited by Eve: level 2 declared late."
    decided = ev.draft_decisions(db, drill_id)
    assert decided[third].decision == "discarded" and decided[third].who == "Eve Zhou"
    at.run()  # a refresh does not bring the discarded draft back
    assert not any(b.key == f"accept_{third}" for b in at.button)
    md = report_md(at, served)
    assert "Recorded by" not in md
    assert md.count("**Origin:** *drafted by drillsim*") == 2
    assert "**Recommendations:** Declare the level before activating." in md


def test_the_summary_is_written_and_first_in_the_report(page, served):
    at, db, drill_id = page
    sign(at)
    at.text_area(key=f"summary_text_{drill_id}").set_value("The room restored the CRM on time.")
    at.button(key="save_summary").click().run()
    assert "Executive summary saved." in success(at)
    assert ev.summary(db, drill_id).written_by == "Eve Zhou"
    assert any("Written by Eve Zhou (" in c.value for c in at.caption)
    md = report_md(at, served)
    assert md.index("## Executive summary") < md.index("## 1 Overview")
    assert "The room restored the CRM on time." in md


def test_unrated_capabilities_are_flagged(page):
    at, db, drill_id = page
    warning = next(w.value for w in at.warning if "Not rated yet" in w.value)
    assert "Activation" in warning and "Resource guarantee" in warning
    hseep = frame(at, "objective")
    rto = hseep[hseep["objective"].str.startswith("rto_crm")]
    assert list(rto["capability"]) == ["Handling and coordination", "Resource guarantee"]
    assert set(rto["rating"]) == {"NOT RATED"}
    ev.rate(db, drill_id, "activate", "P", "", "Eve Zhou")
    at.run()
    warning = next(w.value for w in at.warning if "Not rated yet" in w.value)
    assert "Activation" not in warning and "Resource guarantee" in warning


@pytest.mark.parametrize(
    ("person", "typed", "stored", "shown"),
    [
        ("chen_hua", "", "chen_hua", "Chen Hua (ext. 8001)"),
        ("\u2026typed", "Liu Yang", "Liu Yang", "Liu Yang"),
    ],
)
def test_an_item_gets_its_capability_and_point_of_contact(
    page, served, person, typed, stored, shown
):
    at, db, drill_id = page
    sign(at)
    at.selectbox(key="item_capability").set_value("activate")
    at.text_input(key="item_issue").set_value("Commander slow to answer at night")
    at.text_input(key="item_action").set_value("Add a second deputy on the night rota")
    at.selectbox(key="item_poc_person").set_value(person).run()
    if typed:
        at.text_input(key="item_poc_name").set_value(typed)
    at.selectbox(key="item_node_kind").set_value("role")
    at.text_input(key="item_node_id").set_value("commander")
    at.button(key="add_item").click().run()
    assert "Improvement item saved." in success(at)
    [item] = it.all_items(db)
    assert (item.capability, item.poc, item.created_by) == ("activate", stored, "Eve Zhou")
    table = frame(at, "point of contact")
    assert list(table["point of contact"]) == [shown] and list(table["capability"]) == [
        "Activation"
    ]
    md = report_md(at, served)
    row = next(line for line in md.splitlines() if "Commander slow to answer at night" in line)
    assert row.startswith("| Activation |") and f"| {shown} |" in row


def test_the_page_reads_in_chinese_and_keeps_chinese_names(page, served):
    _at, db, drill_id = page
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh-CN"  # a link to the console in Chinese
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert at.title[0].value == "演练总结评估"
    sign(at, "赵敏")
    assert "已以 赵敏 身份登录。" in success(at)
    assert any(w.value.startswith("尚未评级：") for w in at.warning)
    assert any(e.label.startswith("草稿：") for e in at.expander)
    at.selectbox(key="new_finding_kind").set_value("area")
    at.text_area(key="new_finding_obs").set_value("指挥长在四十分钟后才接听电话")
    at.text_area(key="new_finding_rec").set_value("夜班增设第二名副指挥长")
    at.button(key="add_finding").click().run()
    assert "发现已添加。" in success(at)
    md = report_md(at, served)
    assert "**建议：** 夜班增设第二名副指挥长" in md and "**撰写人：** *赵敏" in md
