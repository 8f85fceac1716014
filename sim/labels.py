"""Names of the simulation's vocabulary (steps, levels) as a person reads them.

Why here: the drill board, the debrief and the analysis name the same six steps
and three levels; one table, marked for the catalogs, keeps them the same words.
"""

from __future__ import annotations

from i18n import N_, _

STEP_LABELS: dict[str, str] = {
    "discover_report": N_("discovery and report"),
    "assess_grade": N_("assessment and grading"),
    "activate": N_("activation"),
    "handle_coordinate": N_("handling and coordination"),
    "track_feedback": N_("tracking and feedback"),
    "review_improve": N_("summary and improvement"),
}
"""The six response steps (SOURCE.md 7.2), lower case, as they read inside a sentence."""

LEVEL_LABELS: dict[int, str] = {1: N_("level 1"), 2: N_("level 2"), 3: N_("level 3")}
"""Event levels (7.2): 1 the gravest."""


def step_label(step: str) -> str:
    """A response step's name in the language in use (an unknown id stays as it is)."""
    return _(STEP_LABELS[step]) if step in STEP_LABELS else step


def level_label(level: int | None) -> str:
    """'level 2' / '二级'; '?' when no level is set yet."""
    if level is None:
        return "?"
    return _(LEVEL_LABELS[level]) if level in LEVEL_LABELS else str(level)
