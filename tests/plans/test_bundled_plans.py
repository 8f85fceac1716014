"""Every bundled plan loads and checks; each teaching plan shows what it was built to show."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from plans import BUNDLED_PLANS, default_plan_path, load_plan
from plans.analysis import readiness_findings
from plans.loader import bundled_plans

TODAY = dt.date(2026, 11, 29)


def test_bundled_plan_list_matches_folder():
    assert tuple(sorted(bundled_plans())) == tuple(sorted(BUNDLED_PLANS))
    assert default_plan_path().stem == BUNDLED_PLANS[0]


@pytest.mark.parametrize("name", BUNDLED_PLANS)
def test_bundled_plan_loads_and_checks(name):
    plan = load_plan(bundled_plans()[name])
    findings = readiness_findings(plan, TODAY)
    assert all(f.message for f in findings)


def test_default_plan_is_the_centre_the_manual_describes():
    plan = load_plan(default_plan_path())
    assert 100 <= sum(g.agents for g in plan.staffing) <= 140
    assert len([s for s in plan.sites if s.kind == "primary"]) == 2
    assert any(s.kind == "backup" for s in plan.sites)
    assert {c.kind for c in plan.channels} >= {"phone", "chat", "app", "counter"}
    shares = plan.channel_shares()
    online = sum(v for c, v in shares.items() if next(x for x in plan.channels if x.id == c).online)
    assert online == pytest.approx(0.683, abs=1e-6)
    assert {e.kind for e in plan.event_classes} >= {
        "system_failure",
        "complaint_surge",
        "disaster",
        "security_incident",
        "staff_shortage",
    }
    assert {r.kind for r in plan.roles} >= {
        "commander",
        "deputy_commander",
        "duty_manager",
        "it_on_call",
        "communications_lead",
        "site_lead",
        "security_lead",
    }
    assert {"crm", "telephony", "ticketing", "data_platform"} <= {s.id for s in plan.systems}
    assert any(r.reserve_staff for r in plan.resources)
    assert {r.kind for r in plan.resources} == {"people", "money", "materials", "information"}


def test_default_plan_has_no_error_findings():
    findings = readiness_findings(load_plan(default_plan_path()), TODAY)
    assert [f.message for f in findings if f.severity == "error"] == []


def _found(name):
    plan = load_plan(bundled_plans()[name])
    return {(f.code, f.ids[0]) for f in readiness_findings(plan, TODAY)}


def test_single_point_centre_shows_its_weaknesses():
    found = _found("single_point_centre")
    assert {
        ("spof.node", "crm"),
        ("spof.node", "network_link"),
        ("spof.node", "centre"),
        ("resource.no_reserve", "crm"),
        ("role.no_deputy", "it_on_call"),
        ("role.concurrent", "dana"),
        ("resource.no_owner", "spare_headsets"),
        ("resource.no_procedure", "spare_headsets"),
    } <= found


def test_thin_cover_centre_shows_its_weaknesses():
    found = _found("thin_cover_centre")
    assert {
        ("cover.gap", "it_on_call"),
        ("escalation.person_cut", "quinn"),
        ("activation.rto", "backup_site"),
        ("data.rpo", "data_platform"),
        ("drill.overdue", "thin_cover_centre"),
    } <= found
    assert not any(code == "spof.node" for code, _ in found)


# --- the Chinese edition of the default plan ------------------------------------------

CHINESE_PLAN = "default_centre_zh"
PLAN_TEXTS = {
    "name",
    "description",
    "title",
    "contact",
    "duties",
    "scope",
    "procedure",
    "note",
    "unit",
}
"""Fields that hold words for people; everything else is ids and figures."""
META_OWN = {"id", "name", "owner", "description", "language", "timezone"}
"""Meta fields an edition sets for itself."""
CJK = re.compile(r"[\u4e00-\u9fff]")


def _without_texts(value):
    if isinstance(value, dict):
        return {k: _without_texts(v) for k, v in value.items() if k not in PLAN_TEXTS}
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def _plan_figures(plan):
    data = plan.model_dump(mode="json")
    data["meta"] = {k: v for k, v in data["meta"].items() if k not in META_OWN}
    return _without_texts(data)


def _texts(value, path=()):
    """(path, field, value) of every text field in a model dump."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in PLAN_TEXTS:
                yield path, key, item
            else:
                yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


@pytest.fixture(scope="module")
def editions():
    return load_plan(default_plan_path()), load_plan(bundled_plans()[CHINESE_PLAN])


def test_chinese_plan_is_bundled():
    assert CHINESE_PLAN in bundled_plans()
    assert CHINESE_PLAN in BUNDLED_PLANS


def test_chinese_plan_equals_the_english_one_apart_from_its_texts(editions):
    english, chinese = editions
    assert _plan_figures(chinese) == _plan_figures(english)
    assert chinese.ids_by_kind() == english.ids_by_kind()


def test_chinese_plan_meta(editions):
    english, chinese = editions
    assert chinese.meta.id == CHINESE_PLAN
    assert chinese.meta.language == "zh-CN"
    assert chinese.meta.timezone == "Asia/Shanghai"
    assert (chinese.meta.version, chinese.meta.approved, chinese.meta.next_review) == (
        english.meta.version,
        english.meta.approved,
        english.meta.next_review,
    )


def test_chinese_plan_names_are_bilingual_and_its_texts_chinese(editions):
    """Every name reads {zh-CN: ..., en: ...}, Chinese first, the English one as in the
    English plan; every other text for people is written in Chinese."""
    english, chinese = editions
    english_texts = {(path, key): v for path, key, v in _texts(english.model_dump(mode="json"))}
    texts = list(_texts(chinese.model_dump(mode="json")))
    assert {(path, key) for path, key, _ in texts} == set(english_texts)
    for path, key, value in texts:
        if english_texts[(path, key)] == "":  # left out in both
            assert value == "", (path, key)
            continue
        if key == "name":
            assert isinstance(value, dict), path
            assert list(value) == ["zh-CN", "en"], path
            assert value["en"] == english_texts[(path, key)], path
            value = value["zh-CN"]
        assert isinstance(value, str) and CJK.search(value), (path, key, value)
        assert not re.search(r"[\u4e00-\u9fff，。；：、] [\u4e00-\u9fff，。；：、]", value), (
            "a line break folded into a space inside Chinese text",
            path,
            key,
        )


def test_chinese_plan_finds_what_the_english_one_finds(editions):
    english, chinese = editions

    def found(plan):
        return sorted((f.severity, f.code, f.ids) for f in readiness_findings(plan, TODAY))

    assert found(chinese) == found(english)


def test_chinese_plan_file_opens_with_its_description():
    text = bundled_plans()[CHINESE_PLAN].read_text(encoding="utf-8")
    comment = list(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines()))
    assert len(comment) >= 10 and all(CJK.search(line) for line in comment if line.strip("# "))
