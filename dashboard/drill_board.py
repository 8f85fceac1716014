"""What the Drill page shows of a drill: the status board in colour, the injects
delivered, the log with who decided beside who entered it.

Why the colours here and not in ``drills.board``: the rows are plain data for every
reader (tests, reports); how a state stands out on a screen is the console's job.
Why markdown tables with badges and not dataframes: a state must be read at a glance
in colour (down and late in red, activating in orange, restored in green), and a
markdown table wraps its cells, so every column stays readable on a 1280 px screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from drills.board import channel_rows, incident_rows, log_rows, reached_rows, system_rows
from drills.records import DrillRecord
from i18n import N_, _, format_datetime, format_percent, format_time, local_text
from plans.model import Plan
from plans.names import name_of
from plans.safe_text import markdown_literal
from plans.types import human_minutes
from scenarios.loader import load_scenario_text

RED, ORANGE, GREEN = "red", "orange", "green"  # not for people: Streamlit colour names
MARKDOWN_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]{}<>()#+-.!|:~$"})
ON_BACKUP = N_("down, on its backup")
RESTORED = N_("restored")


def scenario_start(record: DrillRecord, board: dict[str, Any]) -> dt.datetime:
    """The scenario's T+0 as a wall time (in the plan's zone)."""
    now = dt.datetime.fromisoformat(str(board["clock"]))
    return now - dt.timedelta(minutes=record.clock)


def at_time(start: dt.datetime, minutes: float, timezone: str) -> str:
    """'T+1h05m, Mon 09:05': a simulated time and its wall time in the plan's zone."""
    wall = format_time(start + dt.timedelta(minutes=minutes), tz=timezone)
    return _("T+{elapsed}, {wall}").format(elapsed=human_minutes(minutes), wall=wall)


def clock_text(board: dict[str, Any]) -> str:
    """The board's clock as the language in use writes it, with the plan's zone."""
    try:
        moment = dt.datetime.fromisoformat(str(board["clock"]))
    except ValueError:
        return str(board["clock"])
    zone = str(board.get("timezone") or "")
    return _("{clock} ({timezone})").format(
        clock=format_datetime(moment, tz=zone or None), timezone=zone
    )


def _cell(value: Any) -> str:
    """A value as markdown text that shows as it is (no markup, no broken table)."""
    return str(value).replace("\n", " ").translate(MARKDOWN_SPECIAL)


def table(
    rows: Sequence[dict[str, Any]], column: str = "", colours: Mapping[str, str] | None = None
) -> str:
    """Rows as a markdown table; cells of ``column`` whose value has a colour as a badge."""
    if not rows:
        return "_" + _("none yet") + "_"
    heads = list(rows[0])
    lines = [
        "| " + " | ".join(_cell(h) for h in heads) + " |",
        "|" + "---|" * len(heads),
    ]
    for row in rows:
        cells = []
        for h in heads:
            text = _cell(row.get(h, ""))
            colour = (colours or {}).get(str(row.get(h, ""))) if h == column else None
            cells.append(f":{colour}-badge[{text}]" if colour and text else text)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _systems(record: DrillRecord, board: dict[str, Any]) -> list[dict[str, Any]]:
    """The board's systems rows, plus failed systems now on a backup or restored."""
    rows = system_rows(board)
    what, state, ident = _("what"), _("state"), _("id")
    listed = {r[ident] for r in rows}
    scenario = load_scenario_text(record.scenario_text, record.scenario_name)
    failed = {
        str(getattr(e, "target", ""))
        for e in scenario.events
        if getattr(e, "target", None) and float(e.start) <= record.clock
    }
    for s in board["systems"]:
        if s["id"] in listed or not s["working"] or s["id"] not in failed:
            continue
        word = ON_BACKUP if s.get("down") else RESTORED
        rows.insert(0, {what: board["names"].get(s["id"], s["id"]), state: _(word), ident: s["id"]})
    return rows


def _answer_within(minutes: float) -> str:
    """The service level's answer time: '30s' under a minute, else '1h05m' / '5m'."""
    if 0 < minutes < 1:
        return _("{seconds}s").format(seconds=round(minutes * 60))
    return human_minutes(minutes)


