"""What ``drillsim staff --by-interval`` prints and writes: the table, the CSV, the chart's data.

Apart from the command so each stays small: the command reads options and runs the
check; this module turns an answer into text a planner reads (one block per channel,
an interval a line) and the rows a spreadsheet reads (ids and plain numbers, not
translated).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

from i18n import _, ngettext
from i18n.formats import format_percent, format_time
from plans import Plan
from plans.types import format_duration, human_minutes
from reports.requirement_figure import ChannelSeries
from scenarios import Scenario
from sim.analysis.interval_check import CheckedRow
from sim.analysis.interval_events import IntervalAnswer
from sim.analysis.interval_roster import interval_clock, roster_matrix

CSV_COLUMNS = (
    "interval_start",
    "interval_minute",
    "channel",
    "offered",
    "load_erlangs",
    "erlang_a_agents",
    "staffed_agents",
    "required_agents",
    "probability_met",
    "ci95_low",
    "met",
    "raised",
    "roster_agents",
    "normal_erlang_a_agents",
    "normal_required_agents",
    "event_gap_agents",
)
"""Machine-read column headers (ids, not translated); the event columns are empty when
the scenario has no events."""


def _roster(plan: Plan, scenario: Scenario, answer: IntervalAnswer) -> dict[tuple[float, str], int]:
    table = answer.checked.table
    channels, starts = list(table.channels), list(table.starts)
    counts = roster_matrix(plan, scenario, channels, starts, table.interval_minutes)
    return {(s, c): int(counts[i, j]) for i, s in enumerate(starts) for j, c in enumerate(channels)}


def _cell(x: float | int | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return repr(float(x)) if isinstance(x, float) else str(x)


def requirements_csv(plan: Plan, scenario: Scenario, answer: IntervalAnswer) -> str:
    """requirements.csv: one row per interval and channel (:data:`CSV_COLUMNS`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    roster = _roster(plan, scenario, answer)
    table = answer.checked.table
    for row in answer.checked.rows:
        base = table.row(row.interval_start, row.channel)
        normal = answer.normal_row(row.interval_start, row.channel)
        when = interval_clock(scenario, row.interval_start).isoformat(timespec="minutes")
        writer.writerow(
            [
                when,
                _cell(row.interval_start),
                row.channel,
                _cell(base.offered),
                _cell(base.load),
                row.erlang_a_agents,
                row.staffed_agents,
                row.required_agents,
                _cell(row.probability_met),
                _cell(row.ci95_low),
                "" if row.met is None else int(row.met),
                row.raised,
                roster[(row.interval_start, row.channel)],
                "" if normal is None else normal.normal_erlang_a_agents,
                "" if normal is None else normal.normal_required_agents,
                _cell(answer.gap(row.interval_start, row.channel)),
            ]
        )
    return out.getvalue()


def series(
    plan: Plan, scenario: Scenario, answer: IntervalAnswer
) -> tuple[list[dt.datetime], dt.datetime, list[ChannelSeries]]:
    """(interval start times, end of the run, one series per channel) for the chart."""
    table = answer.checked.table
    roster = _roster(plan, scenario, answer)
    starts = list(table.starts)
    judged = set(table.judged())
    lines = []
    for channel in table.channels:
        rows = [r for r in answer.checked.rows if r.channel == channel]
        normal = None
        if answer.normal is not None:
            found = [answer.normal_row(s, channel) for s in starts]
            normal = [0 if n is None else n.normal_required_agents for n in found]
        lines.append(
            ChannelSeries(
                channel,
                [roster[(s, channel)] for s in starts],
                [r.staffed_agents for r in rows],
                [r.required_agents for r in rows],
                normal,
                channel in judged,
            )
        )
    times = [interval_clock(scenario, s) for s in starts]
    return times, interval_clock(scenario, float(scenario.horizon)), lines


def _line(row: CheckedRow, roster: int, gap: int | None, normal: int | None, when: str) -> str:
    if math.isnan(row.probability_met):
        judged = f"{'-':>8} {'-':>8} {'':>4}"
    else:
        verdict = _("ok") if row.met else _("MISS")
        judged = (
            f"{format_percent(row.probability_met, 0):>8} "
            f"{format_percent(row.ci95_low, 0):>8} {verdict:>4}"
        )
    events = "" if gap is None else f" {normal:>10} {gap:>+5}"
    return (
        f"  {when:<10} {row.erlang_a_agents:>7} {row.staffed_agents:>7} "
        f"{row.required_agents:>8} {judged} {roster:>6}{events}"
    )


def render(plan: Plan, scenario: Scenario, answer: IntervalAnswer) -> str:
    """The whole answer as text: settings, assumptions, one block per channel, the verdict."""
    checked, table = answer.checked, answer.checked.table
    rule = (
        _(
            "each interval judged on P(goal met): its one-sided 95% Wilson lower bound must "
            "reach {confidence:g}"
        ).format(confidence=checked.confidence)
        if checked.rule == "probability"
        else _(
            "each interval judged on its mean service level: its one-sided 95% lower bound "
            "must reach the goal"
        )
    )
    lines = [
        _(
            "Plan '{plan}' x scenario '{scenario}': requirements by {minutes}-interval; {rule}; "
            "{n} replications a round, seed {seed}"
        ).format(
            plan=plan.meta.id,
            scenario=scenario.meta.id,
            minutes=human_minutes(table.interval_minutes),
            rule=rule,
            n=checked.replications,
            seed=checked.seed,
        ),
        _("Assumptions:"),
        *(f"  - {a}" for a in table.assumptions),
    ]
    roster = _roster(plan, scenario, answer)
    events = answer.normal is not None
    start, erlang, staffed, required = _("start"), _("Erlang A"), _("staffed"), _("required")
    met = _("P(met)") if checked.rule == "probability" else _("mean SL")
    bound, roster_head = _("bound"), _("roster")
    header = (
        f"  {start:<10} {erlang:>7} {staffed:>7} {required:>8} "
        f"{met:>8} {bound:>8} {'':>4} {roster_head:>6}"
    )
    if events:
        normal_head, gap_head = _("normal day"), _("gap")
        header += f" {normal_head:>10} {gap_head:>5}"
    for channel in table.channels:
        goal = table.rows[table.channels.index(channel)].goal
        title = (
            _("{channel}: goal {share} answered within {within}").format(
                channel=channel,
                share=format_percent(goal.share, 0),
                within=format_duration(goal.answer_within),
            )
            if goal is not None
            else _("{channel}: a ticket channel, rostered to carry its load, not judged").format(
                channel=channel
            )
        )
        lines += ["", title, header]
        for row in (r for r in checked.rows if r.channel == channel):
            normal = answer.normal_row(row.interval_start, channel)
            when = format_time(interval_clock(scenario, row.interval_start))
            lines.append(
                _line(
                    row,
                    roster[(row.interval_start, channel)],
                    answer.gap(row.interval_start, channel),
                    None if normal is None else normal.normal_required_agents,
                    when,
                )
            )
    rounds = ngettext("{n} round", "{n} rounds", checked.rounds).format(n=checked.rounds)
    raised = ngettext("{n} interval raised", "{n} intervals raised", len(checked.raised)).format(
        n=len(checked.raised)
    )
    lines.append("")
    lines.append(
        _(
            "The check took {rounds}, {runs} simulation runs in all (normal day included); "
            "{raised}."
        ).format(rounds=rounds, runs=answer.runs, raised=raised)
    )
    missing = len(checked.unresolved)
    if missing:
        lines.append(
            ngettext(
                "{n} interval still misses its goal after {rounds}: the answer there is not "
                "a requirement that holds (more rounds, or no agents can).",
                "{n} intervals still miss their goal after {rounds}: the answer there is not "
                "a requirement that holds (more rounds, or no agents can).",
                missing,
            ).format(n=missing, rounds=rounds)
        )
    else:
        lines.append(_("Every judged interval meets its goal at the required agents."))
    return "\n".join(lines)
