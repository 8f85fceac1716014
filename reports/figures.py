"""Figures for the console and the debrief: pure functions returning matplotlib figures.

Why :class:`matplotlib.figure.Figure` objects and never ``pyplot``: a Streamlit server
runs every session in one process, and pyplot keeps a global current figure that
concurrent sessions would share. A figure built directly belongs to its caller.

Times are minutes in the records and hours on the charts; give ``start`` (the
scenario's start) to label the x axis with clock times instead of hours.

This module gathers the figures in one place for the pages; each is drawn in its
own module: the plan (:mod:`~reports.graph_figure`), the scenario
(:mod:`~reports.timeline_figure`), runs (:mod:`~reports.gantt_figure`,
:mod:`~reports.run_figures`) and the KPIs of several runs (:mod:`~reports.kpi_bars`).
"""

from __future__ import annotations

from reports.chart_events import ChartEvent, drill_events
from reports.gantt_figure import step_gantt
from reports.graph_figure import plan_graph
from reports.kpi_bars import compare_bars
from reports.run_figures import queue_and_service, rolling_service_level
from reports.timeline_figure import scenario_timeline

__all__ = [
    "ChartEvent",
    "compare_bars",
    "drill_events",
    "plan_graph",
    "queue_and_service",
    "rolling_service_level",
    "scenario_timeline",
    "step_gantt",
]
