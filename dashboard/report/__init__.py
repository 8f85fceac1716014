"""Debrief and figures for the console: pure functions, no Streamlit.

``figures`` draws matplotlib figures from a plan, a scenario and a run's records;
``debrief`` compares the drill room's run with the plan's and with no response, and
lists where the room departed from the plan. The console pages call both.
"""
