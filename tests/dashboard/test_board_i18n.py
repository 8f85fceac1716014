"""The drill room in Chinese and in English: refusals, the board's labels, names not ids.

Why a test of its own: the rest of the suite reads English (tests/conftest.py), so
nothing else shows that a refused decision and the status board come out in the
language in use, or that a drill decided in one language replays in the other.
"""

from __future__ import annotations

import re

import pytest

from drills import board as rows
from drills import session
from drills.errors import Conflict
from drills.records import DrillRecord
from drills.store import DrillStore
from i18n import language
from sim.response.decisions import Decision

STANDBY = Decision(action="activate_backup", target="crm_standby")
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def store(tmp_path) -> DrillStore:
    return DrillStore(tmp_path / "drills.sqlite")


def _at_the_alarm(store: DrillStore, new_drill) -> DrillRecord:
    drill = new_drill(store)
    return session.advance(store, drill.id, 75.0, "Alice", drill.version)


def test_a_refused_decision_gives_its_reason_in_the_language_in_use(store, new_drill):
    drill = new_drill(store)
    with language("zh-CN"):
        verdict, drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
    assert not verdict.accepted
    assert verdict.reason == "尚未发现并报告任何事件，或最近的事件已关闭"
    with language("en"):
        verdict, _drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
    assert verdict.reason == (
        "no event has been detected and reported yet, or the last one was closed"
    )


def test_a_reason_naming_a_target_keeps_the_id_in_chinese(store, new_drill):
    drill = _at_the_alarm(store, new_drill)
    typo = Decision(action="activate_backup", target="crm_stanby")
    with language("zh-CN"):
        verdict, _drill = session.decide(store, drill.id, typo, "Alice", "", drill.version)
    assert verdict.reason == "未知的 id 'crm_stanby'"


def test_a_drill_decided_in_chinese_replays_in_english(store, new_drill):
    drill = _at_the_alarm(store, new_drill)
    with language("zh-CN"):
        _taken, drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
        again, drill = session.decide(store, drill.id, STANDBY, "Alice", "", drill.version)
    assert again.reason == "'crm_standby' 正在启用中"
    with language("en"):
        board = session.board(drill)  # no ReplayMismatch: the same reason, other words
    log = [e for e in board["log"] if e["kind"] == "decision"]
    assert log[-1]["result"]["reason"] == "'crm_standby' 正在启用中"  # as it was said
    assert log[-1]["reason"] == "'crm_standby' is already being activated"  # as it reads now
    entry = rows.log_rows(board)[0]["entry"]
    assert (
        entry == "activate_backup crm_standby - REFUSED: 'crm_standby' is already being activated"
    )


def test_the_board_labels_come_in_chinese_and_name_the_plan_s_parts(store, new_drill):
    drill = _at_the_alarm(store, new_drill)
    with language("zh-CN"):
        board = session.board(drill)
        channels = rows.channel_rows(board)
        systems = rows.system_rows(board)
        steps = rows.incident_rows(board)
        log = rows.log_rows(board)
        choice = rows.choice_label(("activate_backup", "crm_standby"), names=board["names"])
    assert set(channels[0]) == {"渠道", "状态", "方式", "排队数", "坐席", "编号"}
    phone = next(r for r in channels if r["编号"] == "phone")
    assert phone["渠道"] == board["names"]["phone"] != "phone"
    assert phone["状态"] == "正常"
    standby = next(r for r in systems if r["编号"] == "crm_standby")
    assert standby["状态"] == "备用未启用"
    assert standby["对象"] == board["names"]["crm_standby"]
    assert steps[0]["步骤"] == "事件发现与报告"
    assert steps[0]["事件"].endswith("（未分级）")
    assert log[0]["类型"] == "推进时钟"
    assert log[0]["内容"].startswith("时钟推进至 ")
    assert "实际时间（Asia/Shanghai）" in log[0]
    assert choice.startswith("启用备用：") and choice.endswith("（crm_standby）")


def test_the_board_labels_stay_english_under_en(store, new_drill):
    drill = _at_the_alarm(store, new_drill)
    with language("en"):
        board = session.board(drill)
        channels = rows.channel_rows(board)
        systems = rows.system_rows(board)
        steps = rows.incident_rows(board)
    assert set(channels[0]) == {"channel", "status", "mode", "waiting", "agents", "id"}
    standby = next(r for r in systems if r["id"] == "crm_standby")
    assert standby["state"] == "backup idle"
    assert steps[0]["step"] == "discovery and report"
    assert steps[0]["event"].endswith("(level ?)")
    assert rows.choice_label(("activate_backup", "crm_standby")) == "Activate backup: crm_standby"
    assert not any(HAN.search(str(v)) for r in channels + systems + steps for v in r.values())


def test_a_conflict_is_told_in_chinese(store, new_drill):
    drill = new_drill(store)
    moved = session.advance(store, drill.id, 30.0, "Bob", drill.version)
    with language("zh-CN"), pytest.raises(Conflict) as err:
        session.advance(store, moved.id, 40.0, "Alice", drill.version)
    assert str(err.value).startswith("在您查看之后，Bob 已将时钟推进至 T+30分钟（第 1 条）")
