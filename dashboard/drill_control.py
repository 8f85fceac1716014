"""The facilitator's drill-day controls on the Drill page: the live clock's start, pause
and resume, what is coming (deliver an inject now, skip it, or send one ad hoc), the
end of the drill, and the archive.

Thin: every button calls back into :mod:`dashboard.drill_actions`, which calls the core.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import drill_actions as actions
from dashboard import services
from dashboard.drill_board import at_time, scenario_start
from dashboard.widgets import shown
from drills import session
from drills.records import DrillRecord
from i18n import N_, _, local_text
from plans.model import Plan
from plans.names import name_of
from plans.safe_text import markdown_literal
from plans.types import human_minutes

INJECT_STATUS = {
    "coming": (N_("coming"), "blue"),
    "due": (N_("shown at its time"), "orange"),
    "delivered": (N_("delivered"), "green"),
    "skipped": (N_("skipped"), "gray"),
}
"""An inject's status as the facilitator reads it, and its colour (Streamlit's names)."""


def live_controls(record: DrillRecord) -> str:
    """Start, Pause or Resume a live drill's clock; returns its state."""
    now = record.live_state
    if now == "not_started":
        st.info(_("Live drill not started: the clock starts when you press Start drill."))
        st.button(
            _("Start drill"),
            key="live_start",
            type="primary",
            on_click=actions.clock,
            args=(record.id, "start", record.version),
        )
    elif now == "paused":
        st.warning(
            _("Paused at {clock}: the clock stands still until you resume.").format(
                clock=human_minutes(record.clock)
            )
        )
        st.button(
            _("Resume"),
            key="live_resume",
            type="primary",
            on_click=actions.clock,
            args=(record.id, "resume", record.version),
        )
    else:
        st.button(
            _("Pause"),
            key="live_pause",
            on_click=actions.clock,
            args=(record.id, "pause", record.version),
        )
    return now


def _status(status: str) -> str:
    word, colour = INJECT_STATUS.get(status, (status, "gray"))
    return f":{colour}[**{_(word)}**]"


def coming_panel(record: DrillRecord, board: dict[str, Any], plan: Plan) -> None:
    """The scenario's master event list: each inject's time, addressees, expected action
    and status, with Deliver now and Skip while it has not been shown."""
    start, zone = scenario_start(record, board), str(board.get("timezone") or "")
    upcoming = session.upcoming_injects(record)
    with st.expander(_("What is coming"), expanded=record.status == "open"):
        if not upcoming:
            st.caption(_("The scenario has no injects."))
        widths = [1.3, 1.8, 1.7, 2.8, 0.9, 1.5]  # the buttons stacked in the last column
        head = st.columns(widths)
        for col, word in zip(
            head,
            (_("when"), _("inject"), _("to"), _("expected action"), _("status"), ""),
            strict=True,
        ):
            col.markdown(f"**{word}**" if word else "")
        for inject in upcoming:
            index, title = int(inject["index"]), local_text(inject["title"])
            cols = st.columns(widths, vertical_alignment="center")
            cols[0].markdown(at_time(start, float(inject["at"]), zone))
            cols[1].markdown(markdown_literal(title))
            cols[2].markdown(_(", ").join(name_of(plan, r) for r in inject["to"]) or "-")
            cols[3].markdown(
                markdown_literal(local_text(inject.get("expected_action") or "")) or "-"
            )
            cols[4].markdown(_status(str(inject["status"])))
            if inject["status"] != "coming" or record.status != "open":
                continue
            cols[5].button(
                _("Deliver now"),
                key=f"deliver_{index}",
                width="stretch",
                on_click=actions.deliver,
                args=(record.id, index, title, record.version),
            )
            cols[5].button(
                _("Skip"),
                key=f"skip_{index}",
                width="stretch",
                on_click=actions.skip,
                args=(record.id, index, title, record.version),
            )
    if record.status == "open":
        adhoc_form(record, plan)


def adhoc_form(record: DrillRecord, plan: Plan) -> None:
    """An inject typed now, sent to the roles chosen at the current clock."""
    roles = [r.id for r in plan.roles]
    with st.expander(_("Ad-hoc inject")), st.form("adhoc_inject"):
        st.text_input(_("Title"), key="adhoc_title")
        st.text_area(_("Message"), key="adhoc_message", height=80)
        st.multiselect(
            _("Addressees"),
            roles,
            format_func=shown(roles, lambda r: name_of(plan, r)),
            key="adhoc_to",
        )
        st.form_submit_button(
            _("Send inject"), on_click=actions.adhoc, args=(record.id, record.version)
        )


def end_panel(record: DrillRecord) -> None:
    """End the drill: an optional closing summary, then a confirmation.

    Why a form: ticking the confirmation must not rerun the page (which would fold the
    section away); the summary, the tick and the button go together on End drill.
    """
    with st.expander(_("End drill")), st.form("end_drill_form"):
        st.text_area(
            _("Closing summary (optional)"),
            key="end_summary",
            placeholder=_("What went well, what to improve: a first word for the debrief"),
        )
        st.checkbox(_("I confirm: end the drill now. It becomes read-only."), key="end_confirm")
        st.form_submit_button(
            _("End drill"),
            key="end_drill",
            type="primary",
            on_click=actions.end,
            args=(record.id, record.version),
        )


def ended_notice(record: DrillRecord) -> None:
    """The drill has ended: say so, when, and its closing summary."""
    ends = [e for e in record.entries if e.kind == "end"]
    when = human_minutes(ends[-1].sim_time if ends else record.clock)
    st.warning(
        _(
            "This drill has ended (at T+{clock}). It is read-only: "
            "no more advances, decisions or injects; notes stay open."
        ).format(clock=when)
    )
    summary = str(ends[-1].payload.get("text") or "") if ends else ""
    if summary:
        st.markdown("**" + _("Closing summary") + "**")
        st.text(summary)


def _archived() -> list[Any]:
    return [d for d in services.store().list_drills(include_archived=True) if d.archived]


def _restore_list(archived: list[Any]) -> None:
    for d in archived:
        cols = st.columns([3, 1], vertical_alignment="center")
        cols[0].markdown(
            _("{name} ({id}), archived").format(name=markdown_literal(d.name), id=d.id)
        )
        cols[1].button(_("Restore"), key=f"restore_{d.id}", on_click=actions.restore, args=(d.id,))


def archive_panel(record: DrillRecord) -> None:
    """Archive the drill shown; restore archived ones (hidden from every picker)."""
    archived = _archived()
    with st.expander(_("Archive")):
        st.caption(_("An archived drill is hidden from the lists; it stays in the database."))
        st.button(
            _("Archive this drill ({id})").format(id=record.id),
            key="archive_drill",
            on_click=actions.archive,
            args=(record.id,),
        )
        _restore_list(archived)


def restore_only() -> None:
    """When every drill is archived: the archive, to bring one back."""
    archived = _archived()
    if not archived:
        return
    with st.expander(_("Archive")):
        _restore_list(archived)
