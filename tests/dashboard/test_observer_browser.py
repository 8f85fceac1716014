"""An observer in a real browser (Chromium through Playwright) tries to act as facilitator
(issue 18, s. 4).

The observer signs in, then works through every control each page shows them: the
drill picker, the note, the step seen done, the Evaluate and Programme pages. None of
them moves the clock, decides, ends, archives, rates or changes an item; what the
observer may do (a note, an observation) is saved with the role 'observer'. The hidden
facilitator callbacks, which no browser click can reach, are forced with an observer's
session in test_observer_callbacks.py.
"""

from __future__ import annotations

import sqlite3

from drills import session
from drills.store import DrillStore

from .test_console_browser import TIMEOUT, choose, click, settle, wait_text  # noqa: TID252

FACILITATOR_BUTTONS = (
    "Start drill",
    "Pause",
    "Resume",
    "To next inject",
    "Take decision",
    "End drill",
    "Archive",
    "Deliver now",
    "Skip",
    "Send inject",
    "Create drill",
)
EVALUATOR_BUTTONS = ("Save rating", "Add finding", "Save the summary", "Add improvement item")


def _buttons(page) -> list[str]:
    settle(page)
    names = page.get_by_role("button").all_inner_texts()  # the page's and the sidebar's
    return [n.strip() for n in names if n.strip()]


def _tables(db) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f"SELECT * FROM {t}").fetchall()
            for t in ("drills", "ratings", "findings", "summaries", "items", "item_history")
        }


def test_an_observer_in_the_browser_can_note_and_observe_but_not_run_the_drill(
    console, browser, new_drill
):
    store = DrillStore(console.db)
    drill = new_drill(store, name="Live drill", mode="live")
    drill = session.start_live(store, drill.id, drill.version, "Alice", role=None)
    before = _tables(console.db)

    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    page.set_default_timeout(TIMEOUT)
    page.goto(console.url)
    page.get_by_text("Drill console").first.wait_for()
    click(page, "Change role")  # an open console starts as facilitator: sign in as observer
    choose(page, "Role", "observer")
    page.get_by_label("Your name").first.fill("Olga")
    click(page, "Sign in")
    wait_text(page, "Signed in as observer.")
    page.get_by_role("button", name="Save note").wait_for()

    shown = _buttons(page)
    assert "Save note" in shown and "Record step done" in shown, shown
    offered = [b for b in shown if any(b.startswith(f) for f in FACILITATOR_BUTTONS)]
    assert offered == [], offered
    assert not any(b.startswith("Advance") for b in shown), shown

    page.get_by_label("Observer note").fill("queue building at the front desk")
    click(page, "Save note")
    wait_text(page, "Note saved.")
    click(page, "Record step done")
    wait_text(page, "Recorded: step")

    page.get_by_role("link", name="Evaluate and report").click()
    settle(page)
    page.get_by_text("Evaluate").first.wait_for()
    assert not [b for b in _buttons(page) if b in EVALUATOR_BUTTONS]
    page.get_by_role("link", name="Programme and items").click()
    settle(page)
    assert not [b for b in _buttons(page) if b == "Verify" or b.startswith("Verify ")]

    after = store.get(drill.id)
    written = [(e.kind, e.author, e.role) for e in after.entries[len(drill.entries) :]]
    assert written == [("note", "Olga", "observer"), ("observation", "Olga", "observer")]
    assert after.version == drill.version and after.status == "open"
    assert _tables(console.db) == before  # no rating, finding, summary, item; the drill as it was
