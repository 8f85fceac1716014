"""The engine: one replication of the centre under a scenario (SimPy).

The model itself (``simulation``), customers drawn from named random streams
(``demand``, ``rng``, ``sampling``), the scenario's events (``disruptions``), the
plan's dependencies (``topology``), what a run records (``records``) and the KPIs read
from it (``metrics``, ``state``). Imports no other part of ``sim`` except
``sim.response`` from ``simulation``, which wires the response in.
"""
