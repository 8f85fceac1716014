"""What a paused run looks like: the status board a drill facilitator reads.

Why a plain dict: the console shows it, stores it and compares two browsers' views
of it; plain data (JSON-ready) serves all three, and nothing here changes the run.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from sim.engine.kpi_set import all_kpis

if TYPE_CHECKING:
    from sim.engine.centre import RunCentre


def _time(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(x, 6)


def drill_state(sim: RunCentre) -> dict[str, Any]:
    """Queues, channels, systems and backups, KPIs so far, people reached, open steps."""
    now = sim.now
    activating = sim.response.activating() if sim.response is not None else set()
    backups = {s.standby for s in sim.plan.systems if s.standby} | {
        s.backup_site for s in sim.plan.sites if s.backup_site
    }
    states = sim.service_states()
    rec = sim.records()
    kpis = all_kpis(rec, sim.plan, start=0.0, end=max(now, 1e-9)) if len(rec) else {}
    board: dict[str, Any] = {
        "time": now,
        "clock": (sim.scenario.start + dt.timedelta(minutes=now)).isoformat(timespec="minutes"),
        "horizon": sim.horizon,
        "channels": [
            {
                "id": cid,
                "up": sim.up[c],
                "working": states.get(cid, True),
                "mode": sim.mode[c],
                "waiting": sim.waiting[c],
                "agents": sim.working_agents(c),
                "planned_agents": sim.planned_agents(c),
            }
            for c, cid in enumerate(sim.channel_ids)
        ],
        "systems": [
            {"id": s.id, "working": sim.infra.works(s.id), "down": s.id in sim.infra.down}
            for s in sim.plan.systems
        ],
        "sites": [{"id": s.id, "working": sim.infra.site_working(s.id)} for s in sim.plan.sites],
        "backups": {
            b: "active"
            if b in sim.infra.active_backups
            else "activating"
            if b in activating
            else "idle"
            for b in sorted(x for x in backups if x)
        },
        "agents_at_work": sum(sim.g_staffed),
        "agents_busy": sum(sim.g_busy),
        "kpis": {k: _time(v) for k, v in kpis.items()},
        "reached": {},
        "incidents": [],
    }
    if sim.response is None:
        return board
    record = sim.response.record
    board["reached"] = {
        role: {
            "notified": c["notified"],
            "reached": _time(c["reached"]) if c["reached"] <= now else None,
            "person": c["person"] if c["reached"] <= now else None,
            "via": c["via"],
        }
        for role, c in record.reached.items()
    }
    board["incidents"] = [
        {
            "id": i.id,
            "event_class": i.event_class,
            "events": list(i.events),
            "occurred": i.occurred,
            "detected": i.detected,
            "level": i.level,
            "closed": i.closed,
            "steps": {
                name: {
                    "owner": st.owner,
                    "limit": st.limit,
                    "started": st.started,
                    "done": st.done,
                    "late": st.late(now),
                }
                for name, st in i.steps.items()
            },
            "open_steps": [
                n for n, st in i.steps.items() if st.started is not None and st.done is None
            ],
            "actions": [
                {
                    "time": a.time,
                    "action": a.action,
                    "target": a.target,
                    "by": a.by,
                    "status": a.status,
                }
                for a in i.actions
            ],
        }
        for i in record.incidents
    ]
    return board
