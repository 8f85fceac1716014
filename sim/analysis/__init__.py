"""The analyses planners run over many replications.

Monte Carlo (``montecarlo``) on a backend (``backends``), comparisons of variants
(``compare``, ``variants``), staffing and reserve searches (``staffing``,
``reserve_search``), statistics, targets and the run journal. Imports the engine and
the response; imported by drills, reports and the front ends.
"""
