"""The drill console's entry script: page set-up and navigation only (each page signs in).

Run with ``drillsim console``. Each page is a thin script over the tested core in
``drills``, ``reports`` and the layers below.
"""

from __future__ import annotations

import streamlit as st


def main() -> None:
    """Configure the page and hand over to the chosen page."""
    st.set_page_config(
        page_title="drillsim console", page_icon=":material/emergency:", layout="wide"
    )
    pages = [
        st.Page("pages/drill.py", title="Drill", icon=":material/timer:", default=True),
        st.Page("pages/debrief.py", title="Debrief", icon=":material/summarize:"),
        st.Page("pages/evaluate.py", title="Evaluate and report", icon=":material/rate_review:"),
        st.Page("pages/programme.py", title="Programme and items", icon=":material/event_repeat:"),
        st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        st.Page("pages/plans.py", title="Plans", icon=":material/account_tree:"),
        st.Page("pages/scenarios.py", title="Scenarios", icon=":material/storm:"),
    ]
    st.navigation(pages).run()


main()
