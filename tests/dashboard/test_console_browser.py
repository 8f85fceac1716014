"""The console in a real browser (Chromium through Playwright), as a facilitator uses it.

These tests start ``drillsim console``'s server on a free loopback port, drive a short
drill by clicks, and save screenshots of what a person sees under tests/artifacts/.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from drills.store import DrillStore

from .conftest import start_console  # noqa: TID252 - fixtures module of this folder

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TIMEOUT = 60_000


def open_console(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.get_by_text("Drill console").first.wait_for()
    return page


def settle(page):
    """Wait until Streamlit has finished its rerun (its 'running' widget is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
    page.wait_for_timeout(300)


def click(page, name):
    settle(page)
    page.get_by_role("button", name=name).first.click()


def wait_text(page, text, state="visible"):
    page.get_by_text(text).first.wait_for(state=state)
    settle(page)


def in_table(page, text):
    """Tables are drawn on a canvas; their cells exist, hidden, for screen readers."""
    wait_text(page, text, state="attached")


def create_drill(page, name="Browser drill"):
    page.get_by_label("Drill name").fill(name)
    page.get_by_label("Participants, one per line: name, role").fill(
        "Li Wei, duty_manager\nZhang Min, commander"
    )
    click(page, "Create drill")
    wait_text(page, "created (drill-0001)")


def choose(page, label, option):
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    settle(page)
    box = page.get_by_label(label)
    for attempt in range(3):  # a rerun may redraw the box between finding and scrolling it
        try:
            box.scroll_into_view_if_needed()
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            settle(page)
    settle(page)
    box.click()
    wanted = page.get_by_role("option", name=option)
    try:
        wanted.wait_for(timeout=3000)
    except PlaywrightTimeout:  # a click that only scrolled the box into view: open it again
        box.click()
    wanted.click()


def whole_page(page, path):
    """A screenshot of the whole page: the app scrolls inside its own pane, so the
    window is made as tall as the page first (the width stays as it is)."""
    settle(page)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(int(height) + 80, 8000)})
    settle(page)
    page.screenshot(path=str(path), full_page=True)


def test_short_drill_by_clicks(console, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_console(browser, console.url)
    create_drill(page)
    click(page, "To next inject")
    wait_text(page, "Clock moved to 1h05m")
    wait_text(page, "CRM")  # the first inject is on the board
    click(page, "To next inject")
    wait_text(page, "Clock moved to 1h30m")
    choose(page, "Decision", "Activate backup: crm_standby")
    page.get_by_label("Rationale").fill("repair time unknown")
    page.get_by_label("Rationale").press("Enter")
    click(page, "Take decision")
    wait_text(page, "Decision taken and saved")
    click(page, "Advance 15m")
    wait_text(page, "Clock moved to 1h45m")
    page.screenshot(path=str(ARTIFACTS / "status_board.png"), full_page=True)
    page.get_by_role("link", name="Debrief").click()
    wait_text(page, "Results against the targets")
    page.screenshot(path=str(ARTIFACTS / "debrief.png"), full_page=True)
    record = DrillStore(console.db).get("drill-0001")
    assert [e.kind for e in record.entries] == ["advance", "advance", "decision", "advance"]


def test_killed_console_loses_nothing_acknowledged(tmp_path, browser):
    db = tmp_path / "drills.sqlite"
    server = start_console(db)
    try:
        page = open_console(browser, server.url)
        create_drill(page, "Crash drill")
        click(page, "To next inject")
        wait_text(page, "Clock moved to 1h05m")
        click(page, "To next inject")
        wait_text(page, "Clock moved to 1h30m")
        choose(page, "Decision", "Activate backup: crm_standby")
        click(page, "Take decision")
        wait_text(page, "Decision taken and saved")
        page.get_by_label("Observer note").fill("Commander approved by phone")
        click(page, "Save note")
        wait_text(page, "Note saved.")
        server.stop(signal.SIGKILL)  # no clean shutdown: as if the machine crashed
    finally:
        server.stop()
    again = start_console(db, port=server.port)
    try:
        page = open_console(browser, again.url)
        wait_text(page, "Crash drill")
        in_table(page, "activate_backup crm_standby - taken")
        in_table(page, "Commander approved by phone")
        wait_text(page, "T+1h30m")
    finally:
        again.stop()
    kinds = [e.kind for e in DrillStore(db).get("drill-0001").entries]
    assert kinds == ["advance", "advance", "decision", "note"]


def test_drill_page_in_chinese(console, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{console.url}&lang=zh-CN")
    wait_text(page, "演练控制台")
    page.get_by_label("演练名称").fill("台风桌面演练")
    page.get_by_label("参演人员，每行一人：姓名, 角色").fill("李伟, duty_manager\n张敏, commander")
    click(page, "创建演练")
    wait_text(page, "演练“台风桌面演练”已创建（drill-0001）。")
    click(page, "推进 15分钟")
    wait_text(page, "演练时钟已推进到")
    assert "lang=zh-CN" in page.url
    for text in (
        "演练控制台",
        "台风桌面演练",
        # the Chinese edition of the plan is offered first in Chinese, by its name
        # (the board's tables draw on a canvas: they are checked in the screenshot)
        "客户服务中心突发事件应急预案",
        "服务渠道",
        "系统与备用系统",
        "执行决策",
        "演练日志",
    ):
        assert page.get_by_text(text).first.is_visible(), text
    page.screenshot(path=str(ARTIFACTS / "drill_page_zh.png"), full_page=True)
    record = DrillStore(console.db).get("drill-0001")
    assert record.name == "台风桌面演练" and [e.kind for e in record.entries] == ["advance"]


def test_drill_day_mid_drill_and_ended_at_1280_px(console, browser):
    """The Drill page a facilitator reads on a laptop: mid-drill, then after End."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(TIMEOUT)
    page.goto(console.url)
    page.get_by_text("Drill console").first.wait_for()
    create_drill(page, "Drill day")
    click(page, "To next inject")
    wait_text(page, "Clock moved to 1h05m")
    click(page, "To next inject")
    wait_text(page, "Clock moved to 1h30m")
    choose(page, "Decision", "Activate backup: crm_standby")
    click(page, "Take decision")
    wait_text(page, "Decision taken and saved")
    wait_text(page, "What is coming")
    wait_text(page, "Service level since T+0")
    assert page.get_by_role("button", name="Deliver now").count() >= 1
    assert page.get_by_text("Deploy", exact=True).count() == 0  # no developer menu
    whole_page(page, ARTIFACTS / "drill_day_mid.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    settle(page)
    page.get_by_test_id("stExpander").filter(has_text="Closing summary").get_by_text(
        "End drill"
    ).first.click()
    page.get_by_label("Closing summary (optional)").fill("Standby up; commander approved late.")
    page.get_by_text("I confirm: end the drill now. It becomes read-only.").click()
    page.locator('[data-testid^="stBaseButton-primary"]', has_text="End drill").click()
    wait_text(page, "This drill has ended")
    wait_text(page, "Standby up; commander approved late.")
    assert page.get_by_role("button", name="To next inject").count() == 0
    assert page.get_by_role("button", name="Take decision").count() == 0
    assert page.get_by_role("button", name="Deliver now").count() == 0
    whole_page(page, ARTIFACTS / "drill_day_ended.png")
    record = DrillStore(console.db).get("drill-0001")
    assert record.status == "ended" and record.entries[-1].payload["text"].startswith("Standby")


@pytest.fixture(autouse=True)
def _screens_dir():
    ARTIFACTS.mkdir(exist_ok=True)
