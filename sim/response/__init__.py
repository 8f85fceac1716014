"""The plan played inside a run: alarms, reaching people, grading, actions, decisions.

``controller`` runs the six steps; ``reach`` calls roles through the role graph;
``grading`` levels an incident by the plan's criteria; ``incidents`` and ``decisions``
are the records and the vocabulary a room decides in; ``metrics`` reads the response
KPIs. It sees the engine only through the small Protocol in ``centre``.
"""
