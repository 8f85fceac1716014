"""The drill console's tested core: a drill database and what a drill room does with it.

Why apart from the pages: the pages are thin Streamlit scripts; everything that
stores, replays, checks or refuses lives here, importable and tested without
Streamlit. :mod:`~dashboard.drills.store` keeps drills and their logs in SQLite;
:mod:`~dashboard.drills.session` advances, decides, notes and builds the board;
:mod:`~dashboard.drills.replay` rebuilds a drill's simulated centre from its log.
"""
