"""Every page callback checks the role when it runs (issue 18, section 4).

The pages hide what a role may not do, but a callback can still be reached (a stale
page after the role changed, a crafted websocket message); before, the Evaluate and
Programme callbacks wrote whatever they were sent.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script(role: str) -> None:
    import streamlit as st

    from dashboard import state
    from dashboard.evaluate_actions import act

    st.session_state["role"] = role
    calls: list[str] = []  # each write gets the tab's role, to pass to the core
    done = act(lambda role: calls.append(f"1:{role}"), ok="Rating saved.")
    items = act(lambda role: calls.append(f"2:{role}"), ok="Improvement item saved.", need="items")
    st.write(f"done={done} items={items} calls={calls}")
    flash = state.pop_flash()
    st.write(f"flash={flash}")


def _run(role: str) -> str:
    at = AppTest.from_function(_script, args=(role,), default_timeout=60).run()
    assert not at.exception
    return " ".join(m.value for m in at.markdown)


def test_an_observer_or_reviewer_cannot_write_an_evaluation_by_a_callback():
    for role in ("observer", "reviewer"):
        shown = _run(role)
        assert "done=False items=False calls=[]" in shown, shown
        assert "may not change the evaluation" in shown


def test_an_evaluator_writes_through_the_same_callback():
    shown = _run("evaluator")
    assert "done=True items=True calls=['1:evaluator', '2:evaluator']" in shown, shown
