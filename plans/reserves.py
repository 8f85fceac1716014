"""Readiness of what the centre falls back on: resources, backups and data (7.4, 5.3).

Why together: each asks whether a reserve is really there when needed (an owner and
a dispatch procedure, a required reserve or standby, an activation block for every
backup, replication often enough for the RPO).
"""

from __future__ import annotations

from plans.activation import activation_of
from plans.findings import Finding
from plans.model import Plan
from plans.types import format_duration, human_minutes


def resource_findings(plan: Plan) -> list[Finding]:
    """Resources with no owner or procedure, missing reserves, backups that cannot start."""
    findings: list[Finding] = []
    for res in plan.resources:
        if res.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    f"Resource '{res.id}' has no owner role (7.4).",
                    (res.id,),
                )
            )
        if not res.procedure.strip():
            findings.append(
                Finding(
                    "resource.no_procedure",
                    "warning",
                    f"Resource '{res.id}' has no dispatch procedure (7.4).",
                    (res.id,),
                )
            )
        if res.reserve_required and not res.backup and res.reserve_staff is None:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"Resource '{res.id}' requires a reserve but has none.",
                    (res.id,),
                )
            )
    for system in plan.systems:
        if system.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    f"System '{system.id}' has no owner role.",
                    (system.id,),
                )
            )
        if system.reserve_required and not system.standby:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"System '{system.id}' requires a standby but has none.",
                    (system.id,),
                )
            )
    for site in plan.sites:
        if site.reserve_required and not site.backup_site:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    f"Site '{site.id}' requires a backup site but has none.",
                    (site.id,),
                )
            )
    findings += _backup_activation_findings(plan)
    return findings


def _backup_activation_findings(plan: Plan) -> list[Finding]:
    """Every standby or backup site the plan relies on needs an activation procedure."""
    backups = {s.standby for s in plan.systems if s.standby} | {
        s.backup_site for s in plan.sites if s.backup_site
    }
    for flow in plan.flows:
        backups |= {
            a.target for step in flow.steps for a in step.actions if a.action == "activate_backup"
        }
    findings = []
    for backup in sorted(b for b in backups if b):
        activation = activation_of(plan, backup)
        if activation is None:
            findings.append(
                Finding(
                    "backup.no_activation",
                    "error",
                    f"Backup '{backup}' has no activation block (time, approver, procedure): "
                    "it cannot be brought up as planned.",
                    (backup,),
                )
            )
        elif not activation.procedure.strip():
            findings.append(
                Finding(
                    "backup.no_procedure",
                    "warning",
                    f"Backup '{backup}' has no written activation procedure.",
                    (backup,),
                )
            )
    return findings


def data_findings(plan: Plan) -> list[Finding]:
    """Systems holding data whose replication cannot meet the RPO."""
    rpo = plan.targets.rpo
    findings = []
    for system in plan.systems:
        if not system.holds_data:
            continue
        interval = system.replication_interval
        if interval is None:
            findings.append(
                Finding(
                    "data.no_replication",
                    "error",
                    f"System '{system.id}' holds data but is not replicated: "
                    f"any loss exceeds the RPO of {human_minutes(rpo)}.",
                    (system.id,),
                )
            )
        elif interval > rpo:
            findings.append(
                Finding(
                    "data.rpo",
                    "error",
                    f"System '{system.id}' replicates every {format_duration(interval)}, so up to "
                    f"{format_duration(interval)} of data can be lost: "
                    f"beyond the RPO of {format_duration(rpo)}.",
                    (system.id,),
                    {"interval": interval, "rpo": rpo},
                )
            )
    return findings
