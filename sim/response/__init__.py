"""The plan played inside a run: alarms, reaching people, grading, actions, decisions.

``controller`` holds the response and the room's decisions, built on ``steps`` (the
six steps, from detection to close), ``actions`` (what each action does to the
centre) and ``reach`` (calling roles through the role graph); ``grading`` levels an
incident by the plan's criteria; ``incidents`` and ``decisions`` are the records and
the vocabulary a room decides in; ``metrics`` reads the response KPIs. It sees the
engine only through the small Protocol in ``centre``, which imports nothing of ours
but the engine's ``rng`` and ``topology``.
"""
