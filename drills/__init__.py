"""Exercise records: the drill database and what a drill room does with it.

``store``/``schema`` keep drills and their logs in SQLite; ``session`` and ``replay``
advance a drill and rebuild its simulated centre; ``evaluations``, ``items``,
``evidence`` and ``programme`` carry the HSEEP loop; ``debrief`` and ``board`` are the
plain data the console shows. May import plans, scenarios and sim; no Streamlit.
"""
