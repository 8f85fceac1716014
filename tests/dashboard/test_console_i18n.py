"""The console in Chinese and English: the sidebar's switch, kept in the address."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from drills.paths import DB_ENV
from i18n import current_language

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def lang_in_address(at: AppTest) -> str | None:
    value = at.query_params.get("lang")
    return value[0] if isinstance(value, list) else value


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def test_switch_to_chinese_keeps_lang_in_the_address_and_back(app):
    assert app.title[0].value == "Drill console"
    assert app.selectbox(key="language_pick").value == "en"
    app.selectbox(key="language_pick").set_value("zh-CN").run()
    assert not app.exception
    assert lang_in_address(app) == "zh-CN"
    assert app.title[0].value == "演练控制台"
    assert "创建演练" in labels(app)
    app.text_input(key="new_name").set_value("台风桌面演练")
    app.text_area(key="new_participants").set_value("李伟, duty_manager\n张敏, commander")
    app.button[0].click().run()
    assert not app.exception
    assert app.success[0].value == "演练“台风桌面演练”已创建（drill-0001）。"
    assert {"推进 15分钟", "推进到下一条情景注入", "执行决策", "保存笔记"} <= labels(app)
    assert app.subheader[0].value.startswith("台风桌面演练：")
    assert "随机种子" in app.caption[0].value
    app.button(key="advance").click().run()
    assert app.success[0].value.startswith("演练时钟已推进到")
    assert lang_in_address(app) == "zh-CN"
    app.selectbox(key="language_pick").set_value("en").run()
    assert lang_in_address(app) == "en"
    assert app.title[0].value == "Drill console"
    assert {"Advance 15m", "To next inject", "Take decision"} <= labels(app)


def test_a_shared_link_opens_in_its_language(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "zh-CN"
    at.run()
    assert not at.exception
    assert at.title[0].value == "演练控制台"
    assert at.selectbox(key="language_pick").value == "zh-CN"
    at.switch_page("pages/debrief.py").run()
    assert at.title[0].value == "复盘"


def test_without_the_parameter_the_environment_chooses(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    monkeypatch.setenv("DRILLSIM_LANG", "zh-CN")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert at.title[0].value == "演练控制台"
    assert lang_in_address(at) is None  # nothing chosen in the tab: the address stays clean


@pytest.mark.parametrize(
    "page",
    [
        "pages/drill.py",
        "pages/debrief.py",
        "pages/evaluate.py",
        "pages/programme.py",
        "pages/compare.py",
        "pages/plans.py",
        "pages/scenarios.py",
    ],
)
def test_every_page_renders_in_chinese(app, page):
    app.selectbox(key="language_pick").set_value("zh-CN").run()
    app.switch_page(page).run()
    assert not app.exception
    title = app.title[0].value
    assert title and not title.isascii(), title
    assert current_language() == "en"  # the test's own thread is left in English
