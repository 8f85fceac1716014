"""The engine: one replication of the centre under a scenario (SimPy).

The model itself (``simulation``, built from ``flow``: contacts through the queues,
``staffing``: who can work, and ``recording``: what the run writes down), customers
drawn from named random streams (``demand``, ``rng``, ``sampling``), the scenario's
events (``disruptions``), the plan's dependencies (``topology``), what a run records
(``records``) and the KPIs read from it (``metrics``, ``state``). ``disruptions`` and
``state`` see the model only through the Protocol in ``centre``. Imports no other
part of ``sim`` except ``sim.response``: ``simulation`` wires the response in, and
``centre``, ``staffing`` and ``recording`` name its controller's type.
"""
