"""Findings, ratings and the summary that belong to people: authors, soft delete, drafts'
decisions, items' capability and point of contact, and layout 4 of the drill database."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from drills import evaluations as ev
from drills import items as it
from drills.export import export_drill
from drills.schema import MIGRATIONS, SCHEMA_VERSION, TABLES
from drills.store import DrillStore
from drillsim.cli import main
from plans.loader import load_plan_text

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXT = (ROOT / "plans" / "examples" / "default_centre.yaml").read_text()
SCENARIO_TEXT = (ROOT / "scenarios" / "library" / "crm_outage_monday_peak.yaml").read_text()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "drills.sqlite"


@pytest.fixture
def drill_id(db: Path) -> str:
    store = DrillStore(db)
    return store.create_drill(
        "CRM outage", "default_centre", PLAN_TEXT, "crm_outage_monday_peak", SCENARIO_TEXT
    ).id


def area(db: Path, drill_id: str, who: str = "Eve Zhou") -> int:
    return ev.add_finding(
        db,
        drill_id,
        "area",
        "activate",
        "the commander answered after 40 min",
        "plan flow system_failure, step activate, limit 15m",
        "the night rota has no deputy",
        who,
        recommendations="add a second deputy to the night rota",
    )


# --- findings -----------------------------------------------------------------------------


def test_a_finding_keeps_its_four_fields_and_who_wrote_it(db, drill_id):
    fid = area(db, drill_id)
    [f] = ev.findings(db, drill_id)
    assert f.id == fid and f.recommendations == "add a second deputy to the night rota"
    assert f.author == f.updated_by == "Eve Zhou" and f.provenance == ""
    assert f.created_wall == f.updated_wall and not f.deleted


def test_an_edit_records_who_changed_it_and_keeps_the_author(db, drill_id):
    fid = area(db, drill_id)
    changed = ev.update_finding(db, fid, recommendations="two deputies", by="Gus Wang")
    assert changed.author == "Eve Zhou" and changed.updated_by == "Gus Wang"
    assert changed.recommendations == "two deputies"
    assert changed.updated_wall >= changed.created_wall
    history = ev.finding_history(db, fid)
    assert [(h.action, h.who) for h in history] == [
        ("written", "Eve Zhou"),
        ("changed", "Gus Wang"),
    ]
    assert history[0].fields["recommendations"] == "add a second deputy to the night rota"


def test_a_deleted_finding_is_kept_out_of_the_list_and_can_be_restored(db, drill_id):
    keep = ev.add_finding(db, drill_id, "strength", "discover_report", "fast", "", "", "Eve")
    gone = area(db, drill_id)
    deleted = ev.delete_finding(db, gone, "Gus Wang")
    assert deleted.deleted and deleted.deleted_by == "Gus Wang" and deleted.deleted_wall
    assert [f.id for f in ev.findings(db, drill_id)] == [keep]
    assert [f.id for f in ev.findings(db, drill_id, include_deleted=True)] == [keep, gone]
    with sqlite3.connect(db) as conn:  # nothing lost: the row and its texts are in the file
        row = conn.execute("SELECT observed, deleted_by FROM findings WHERE id = ?", (gone,))
        assert row.fetchone() == ("the commander answered after 40 min", "Gus Wang")
    with pytest.raises(ValueError, match="deleted by Gus Wang: restore it"):
        ev.update_finding(db, gone, observed="x", by="Eve")
    with pytest.raises(ValueError, match="already deleted"):
        ev.delete_finding(db, gone, "Eve")
    back = ev.restore_finding(db, gone, "Eve Zhou")
    assert not back.deleted and [f.id for f in ev.findings(db, drill_id)] == [keep, gone]
    actions = [h.action for h in ev.finding_history(db, gone)]
    assert actions == ["written", "deleted", "restored"]
    with pytest.raises(ValueError, match="is not deleted"):
        ev.restore_finding(db, gone, "Eve")


@pytest.mark.parametrize("who", ["", "  ", None])
def test_a_deletion_needs_a_name(db, drill_id, who):
    fid = area(db, drill_id)
    with pytest.raises(ValueError, match="needs a name"):
        ev.delete_finding(db, fid, who)
    assert ev.findings(db, drill_id)[0].id == fid


def test_a_draft_drillsim_stored_becomes_the_editors(db, drill_id):
    """A layout-3 prefilled draft (author 'drillsim') edited by a person is theirs."""
    fid = ev.add_finding(db, drill_id, "strength", "activate", "level 2 in 5m", "", "", "drillsim")
    edited = ev.update_finding(db, fid, observed="level 2 declared in 5m", by="Eve Zhou")
    assert edited.author == "Eve Zhou" and edited.provenance == "drillsim"


# --- drafts -------------------------------------------------------------------------------


def test_an_accepted_draft_is_the_persons_drafted_by_drillsim(db, drill_id):
    fid = ev.accept_draft(
        db, drill_id, "k1", "strength", "activate", "level 2 in 5m", "", "", "Eve Zhou"
    )
    [f] = ev.findings(db, drill_id)
    assert f.id == fid and f.author == "Eve Zhou" and f.provenance == "drillsim"
    assert f.draft_key == "k1"
    decided = ev.draft_decisions(db, drill_id)
    assert decided["k1"].decision == "accepted" and decided["k1"].finding_id == fid
    with pytest.raises(ValueError, match="already accepted by Eve Zhou"):
        ev.accept_draft(db, drill_id, "k1", "strength", "activate", "again", "", "", "Gus")
    with pytest.raises(ValueError, match="already accepted by Eve Zhou"):
        ev.discard_draft(db, drill_id, "k1", "Gus")


def test_a_discarded_draft_is_recorded_and_stores_no_finding(db, drill_id):
    ev.discard_draft(db, drill_id, "k2", "Gus Wang")
    assert ev.findings(db, drill_id, include_deleted=True) == []
    decided = ev.draft_decisions(db, drill_id)
    assert decided["k2"].decision == "discarded" and decided["k2"].who == "Gus Wang"
    with pytest.raises(ValueError, match="already discarded by Gus Wang"):
        ev.accept_draft(db, drill_id, "k2", "strength", "activate", "x", "", "", "Eve")


def test_an_accepted_area_made_final_needs_its_reference_and_analysis(db, drill_id):
    with pytest.raises(ValueError, match="needs its reference and analysis"):
        ev.accept_draft(db, drill_id, "k3", "area", "activate", "late", "", "", "Eve", draft=False)
    assert "k3" not in ev.draft_decisions(db, drill_id)


# --- ratings and the summary ----------------------------------------------------------------


def test_a_rating_changed_by_another_stays_the_evaluators_with_both_names(db, drill_id):
    first = ev.rate(db, drill_id, "activate", "S", "25 min", "Eve Zhou")
    assert first.changed_by == "Eve Zhou" and first.first_wall == first.wall_time
    later = ev.rate(db, drill_id, "activate", "M", "40 min in the log", "Eve Zhou", "Gus Wang")
    [current] = ev.ratings(db, drill_id)
    assert current.id == later.id and current.evaluator == "Eve Zhou"
    assert current.changed_by == "Gus Wang" and current.first_wall == first.wall_time
    assert current.wall_time >= current.first_wall
    assert [r.current for r in ev.rating_history(db, drill_id)] == [False, True]


def test_the_summary_keeps_every_version_and_both_names(db, drill_id):
    assert ev.summary(db, drill_id) is None
    ev.set_summary(db, drill_id, "first words", "Eve Zhou")
    s = ev.set_summary(db, drill_id, "better words", "Gus Wang")
    assert s is not None and s.text == "better words" and s.versions == 2
    assert (s.written_by, s.changed_by) == ("Eve Zhou", "Gus Wang")
    assert s.written_wall <= s.changed_wall
    ev.set_summary(db, drill_id, "", "Gus Wang")  # cleared: out of the report, still kept
    assert ev.summary(db, drill_id) is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM summaries").fetchone()[0] == 3
    with pytest.raises(ValueError, match="needs a name"):
        ev.set_summary(db, drill_id, "words", "")


# --- items --------------------------------------------------------------------------------


def test_an_item_carries_its_capability_and_point_of_contact(db, drill_id):
    plan = load_plan_text(PLAN_TEXT, "default_centre")
    common = {
        "issue": "commander slow at night",
        "corrective_action": "second deputy on the night rota",
        "element": "organisation",
        "owner_role": "commander",
        "start": "2026-01-10",
        "due": "2026-03-31",
        "node_kind": "role",
        "node_id": "commander",
        "author": "Eve Zhou",
        "drill_id": drill_id,
        "capability": "activate",
    }
    person = it.add_item(db, plan, **common, poc="chen_hua")
    typed = it.add_item(db, plan, **common, poc="  Liu Yang  ")
    assert (person.capability, person.poc) == ("activate", "chen_hua")
    assert it.poc_name(plan, person.poc) == "Chen Hua (ext. 8001)"
    assert typed.poc == "Liu Yang" and it.poc_name(plan, typed.poc) == "Liu Yang"
    assert [i.poc for i in it.all_items(db)] == ["chen_hua", "Liu Yang"]


# --- layout 4 -------------------------------------------------------------------------------


def layout_3_file(path: Path, source: Path, drill_id: str) -> None:
    """A drill database exactly as layout 3 made it, holding ``source``'s drill and one
    rating, finding and item written with layout 3's columns."""
    drill = sqlite3.connect(source).execute("SELECT * FROM drills WHERE id = ?", (drill_id,))
    names = [d[0] for d in drill.description]
    row = drill.fetchone()
    conn = sqlite3.connect(path)
    for statement in TABLES:
        conn.execute(statement)
    for version in (2, 3):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
    conn.execute("INSERT INTO schema_version (version) VALUES (3)")
    kept = [(n, v) for n, v in zip(names, row, strict=True) if n not in ("archived",)]
    conn.execute(
        f"INSERT INTO drills ({', '.join(n for n, _ in kept)}) "
        f"VALUES ({', '.join('?' for _ in kept)})",
        [v for _, v in kept],
    )
    conn.execute(
        "INSERT INTO ratings (drill_id, capability, rating, evidence, evaluator, wall_time) "
        "VALUES (?, 'activate', 'S', '25 min', 'Eve', '2026-03-02T10:00:00+00:00')",
        (drill_id,),
    )
    conn.execute(
        "INSERT INTO findings (drill_id, kind, capability, observed, reference, analysis, "
        "author, draft, created_wall, updated_wall) VALUES (?, 'area', 'activate', 'late', "
        "'plan', 'rota', 'Eve', 0, '2026-03-02T10:00:00+00:00', '2026-03-02T10:05:00+00:00')",
        (drill_id,),
    )
    conn.execute(
        "INSERT INTO items (plan_id, drill_id, capability, issue, corrective_action, element, "
        "owner_role, start, due, node_kind, node_id, created_wall, created_by) VALUES "
        "('default_centre', ?, 'activate', 'slow', 'deputy', 'training', 'commander', "
        "'2026-03-02', '2026-04-02', 'role', 'commander', '2026-03-02T10:00:00+00:00', 'Eve')",
        (drill_id,),
    )
    conn.commit()
    conn.close()


