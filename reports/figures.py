"""Figures for the console and the debrief: pure functions returning matplotlib figures.

Why :class:`matplotlib.figure.Figure` objects and never ``pyplot``: a Streamlit server
runs every session in one process, and pyplot keeps a global current figure that
concurrent sessions would share. A figure built directly belongs to its caller.

Times are minutes in the records and hours on the charts; give ``start`` (the
scenario's start) to label the x axis with clock times instead of hours.

This module gathers the figures in one place for the pages; each is drawn in its
own module: the plan (:mod:`~reports.graph_figure`), the scenario
(:mod:`~reports.timeline_figure`) and runs (:mod:`~reports.run_figures`).
"""

from __future__ import annotations

from reports.graph_figure import plan_graph
from reports.run_figures import compare_bars, queue_and_service, rolling_service_level, step_gantt
from reports.timeline_figure import scenario_timeline

__all__ = [
    "compare_bars",
    "plan_graph",
    "queue_and_service",
    "rolling_service_level",
    "scenario_timeline",
    "step_gantt",
]
