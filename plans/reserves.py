"""Readiness of what the centre falls back on: resources, backups and data (7.4, 5.3).

Why together: each asks whether a reserve is really there when needed (an owner and
a dispatch procedure, a required reserve or standby, an activation block for every
backup, replication often enough for the RPO).
"""

from __future__ import annotations

from i18n import _
from plans.activation import activation_of
from plans.findings import Finding
from plans.model import Plan
from plans.names import display_names
from plans.types import human_duration, human_minutes


def resource_findings(plan: Plan) -> list[Finding]:
    """Resources with no owner or procedure, missing reserves, backups that cannot start."""
    findings: list[Finding] = []
    names = display_names(plan)
    for res in plan.resources:
        if res.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    _("Resource '{name}' has no owner role (manual 7.4).").format(
                        name=names[res.id]
                    ),
                    (res.id,),
                )
            )
        if not res.procedure.strip():
            findings.append(
                Finding(
                    "resource.no_procedure",
                    "warning",
                    _("Resource '{name}' has no dispatch procedure (manual 7.4).").format(
                        name=names[res.id]
                    ),
                    (res.id,),
                )
            )
        if res.reserve_required and not res.backup and res.reserve_staff is None:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    _("Resource '{name}' requires a reserve but has none.").format(
                        name=names[res.id]
                    ),
                    (res.id,),
                )
            )
    for system in plan.systems:
        if system.owner is None:
            findings.append(
                Finding(
                    "resource.no_owner",
                    "warning",
                    _("System '{name}' has no owner role.").format(name=names[system.id]),
                    (system.id,),
                )
            )
        if system.reserve_required and not system.standby:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    _("System '{name}' requires a standby but has none.").format(
                        name=names[system.id]
                    ),
                    (system.id,),
                )
            )
    for site in plan.sites:
        if site.reserve_required and not site.backup_site:
            findings.append(
                Finding(
                    "resource.no_reserve",
                    "error",
                    _("Site '{name}' requires a backup site but has none.").format(
                        name=names[site.id]
                    ),
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
    names = display_names(plan)
    for backup in sorted(b for b in backups if b):
        activation = activation_of(plan, backup)
        if activation is None:
            findings.append(
                Finding(
                    "backup.no_activation",
                    "error",
                    _(
                        "Backup '{name}' has no activation block (time, approver, procedure): "
                        "it cannot be brought up as planned."
                    ).format(name=names.get(backup, backup)),
                    (backup,),
                )
            )
        elif not activation.procedure.strip():
            findings.append(
                Finding(
                    "backup.no_procedure",
                    "warning",
                    _("Backup '{name}' has no written activation procedure.").format(
                        name=names.get(backup, backup)
                    ),
                    (backup,),
                )
            )
    return findings


def data_findings(plan: Plan) -> list[Finding]:
    """Systems holding data whose replication cannot meet the RPO."""
    rpo = plan.targets.rpo
    names = display_names(plan)
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
                    _(
                        "System '{name}' holds data but is not replicated: "
                        "any loss exceeds the RPO of {rpo}."
                    ).format(name=names[system.id], rpo=human_minutes(rpo)),
                    (system.id,),
                )
            )
        elif interval > rpo:
            findings.append(
                Finding(
                    "data.rpo",
                    "error",
                    _(
                        "System '{name}' replicates every {interval}, so up to "
                        "{interval} of data can be lost: beyond the RPO of {rpo}."
                    ).format(
                        name=names[system.id],
                        interval=human_duration(interval),
                        rpo=human_duration(rpo),
                    ),
                    (system.id,),
                    {"interval": interval, "rpo": rpo},
                )
            )
    return findings
