"""Plans in two languages: Chinese reasons beside unchanged paths, names in each language.

Why: a coordinator reading a plan's problems in Chinese still fixes the same file, line
and field, so only the reason is translated; a name given as {zh-CN, en} shows in the
language in use, then the other one, then the id. The plan's own language and time zone
are checked like every other field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from i18n import language
from plans import ModelFileError, display_names, dump_plan, load_plan, load_plan_text, name_of
from plans.analysis import readiness_findings
from plans.loader import bundled_plans
from plans.names import plan_name
from plans.types import human_duration, human_minutes

DATA = Path(__file__).resolve().parents[1] / "data" / "plans"
TINY = DATA / "tiny.yaml"
MULTIPLE = DATA / "malformed" / "multiple_errors_at_once.yaml"


def _issues(path: Path) -> list[str]:
    with pytest.raises(ModelFileError) as exc:
        load_plan(path)
    return exc.value.lines()


def _tiny(**meta: object) -> dict:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["meta"].update(meta)
    return data


def _load(data: dict):
    return load_plan_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "plan.yaml")


def test_malformed_plan_in_chinese_keeps_file_line_and_path():
    english = _issues(MULTIPLE)
    with language("zh-CN"):
        chinese = _issues(MULTIPLE)
    assert len(chinese) == len(english) == 5
    for en, zh in zip(english, chinese, strict=True):
        where = ": ".join(en.split(": ", 2)[:2])  # 'file:line: field path'
        assert zh.startswith(where + ": ")
        assert zh != en
    text = "\n".join(chinese)
    assert (
        f"{MULTIPLE}:9: meta.last_drill: 未知字段 'last_drill'（是否应为 'last_full_drill'？）"
        in text
    )
    assert "sites[0].seats: 应为整数" in text and "（实际为 'many'）" in text
    assert "roles[2].holder: 未知的人员 'zed'" in text
    assert "键 'name' 在同一映射中出现了两次" in text
    assert "没有单位" in text


def test_pydantic_messages_stay_pydantic_english():
    lines = _issues(MULTIPLE)
    assert any(
        "sites[0].seats: input should be a valid integer, unable to parse string as an integer "
        "(got 'many')" in line
        for line in lines
    )


def test_local_name_shows_in_each_language_and_falls_back():
    data = _tiny(name={"zh-CN": "客服中心应急预案", "en": "Centre plan"})
    data["roles"][0]["name"] = {"zh": "应急总指挥"}  # only Chinese given
    role_id = data["roles"][0]["id"]
    plan = _load(data)
    assert plan_name(plan) == "Centre plan"
    assert name_of(plan, role_id) == "应急总指挥"  # English falls back to the Chinese
    assert name_of(plan, "nobody") == "nobody"
    with language("zh-CN"):
        assert plan_name(plan) == "客服中心应急预案"
        assert display_names(plan)[role_id] == "应急总指挥"
    again = _load(yaml.safe_load(dump_plan(plan)))
    assert again == plan  # both languages survive a dump, in the order given


def test_plan_language_and_timezone():
    plan = _load(_tiny(language="zh-CN", timezone="Europe/London"))
    assert plan.meta.language == "zh-CN"
    assert plan.meta.timezone == "Europe/London"
    assert _load(_tiny()).meta.timezone == "Asia/Shanghai"


def test_bad_timezone_names_the_field():
    with pytest.raises(ModelFileError) as exc:
        _load(_tiny(timezone="Mars/Olympus"))
    [line] = exc.value.lines()
    assert "meta.timezone: unknown time zone 'Mars/Olympus'" in line
    assert "'Asia/Shanghai'" in line
    with language("zh-CN"), pytest.raises(ModelFileError) as exc:
        _load(_tiny(timezone="Mars/Olympus"))
    assert "meta.timezone: 未知时区 'Mars/Olympus'" in exc.value.lines()[0]


def test_bad_language_key_and_bad_language():
    with pytest.raises(ModelFileError) as exc:
        _load(_tiny(name={"fr": "Plan du centre"}))
    [line] = exc.value.lines()
    assert "meta.name: unknown language 'fr': write the text as zh-CN, en or both" in line
    with language("zh-CN"), pytest.raises(ModelFileError) as exc:
        _load(_tiny(name={"en": " "}))
    assert "meta.name: en 文字为空" in exc.value.lines()[0]
    with pytest.raises(ModelFileError) as exc:
        _load(_tiny(language="fr"))
    assert "meta.language: input should be 'zh-CN' or 'en'" in exc.value.lines()[0]
    with language("zh-CN"), pytest.raises(ModelFileError) as exc:
        _load(_tiny(language="fr"))
    assert "meta.language: 应为以下之一：'zh-CN', 'en'（实际为 'fr'）" in exc.value.lines()[0]


def test_durations_read_in_chinese_and_stay_english():
    assert (human_minutes(90), human_minutes(45), human_duration(240)) == ("1h30m", "45m", "4h")
    with language("zh-CN"):
        assert human_minutes(90) == "1小时30分"
        assert human_minutes(45) == "45分钟"
        assert human_duration(240) == "4小时"
        assert human_duration(0.5) == "30秒"


def test_findings_read_in_chinese_with_names():
    plan = load_plan(bundled_plans()["thin_cover_centre"])
    with language("zh-CN"):
        findings = readiness_findings(plan, dt.date(2026, 11, 29))
    assert findings
    for f in findings:
        assert not any(word in f.message for word in (" the ", " has ", " is ")), f.message
    assert any("无人值班" in f.message and "周一" in f.message for f in findings)
