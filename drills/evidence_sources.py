"""What one later drill or run journal shows: the :class:`Evidence` record and how it is read.

Why a module of its own: gathering evidence is replaying a stored drill to its clock
and reading it the way its debrief does (:func:`evidence_from_drill`), or summarising
a run journal over its replications (:func:`evidence_from_journal`); judging an
improvement item on it (:func:`drills.evidence.judge`) is another job, which needs
only the record. This module knows nothing of items or of judging, so the judge
imports it and not the other way round; :mod:`~drills.evidence` re-exports it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from drills.adherence import Finding, adherence, step_words
from drills.debrief import run_kpis
from drills.evaluations import ratings
from drills.replay import load_inputs, open_simulation
from drills.store import DrillStore
from i18n import _
from plans.issues import ModelFileError
from plans.model import STEP_NAMES, Plan
from plans.types import human_minutes
from sim.analysis.journal_model import read_journal
from sim.analysis.targets import plan_targets
from sim.engine.metrics import disruptions
from sim.response.controller import DEFAULT_CLASS
from sim.response.incidents import Incident, ResponseRecord, StepTime

Outcome = tuple[bool, str]
"""(shows it fine, how: a sentence for the item's history or the refusal)."""
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one drill (or run journal) measured, enough to judge any improvement item."""

    source: str
    """'drill-0007', or the journal's file name."""
    kind: Literal["drill", "journal"]
    plan_id: str
    held: str
    """ISO UTC time the drill was created (the run started)."""
    final: bool
    """The drill has ended (the run completed): its results can no longer change."""
    final_reason: str
    """Why it is not final, when it is not."""
    event_classes: frozenset[str]
    steps: Mapping[str, Outcome]
    """'class.step' -> done within its limit in every incident of the class (every run)."""
    roles: Mapping[str, Outcome]
    """Role -> reached; only roles the run called or the plan named."""
    targets: Mapping[str, Outcome | None]
    """Target check -> met; None where the run measured nothing (no outage for the RTO)."""
    findings: tuple[Mapping[str, Any], ...] | None
    """The debrief's adherence findings (None for a journal, which keeps none)."""
    failed: frozenset[str]
    """Channels, systems and sites that went down."""
    activated: frozenset[str]
    """Backups brought up (in a journal: in every replication)."""
    acted_on: frozenset[str]
    """Targets of the actions taken."""
    ratings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Capability -> the ratings in force (drills only)."""


def drill_number(source: str) -> int | None:
    """7 for 'drill-0007'; None for anything else."""
    match = re.fullmatch(r"drill-(\d+)", source)
    return int(match.group(1)) if match else None


# --- from a drill ------------------------------------------------------------------------


def _step_outcome(where: dict[str, str], times: list[StepTime]) -> Outcome:
    """``where``: the drill, step and class the times are of."""
    bad = next(
        (
            t
            for t in times
            if t.started is None
            or t.done is None
            or t.done - t.started > t.limit + EPS
            or t.done < t.started - EPS  # done before it started: the order was not kept
        ),
        None,
    )
    if bad is None:
        took = max(
            t.done - t.started for t in times if t.done is not None and t.started is not None
        )
        return (
            True,
            _("in {drill}, {step} of {cls} took {took} against its limit of {limit}").format(
                took=human_minutes(took), limit=human_minutes(times[0].limit), **where
            ),
        )
    limit = human_minutes(bad.limit)
    if bad.started is None:
        text = _("in {drill}, {step} of {cls} was never started (limit {limit})")
    elif bad.done is None:
        text = _("in {drill}, {step} of {cls} was not done by the end (limit {limit})")
    elif bad.done < bad.started - EPS:
        text = _(
            "in {drill}, {step} of {cls} was done before it started: the room acted "
            "before the simulation reached it (limit {limit})"
        )
    else:
        text = _("in {drill}, {step} of {cls} took {took} (limit {limit})")
        return False, text.format(took=human_minutes(bad.done - bad.started), limit=limit, **where)
    return False, text.format(limit=limit, **where)


def _steps(drill_id: str, incidents: list[Incident]) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for cls in sorted({i.event_class for i in incidents}):
        for name in STEP_NAMES:
            times = [i.steps[name] for i in incidents if i.event_class == cls and name in i.steps]
            if times:
                where = {"drill": drill_id, "step": step_words(name), "cls": cls}
                out[f"{cls}.{name}"] = _step_outcome(where, times)
    return out


def _roles(
    drill_id: str, response: ResponseRecord, now: float, found: tuple[Finding, ...]
) -> dict[str, Outcome]:
    out: dict[str, Outcome] = {}
    for role, call in response.reached.items():
        if math.isfinite(call["reached"]) and call["reached"] <= now:
            after = human_minutes(call["reached"] - call["notified"])
            out[role] = (
                True,
                _("in {drill}, {role} was reached {after} after the call").format(
                    drill=drill_id, role=role, after=after
                ),
            )
        else:
            out[role] = (
                False,
                _("in {drill}, {role} was called but not reached").format(
                    drill=drill_id, role=role
                ),
            )
    for t, decision, verdict in response.decisions:
        if verdict.accepted and t <= now and decision.by:
            out.setdefault(
                decision.by,
                (
                    True,
                    _("in {drill}, {who} took decisions in the room").format(
                        drill=drill_id, who=decision.by
                    ),
                ),
            )
    for f in found:
        if f["kind"] == "role_not_reached":
            out[f["role"]] = (
                False,
                _("in {source}: {findings}").format(source=drill_id, findings=f["message"]),
            )
    return out


def _targets(
    drill_id: str, plan: Plan, kpis: Mapping[str, float], steps: Mapping[str, Outcome]
) -> dict[str, Outcome | None]:
    out: dict[str, Outcome | None] = {}
    for c in plan_targets(plan):
        if c.name.startswith("step."):  # every incident's step done in time, not just none late
            shown = [o for k, o in steps.items() if k.endswith(c.name[4:])]
            texts = "; ".join(text for _ok, text in shown)
            out[c.name] = (
                (
                    all(ok for ok, _text in shown),
                    _("{label}: {texts}").format(label=c.label, texts=texts),
                )
                if shown
                else None
            )
            continue
        value = kpis.get(c.kpi, math.nan)
        nothing = (
            math.isnan(value)
            or (c.name == "rto" and not kpis.get("disruptions"))
            or (c.name == "rpo" and not kpis.get("data_losses"))
        )
        out[c.name] = (
            None
            if nothing
            else (
                c.met(value),
                _("in {drill}, {label}: measured {value:g}").format(
                    drill=drill_id, label=c.label, value=value
                ),
            )
        )
    return out


def evidence_from_drill(db_path: str | Path, drill_id: str) -> Evidence:
    """Replay a stored drill to its clock and read what it shows, as its debrief does."""
    record = DrillStore(db_path).get(drill_id)
    drill_plan, _scenario = load_inputs(record)
    sim = open_simulation(record)
    try:
        runs = sim.records()
        response = sim.response.record if sim.response is not None else ResponseRecord("none")
    finally:
        sim.release()
    now = record.clock
    found = tuple(adherence(drill_plan, response, now, runs))
    steps = _steps(drill_id, response.incidents)
    rated: dict[str, list[str]] = {}
    for r in ratings(db_path, drill_id):
        rated.setdefault(r.capability, []).append(r.rating)
    return Evidence(
        source=drill_id,
        kind="drill",
        plan_id=drill_plan.meta.id,
        held=record.created_wall,
        final=record.status == "ended",
        final_reason=_("{drill} is still open: end it before its results count as evidence").format(
            drill=drill_id
        ),
        event_classes=frozenset(i.event_class for i in response.incidents),
        steps=steps,
        roles=_roles(drill_id, response, now, found),
        targets=_targets(drill_id, drill_plan, run_kpis(runs, drill_plan, now), steps),
        findings=found,
        failed=frozenset(what for what, start, _end, _how in disruptions(runs) if start <= now),
        activated=frozenset(a["backup"] for a in response.activations if a["active"] <= now),
        acted_on=frozenset(a.target for i in response.incidents for a in i.actions if a.target),
        ratings={k: tuple(v) for k, v in rated.items()},
    )


# --- from a run journal ------------------------------------------------------------------


def _read_journal(journal: Mapping[str, Any] | str | Path) -> tuple[Mapping[str, Any], str | None]:
    if isinstance(journal, Mapping):
        return journal, None
    path = Path(journal)
    try:  # checked like any journal a report reads: a damaged one is a message
        return read_journal(path), path.name
    except ModelFileError as exc:
        raise ValueError(
            _("{path}: not a readable run journal ({error})").format(
                path=path, error="; ".join(exc.lines())
            )
        ) from None


def evidence_from_journal(
    journal: Mapping[str, Any] | str | Path, source: str | None = None
) -> Evidence:
    """Read what a run journal (``drillsim run --json``) shows over all its replications.

    A journal keeps summaries, not each incident: a step counts as within its limit
    when every replication finished it and met its limit, a role as reached when every
    replication reached it, a target as met when every replication met it, a backup as
    activated when every replication brought it up. It keeps no adherence findings.
    """
    doc, file_name = _read_journal(journal)
    name = source or file_name or _("the run journal")
    try:
        n = int(doc["replications"])
        kpis: Mapping[str, Any] = doc["kpis"]
        checks: Mapping[str, Any] = doc["targets"]
        events: list[Mapping[str, Any]] = doc["scenario"].get("events", [])
        plan_id, held = str(doc["plan"]["meta"]["id"]), str(doc["meta"]["started"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(
            _("{name}: not a drillsim run journal (missing {key})").format(name=name, key=exc)
        ) from None

    def count(key: str, field_name: str = "n") -> Any:
        return (kpis.get(key) or {}).get(field_name) or 0

    def every(key: str) -> bool:
        return n > 0 and count(key) == n

    def always(check: str) -> bool:
        return (checks.get(check) or {}).get("probability_met") == 1

    classes = frozenset(
        e.get("event_class") or DEFAULT_CLASS.get(e.get("kind", ""), "") for e in events
    )
    steps: dict[str, Outcome] = {}
    for s in STEP_NAMES:
        ok = every(f"step.{s}.time") and always(f"step.{s}")
        text = (
            _("in {name}, {step} was done within its limit in every one of {n} replications")
            if ok
            else _(
                "in {name}, {step} was not done within its limit in every one of {n} replications"
            )
        ).format(name=name, step=step_words(s), n=n)
        steps.update({f"{cls}.{s}": (ok, text) for cls in classes})
    roles = {
        k[6:]: (
            every(k),
            _("in {name}, reached in {count} of {n} replications").format(
                name=name, count=count(k), n=n
            ),
        )
        for k in kpis
        if k.startswith("reach.")
    }
    targets: dict[str, Outcome | None] = {}
    for key, c in checks.items():
        nothing = (
            (key == "rto" and not count("disruptions", "mean"))
            or (key == "rpo" and not count("data_losses", "mean"))
            or (key.startswith("step.") and not count(f"{key}.time"))
        )
        met = _("in {name}, {label}: met in {share:.0%} of {n} replications").format(
            name=name, label=c.get("label", key), share=c.get("probability_met") or 0, n=n
        )
        targets[key] = None if nothing else (always(key), met)
    failed = {x for e in events for x in (e.get("target"), e.get("site"), e.get("system")) if x}
    failed.update(s for e in events for s in e.get("systems") or ())
    return Evidence(
        source=name,
        kind="journal",
        plan_id=plan_id,
        held=held,
        final=doc.get("status") == "completed",
        final_reason=_("{name} did not complete (status {status!r})").format(
            name=name, status=doc.get("status")
        ),
        event_classes=classes - {""},
        steps=steps,
        roles=roles,
        targets=targets,
        findings=None,
        failed=frozenset(failed),
        activated=frozenset(k.split(".")[1] for k in kpis if k.startswith("backup.") and every(k)),
        acted_on=frozenset(),
    )


def load_evidence(db_path: str | Path, source: str | Path | Mapping[str, Any]) -> Evidence:
    """Evidence from a drill id in the database, or a run journal (path or parsed JSON)."""
    if isinstance(source, Mapping | Path):
        return evidence_from_journal(source)
    if drill_number(source) is not None or not Path(source).is_file():
        return evidence_from_drill(db_path, source)
    return evidence_from_journal(source)