def status_board(record: DrillRecord, board: dict[str, Any], plan: Plan) -> None:
    """Channels, systems and backups, queues and KPIs so far, who has been reached."""
    k = board.get("kpis", {})
    cols = st.columns([1.5, 1, 1, 1.2, 1])  # the service level's label names its window
    sl = k.get("service_level")
    within = _answer_within(float(plan.targets.service_level.answer_within))
    cols[0].metric(
        _("Service level since T+0"),
        "-" if sl is None else format_percent(sl, 0),
        help=_(
            "Share of the contacts answered within {within}, counted from T+0 "
            "(the scenario's start) to the clock."
        ).format(within=within),
    )
    cols[1].metric(_("Waiting now"), sum(c["waiting"] for c in board["channels"]))
    cols[2].metric(_("Ticket backlog"), int(k.get("backlog") or 0))
    cols[3].metric(_("Tickets past a limit"), int(k.get("tickets_late") or 0))
    cols[4].metric(_("Agents at work"), board["agents_at_work"])
    st.caption(
        _("Service level: answered within {within}, since T+0 ({start}).").format(
            within=within,
            start=format_datetime(scenario_start(record, board), tz=board.get("timezone")),
        )
    )
    down = _("DOWN")
    channel_colours = {_("up"): GREEN, _("short of agents"): ORANGE, down: RED}
    system_colours = {
        down: RED,
        _("site DOWN"): RED,
        _("backup activating"): ORANGE,
        _(ON_BACKUP): ORANGE,
        _("backup active"): GREEN,
        _(RESTORED): GREEN,
    }
    ident = _("id")
    channels = [{k: v for k, v in row.items() if k != ident} for row in channel_rows(board)]
    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Channels") + "**")
        st.markdown(table(channels, _("status"), channel_colours))
        st.markdown("**" + _("People reached") + "**")
        st.markdown(table(reached_rows(board), _("reached"), {_("not yet"): ORANGE}))
    with right:
        st.markdown("**" + _("Systems and backups") + "**")
        st.markdown(table(_systems(record, board), _("state"), system_colours))
    # Why the whole width: seven columns do not fit beside another table at 1280 px.
    st.markdown("**" + _("Response steps") + "**")
    st.markdown(table(incident_rows(board), _("late"), {_("LATE"): RED}))


def injects_delivered(record: DrillRecord, board: dict[str, Any], plan: Plan) -> None:
    """The injects the players have seen, newest first, with their time in the plan's zone."""
    start = scenario_start(record, board)
    zone = str(board.get("timezone") or "")
    for inject in reversed(board["injects"]):
        when = at_time(start, float(inject["at"]), zone)
        head = f"**{when} - {markdown_literal(local_text(inject['title']))}**"
        if inject.get("adhoc") or inject.get("action") == "adhoc":
            head += " " + _("(ad-hoc)")
        text = f"{head}  \n{markdown_literal(local_text(inject['message']))}"
        if inject["to"]:
            who = _(", ").join(name_of(plan, r) for r in inject["to"])
            text += "  \n_" + _("To: {who}").format(who=who) + "_"
        st.info(text)


ENTRY_TEXTS = {
    "deliver": N_("inject delivered now: {title}"),
    "skip": N_("inject skipped: {title}"),
}
"""A scenario inject handled by hand, named by its title (the log stores its index)."""


def _inject_title(record: DrillRecord, payload: dict[str, Any]) -> str:
    if payload.get("title"):
        return local_text(payload["title"])
    index = payload.get("index")
    injects = load_scenario_text(record.scenario_text, record.scenario_name).injects
    if isinstance(index, int) and 0 <= index < len(injects):
        return local_text(injects[index].title)
    return ""


def drill_log(record: DrillRecord, board: dict[str, Any]) -> list[dict[str, Any]]:
    """The log's rows, newest first: 'entered by' (who typed it) beside 'decided by'."""
    rows = log_rows(board)
    entries = list(reversed(board.get("log", [])))
    who, entry = _("who"), _("entry")
    entered, decided = _("entered by"), _("decided by")
    out = []
    for row, e in zip(rows, entries, strict=False):
        payload = e.get("payload") or {}
        text = row.get(entry, "")
        action = str(payload.get("action") or "") if e["kind"] == "inject" else ""
        if action in ENTRY_TEXTS:
            text = _(ENTRY_TEXTS[action]).format(title=_inject_title(record, payload))
        by = str(e.get("by") or payload.get("by") or "") if e["kind"] == "decision" else ""
        new: dict[str, Any] = {}
        for key, value in row.items():
            if key == who and decided not in row:
                new[entered] = value
                new[decided] = by
            elif key == entry:
                new[key] = text
            else:
                new[key] = value
        out.append(new)
    return out
