"""KPIs of the response: step times against limits, time to reach roles, backups.

Why apart from :mod:`sim.engine.metrics`: these read the response's record (incidents,
steps, calls), not the contacts, and exist only when a policy played the plan.
All times are minutes; a figure with nothing to measure is NaN (left out of means).
"""

from __future__ import annotations

import math

from plans.model import STEP_NAMES
from sim.engine.metrics import Kpis, disruptions
from sim.engine.records import RunRecords


def response_kpis(rec: RunRecords) -> Kpis:
    """Step times and lateness, detection, level, reach times, backup activations."""
    out: Kpis = {}
    record = rec.response
    if record is None:
        return out
    incidents = record.incidents
    now = rec.horizon
    detections = [i.detected - i.occurred for i in incidents if i.detected is not None]
    out["incidents"] = float(len(incidents))
    out["detected_after"] = max(detections, default=math.nan)
    levels = [i.level for i in incidents if i.level is not None]
    out["level"] = float(min(levels)) if levels else math.nan
    for name in STEP_NAMES:
        steps = [
            i.steps[name]
            for i in incidents
            if name in i.steps and i.steps[name].started is not None
        ]
        times = [s.duration() for s in steps if s.duration() is not None]
        out[f"step.{name}.time"] = max(times, default=math.nan)
        out[f"step.{name}.late"] = float(sum(s.late(now) for s in steps))
    out["steps_late"] = float(sum(out[f"step.{n}.late"] for n in STEP_NAMES[:5]))
    unreached = 0
    for role, call in record.reached.items():
        delay = call["reached"] - call["notified"]
        if math.isfinite(delay) and call["reached"] <= now:
            out[f"reach.{role}"] = delay
        else:
            unreached += 1
    out["roles_unreached"] = float(unreached)
    first_detected = {i.id: i.detected for i in incidents}
    for act in record.activations:
        detected = first_detected.get(act["incident"])
        key = f"backup.{act['backup']}.active_after_discovery"
        if detected is not None:
            out[key] = min(out.get(key, math.inf), act["active"] - detected)
    out["backups_activated"] = float(len(record.activations))
    out["activation_failures"] = float(sum(a["failures"] for a in record.activations))
    causes = [how for _, _, _, how in disruptions(rec)]
    out["restored_by_backup"] = float(sum(c.startswith("backup") for c in causes))
    out["restored_by_repair"] = float(sum(c == "repair" for c in causes))
    out["decisions_refused"] = float(sum(not v.accepted for _, _, v in record.decisions))
    return out
