"""The simulated centre and what planners ask of it.

``engine/`` is the model (demand, disruptions, topology, records, metrics);
``response/`` plays the plan's six steps inside a run; ``analysis/`` runs many
replications (Monte Carlo, backends, compare, staffing, targets, journal);
``queueing`` holds the closed-form Erlang formulas. May import plans and scenarios;
imported by drills, reports, drillsim and dashboard.
"""
