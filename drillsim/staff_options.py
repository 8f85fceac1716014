"""The options of ``drillsim staff --by-interval`` and ``--shifts``, apart from their work.

Why a module of its own: ``drillsim staff`` must know these options to parse any command
line, but only a run with ``--by-interval`` needs what does the work (matplotlib for the
chart, scipy's integer programming for the cover: about 0.6 s of imports). Kept here,
the plain staffing search imports neither (a test holds it).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from drillsim.inputs import bounded_int, positive_int
from drillsim.run import interval_minutes
from drillsim.service_goal import parse_goal
from i18n import N_, _
from sim.analysis.budget import MAX_REPLICATIONS
from sim.analysis.interval_check import MAX_ROUNDS, RULES


def share(text: str) -> float:
    """argparse type: a share as 0.3 or 30%."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not a share (write e.g. 0.3 or 30%)").format(text=text)
        ) from None
    return value


def add_interval_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``staff --by-interval``."""
    p.add_argument(
        "--by-interval",
        nargs="?",
        const=30.0,
        default=None,
        type=interval_minutes,
        metavar="LENGTH",
        help=_(
            "instead of one total, the agents each channel needs in each interval of LENGTH "
            "(default 30m): Erlang A for the plan's goal of the channel, then a simulated "
            "check; writes requirements.csv and requirements.png"
        ),
    )
    p.add_argument(
        "--shrinkage",
        type=share,
        default=None,
        help=_("with --by-interval: shrinkage share, e.g. 0.3 (default: the scenario's)"),
    )
    p.add_argument(
        "--occupancy-cap",
        type=share,
        default=None,
        help=_("with --by-interval: highest agent occupancy, e.g. 0.85 (default: none)"),
    )
    p.add_argument(
        "--service-goal",
        type=parse_goal,
        action="append",
        default=[],
        metavar="CHANNEL=SHARE/TIME",
        help=_("with --by-interval: a channel's goal instead of the plan's, e.g. phone=0.8/20s"),
    )
    p.add_argument(
        "--interval-rule",
        choices=RULES,
        default="probability",
        help=_(
            "with --by-interval: judge each interval on P(goal met) reaching --confidence "
            "(probability, default) or on its mean service level reaching the goal (mean)"
        ),
    )
    p.add_argument(
        "--max-rounds",
        type=positive_int,
        default=MAX_ROUNDS,
        help=_("with --by-interval: most rounds of raising (default %(default)s)"),
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=Path("."),
        help=_(
            "with --by-interval: folder for requirements.csv and requirements.png "
            "(default: current folder)"
        ),
    )


DEFAULT_INTERVAL = 30.0
"""Interval length (minutes) ``--shifts`` implies when ``--by-interval`` is not given."""
DEFAULT_CHECK = 20
CHECK_REPLICATIONS = bounded_int(
    0, MAX_REPLICATIONS, N_("must be from {minimum} to {maximum}, got {value}")
)
"""argparse type of --check-replications: 0 (no check) up to the run budget's limit."""
"""Replications of the simulated check of a cover (each of the cover and today's roster)."""


class _Shifts(argparse.Action):
    """``--shifts``: on, and ``--by-interval`` at its default length unless given."""

    def __call__(self, parser: Any, namespace: Any, values: Any, option: Any = None) -> None:
        setattr(namespace, self.dest, True)
        if getattr(namespace, "by_interval", None) is None:
            namespace.by_interval = DEFAULT_INTERVAL


def add_shift_arguments(p: Any) -> None:
    """The options of the shift cover, ``staff --shifts``."""
    p.add_argument(
        "--shifts",
        action=_Shifts,
        nargs=0,
        default=False,
        help=_(
            "the fewest agents per plan shift and skill group that cover every interval's "
            "requirement (an integer program; implies --by-interval), today's roster's gap, "
            "and the cover checked by simulation beside the roster; writes shifts.csv, "
            "shift_cover.csv and shift_cover.json"
        ),
    )
    p.add_argument(
        "--shift-cost",
        action="append",
        default=[],
        metavar="SHIFT=COST",
        help=_("with --shifts: what an agent on SHIFT costs (default 1 each: fewest agents)"),
    )
    p.add_argument(
        "--check-replications",
        type=CHECK_REPLICATIONS,
        default=DEFAULT_CHECK,
        metavar="N",
        help=_("with --shifts: replications of the simulated check (default %(default)s; 0: none)"),
    )
