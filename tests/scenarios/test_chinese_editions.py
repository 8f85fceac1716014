"""Each drill's Chinese edition (``<name>_zh``) is the same drill, written in Chinese.

Same start, horizon, demand, times, events, inject times and addressees, objectives:
only the words for people differ (name, description, event notes, inject titles,
messages and expected actions), and the edition names the Chinese plan. Its opening
comment is the English one translated: it cites the same manual sections and figures.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from plans.loader import bundled_plans, load_plan
from scenarios import bundled_scenarios, check_against_plan, load_scenario
from scenarios.model import Scenario

ZH = "_zh"
CHINESE_PLAN = "default_centre_zh"
SCENARIO_TEXTS = {"name", "description", "note", "title", "message", "expected_action"}
"""Fields that hold words for people; everything else is ids and figures."""
CJK = re.compile(r"[\u4e00-\u9fff]")
FOLDED_SPACE = re.compile(r"[\u4e00-\u9fff，。；：、] [\u4e00-\u9fff，。；：、]")
"""A space between two Chinese characters: a YAML line break folded into the text."""
SECTION_OR_DECIMAL = re.compile(r"(?<![\d.,])\d\.\d(?:\.\d)?(?![\d.])")
"""Manual sections (5.3, 2.1.1) and decimal figures (2.5 h, 1.6x) in a comment."""

EDITIONS = sorted(n for n in bundled_scenarios() if n.endswith(ZH))


def _english(name: str) -> str:
    return name.removesuffix(ZH)


def _load(name: str) -> Scenario:
    return load_scenario(bundled_scenarios()[name])


def _without_texts(value):
    if isinstance(value, dict):
        return {k: _without_texts(v) for k, v in value.items() if k not in SCENARIO_TEXTS}
    if isinstance(value, list):
        return [_without_texts(v) for v in value]
    return value


def _figures(scenario: Scenario) -> dict:
    data = scenario.model_dump(mode="json")
    data["meta"] = {k: v for k, v in data["meta"].items() if k not in {"id", "plan"}}
    return _without_texts(data)


def _texts(scenario: Scenario) -> list[tuple[str, str]]:
    """(where, text) for every text shown to people, Chinese side of a bilingual name."""
    name = scenario.meta.name
    out = [("meta.name", getattr(name, "texts", {}).get("zh-CN", name))]
    out.append(("meta.description", scenario.meta.description))
    out += [(f"events.{e.id}.note", e.note) for e in scenario.events]
    for i, inject in enumerate(scenario.injects):
        out += [
            (f"injects[{i}].title", inject.title),
            (f"injects[{i}].message", inject.message),
            (f"injects[{i}].expected_action", inject.expected_action),
        ]
    return out


def _opening_comment(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return list(itertools.takewhile(lambda line: line.startswith("#"), lines))


def test_every_drill_has_a_chinese_edition():
    drills = {n for n, p in bundled_scenarios().items() if not n.endswith(ZH)}
    drills = {n for n in drills if _load(n).meta.event_class is not None}
    assert {_english(n) for n in EDITIONS} == drills
    assert len(EDITIONS) == 8


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_has_the_same_events_and_figures(name):
    chinese, english = _load(name), _load(_english(name))
    assert _figures(chinese) == _figures(english)
    assert [e.id for e in chinese.events] == [e.id for e in english.events]
    assert [(i.at, i.to) for i in chinese.injects] == [(i.at, i.to) for i in english.injects]
    assert chinese.objectives == english.objectives


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_names_the_chinese_plan_and_fits_it(name):
    scenario = _load(name)
    assert scenario.meta.id == name
    assert scenario.meta.plan == CHINESE_PLAN
    assert check_against_plan(load_plan(bundled_plans()[CHINESE_PLAN]), scenario) == []


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_is_written_in_chinese(name):
    chinese, english = _load(name), _load(_english(name))
    assert getattr(chinese.meta.name, "texts", {}).get("en") == english.meta.name
    for where, text in _texts(chinese):
        assert CJK.search(text), (where, text)
        assert not FOLDED_SPACE.search(text), (where, text)
    # every text the English edition gives, the Chinese one gives too
    given = {where for where, text in _texts(english) if text}
    assert given <= {where for where, text in _texts(chinese) if text}


@pytest.mark.parametrize("name", EDITIONS)
def test_edition_opens_with_the_translated_comment(name):
    comment = _opening_comment(bundled_scenarios()[name])
    original = _opening_comment(bundled_scenarios()[_english(name)])
    assert comment[0].startswith("# ") and CJK.search(comment[0])
    assert len(comment) >= 5
    assert all(CJK.search(line) for line in comment if line.strip("# "))
    cited = set(SECTION_OR_DECIMAL.findall("\n".join(original)))
    assert cited <= set(SECTION_OR_DECIMAL.findall("\n".join(comment))), (
        "the translation cites the same sections and figures as the original"
    )