def test_a_layout_3_file_opens_keeps_its_rows_and_gains_the_columns(tmp_path, db, drill_id):
    old = tmp_path / "old.sqlite"
    layout_3_file(old, db, drill_id)
    with sqlite3.connect(old) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(findings)")}
        assert "recommendations" not in columns  # really the old layout
    [f] = ev.findings(old, drill_id)  # opening migrates
    assert (f.observed, f.reference, f.analysis, f.author) == ("late", "plan", "rota", "Eve")
    assert f.recommendations == "" and f.updated_by == "Eve" and not f.deleted
    [r] = ev.ratings(old, drill_id)
    assert (r.rating, r.evaluator, r.changed_by, r.first_wall) == (
        "S",
        "Eve",
        "Eve",
        "2026-03-02T10:00:00+00:00",
    )
    [item] = it.all_items(old)
    assert item.issue == "slow" and item.poc == ""
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"finding_history", "draft_decisions", "summaries"} <= tables
    assert SCHEMA_VERSION >= 4  # layout 5 (the log's role column) came after
    ev.update_finding(old, f.id, recommendations="add a deputy", by="Gus")  # and it writes
    assert ev.findings(old, drill_id)[0].recommendations == "add a deputy"


def test_the_csv_export_carries_the_new_columns(tmp_path, db, drill_id):
    fid = area(db, drill_id)
    ev.delete_finding(db, fid, "Gus Wang")
    ev.rate(db, drill_id, "activate", "S", "25 min", "Eve Zhou", "Gus Wang")
    plan = load_plan_text(PLAN_TEXT, "default_centre")
    it.add_item(
        db,
        plan,
        issue="slow",
        corrective_action="deputy",
        element="training",
        owner_role="commander",
        start="2026-01-10",
        due="2026-03-31",
        node_kind="role",
        node_id="commander",
        author="Eve Zhou",
        drill_id=drill_id,
        capability="activate",
        poc="chen_hua",
    )
    files = {p.stem.rsplit("-", 1)[1]: p for p in export_drill(db, drill_id, "csv", tmp_path / "x")}

    def rows(table: str) -> list[dict[str, str]]:
        with files[table].open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    [finding] = rows("findings")  # the deleted finding is exported, marked
    assert finding["recommendations"] == "add a second deputy to the night rota"
    assert finding["deleted_by"] == "Gus Wang" and finding["updated_by"] == "Eve Zhou"
    assert {"provenance", "draft_key", "deleted_wall"} <= set(finding)
    [rating] = rows("ratings")
    assert rating["changed_by"] == "Gus Wang" and rating["first_wall"]
    [item] = rows("items")
    assert item["poc"] == "chen_hua" and item["capability"] == "activate"


def test_drillsim_drill_export_writes_the_new_columns(tmp_path, db, drill_id, capsys):
    fid = area(db, drill_id)
    ev.delete_finding(db, fid, "Gus Wang")
    out = tmp_path / "out"
    assert (
        main(["drill", "export", drill_id, "--format", "csv", "--out", str(out), "--db", str(db)])
        == 0
    )
    with (out / f"{drill_id}-findings.csv").open(encoding="utf-8", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert row["recommendations"] == "add a second deputy to the night rota"
    assert row["deleted_by"] == "Gus Wang"
    with (out / f"{drill_id}-items.csv").open(encoding="utf-8", newline="") as fh:
        assert "poc" in (csv.DictReader(fh).fieldnames or [])
