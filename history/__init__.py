"""A centre's own history: read an ACD or ticket-system export, fit a scenario, back-test it.

Why a layer of its own between ``sim`` and ``drills``: fitting reads files and uses
scipy.stats, and the back-test runs the simulation, so it needs ``sim``; nothing in drills
or reports needs the fitting itself, only the results it hands over. May import plans,
scenarios and sim (and scipy); reports, drillsim and the console import it, never the
reverse.
``history.records`` is the contract between the reader and the fitting: plain columns, one
array a field, so a million rows cost a few tens of megabytes and fit in one pass.
"""
