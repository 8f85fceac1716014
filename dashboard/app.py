"""The drill console's entry script: page set-up and navigation only (each page signs in).

Run with ``drillsim console``. Each page is a thin script over the tested core in
``drills``, ``reports`` and the layers below.
"""

from __future__ import annotations

import streamlit as st

from dashboard import state
from dashboard.gate import require_token
from i18n import _


def main() -> None:
    """Configure the page and hand over to the chosen page, in the tab's language."""
    state.begin_run()  # first in every page run: the navigation's page names are read in it
    # Why: the console is for people running a drill; Streamlit's developer menu
    # (rerun, clear cache, deploy) is noise to them.
    st.set_option("client.toolbarMode", "minimal")
    st.set_page_config(
        page_title=_("drillsim console"), page_icon=":material/emergency:", layout="wide"
    )
    require_token()  # before any page: a console without codes opens only with its token
    pages = [
        st.Page("pages/drill.py", title=_("Drill"), icon=":material/timer:", default=True),
        st.Page("pages/debrief.py", title=_("Debrief"), icon=":material/summarize:"),
        st.Page("pages/evaluate.py", title=_("Evaluate and report"), icon=":material/rate_review:"),
        st.Page(
            "pages/programme.py", title=_("Programme and items"), icon=":material/event_repeat:"
        ),
        st.Page("pages/compare.py", title=_("Compare"), icon=":material/compare_arrows:"),
        st.Page("pages/plans.py", title=_("Plans"), icon=":material/account_tree:"),
        st.Page("pages/scenarios.py", title=_("Scenarios"), icon=":material/storm:"),
    ]
    st.navigation(pages).run()


main()
