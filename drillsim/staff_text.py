"""The text of ``drillsim staff``: the Erlang A start, the levels tried, the answer.

Why a module: the staff command checks its inputs and runs the search; this turns
the result into the lines a person reads, in the language in use.
"""

from __future__ import annotations

from drillsim.text import ljust, rjust
from i18n import N_, _, ngettext
from plans.types import human_minutes
from sim.analysis.staffing import StaffingResult
from sim.analysis.staffing_start import HourEstimate

COLUMN_LABELS = (
    N_("agents"),
    N_("runs"),
    N_("yes"),
    N_("no"),
)
"""Column headers and words translated inside the f-strings below (marked here for the catalog)."""


def _pct(x: float) -> str:
    return f"{x:.0%}" if x in (0.0, 1.0) else f"{x:.1%}"


def render_start(hours: list[HourEstimate], start: int) -> str:
    """The Erlang A start and the hour that sets it."""
    peak = max(
        (h for h in hours if h.roster is not None), key=lambda h: h.roster or 0, default=None
    )
    if peak is None:
        return _("Erlang A start: {n} agent(s)").format(n=start)
    at = human_minutes(peak.start)
    if peak.roster == peak.agents:
        return _(
            "Erlang A start: {n} agent(s), set by the hour from {at} "
            "into the run at {rate:,.0f} live contacts an hour"
        ).format(n=start, at=at, rate=peak.rate)
    return _(
        "Erlang A start: {n} agent(s) ({on_duty} on duty then), set by the hour from {at} "
        "into the run at {rate:,.0f} live contacts an hour"
    ).format(n=start, on_duty=peak.agents, at=at, rate=peak.rate)


def render_levels(result: StaffingResult) -> str:
    """One row a level tried: the runs its verdict rests on, P(met) and its one-sided bounds
    per target over those runs, and the verdict."""
    width = max(28, *(len(t.label) + 2 for t in result.targets))
    head = (
        f"  {rjust(_('agents'), 6)}  {rjust(_('runs'), 5)}  "
        + "".join(f"{t.label:<{width}}" for t in result.targets)
        + _("supports the claim")
    )
    sub = f"  {'':>6}  {'':>5}  " + "".join(
        ljust(_("P(met) [low, high]"), width) for _t in result.targets
    )
    rows = [head, sub]
    for level in result.levels:
        cells = "".join(
            f"{f'{_pct(e.probability)} [{_pct(e.lower)}, {_pct(e.upper)}]':<{width}}"
            for e in level.evidence
        )
        verdict = _("yes") if level.supported else _("no")
        rows.append(f"  {level.agents:>6}  {level.runs:>5}  {cells}{verdict}")
    return "\n".join(rows)


def render_answer(result: StaffingResult) -> str:
    """The answer, or that no level up to the maximum supports the claim."""
    n = len(result.levels)
    if result.runs == n * result.replications:
        runs = ngettext(
            "{runs} simulation runs ({n} level x {replications} replications)",
            "{runs} simulation runs ({n} levels x {replications} replications)",
            n,
        ).format(runs=result.runs, n=n, replications=result.replications)
    else:
        runs = ngettext(
            "{runs} simulation runs over {n} level (at most {replications} a level: "
            "a level stops once its verdict is decided)",
            "{runs} simulation runs over {n} levels (at most {replications} a level: "
            "a level stops once its verdict is decided)",
            n,
        ).format(runs=result.runs, n=n, replications=result.replications)
    if not result.found and result.budget_spent:
        tried = result.levels[-1].agents
        return ngettext(
            "No level tried supports the claim that every target is met with probability >= "
            "{confidence:g}, up to {tried} agents; the budget of {n} level ran out "
            "before {max_agents} was tried; {runs}.",
            "No level tried supports the claim that every target is met with probability >= "
            "{confidence:g}, up to {tried} agents; the budget of {n} levels ran out "
            "before {max_agents} was tried; {runs}.",
            n,
        ).format(
            confidence=result.confidence,
            tried=tried,
            n=n,
            max_agents=result.max_agents,
            runs=runs,
        )
    if not result.found:
        return _(
            "No level up to {max_agents} agents supports the claim that every target is met with "
            "probability >= {confidence:g}; {runs}. "
            "Raise --max-agents, or check the targets can be met by staffing at all."
        ).format(max_agents=result.max_agents, confidence=result.confidence, runs=runs)
    assert result.agents is not None
    lows = ", ".join(
        f"{e.target.label}: {_pct(e.lower)}" for e in result.level(result.agents).evidence
    )
    note = (
        ""
        if result.resolved
        else " " + _("The level budget ran out before the level below was ruled out: fewer may do.")
    )
    return (
        _(
            "Answer: {agents} agents meet every target with probability >= {confidence:g} "
            "(lower bounds {lows}); {runs}."
        ).format(agents=result.agents, confidence=result.confidence, lows=lows, runs=runs)
        + note
    )
