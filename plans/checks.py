"""Consistency rules a plan must meet to load at all (beyond field types).

Why separate from the readiness analyses: these are errors in the file (an action
aimed at the wrong kind of thing, a flow missing a step) that make the plan
meaningless; readiness findings (:mod:`plans.analysis`) are weaknesses of a plan that
does mean something. Every rule reports its exact path, and all are reported at once.
"""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from i18n import _
from plans.assets import Resource, Site, System
from plans.flows import STEP_NAMES, Flow
from plans.grading import LevelDef
from plans.issues import Issue, format_loc
from plans.organisation import Role
from plans.refs import reference_issues
from plans.service import Channel, ChannelSplit
from plans.types import kind_label


class PlanParts(Protocol):
    """The parts of a plan the rules read.

    Why a Protocol and not :class:`plans.model.Plan`: the Plan model runs these rules
    in its own validator, so this module must not import it; dependencies then go one
    way (the model imports the rules, the rules import only the plan's sections).
    """

    @property
    def roles(self) -> tuple[Role, ...]: ...
    @property
    def levels(self) -> tuple[LevelDef, ...]: ...
    @property
    def flows(self) -> tuple[Flow, ...]: ...
    @property
    def channels(self) -> tuple[Channel, ...]: ...
    @property
    def channel_split(self) -> ChannelSplit: ...
    @property
    def systems(self) -> tuple[System, ...]: ...
    @property
    def sites(self) -> tuple[Site, ...]: ...
    @property
    def resources(self) -> tuple[Resource, ...]: ...
    def ids_by_kind(self) -> dict[str, set[str]]: ...
    def model_dump(self, *, mode: str) -> dict[str, Any]: ...


CONSISTENCY_ERROR = "plan_consistency"
SHARE_TOLERANCE = 0.001

# Which kinds of thing each action may be aimed at.
ACTION_TARGETS: dict[str, tuple[str, ...]] = {
    "activate_backup": ("systems", "sites"),
    "call_in_reserves": ("resources",),
    "redeploy_staff": ("channels", "sites"),
    "notify_customers": ("channels",),
    "escalate": ("roles",),
    "switch_to_callback": ("channels",),
    "switch_to_notice": ("channels",),
    "isolate_systems": ("systems",),
}


def plan_issues(plan: PlanParts, model: type[BaseModel]) -> list[Issue]:
    """Every consistency problem of a structurally valid plan.

    ``model`` is the plan's model class, whose annotations mark the references; it is
    passed in by the model's validator so that this module need not import it.
    """
    issues = reference_issues(model, plan.model_dump(mode="json"))
    if issues:
        return issues  # later rules assume every reference resolves
    issues += _commander_issues(plan)
    issues += _level_issues(plan)
    issues += _flow_issues(plan)
    issues += _role_issues(plan)
    issues += _share_issues(plan)
    issues += _backup_issues(plan)
    return issues


def raise_plan_issues(plan: PlanParts, model: type[BaseModel]) -> None:
    """Raise one pydantic error carrying every consistency issue, if there are any."""
    raise_consistency(plan_issues(plan, model))


def raise_consistency(issues: list[Issue]) -> None:
    """Raise one pydantic error that the loader unpacks into located issues.

    Why one error: a model's after-validator can raise only once, but a user wants
    every consistency problem of the file in one pass, each at its own path.
    """
    if issues:
        summary = "; ".join(f"{i.path}: {i.msg}" for i in issues)
        raise PydanticCustomError(
            CONSISTENCY_ERROR,
            "{summary}",
            {"summary": summary, "issues": [(i.loc, i.msg) for i in issues]},
        )


def _commander_issues(plan: PlanParts) -> list[Issue]:
    commanders = [i for i, r in enumerate(plan.roles) if r.kind == "commander"]
    if len(commanders) == 1:
        return []
    if not commanders:
        return [
            Issue(
                ("roles",),
                _("no role has kind 'commander': the plan needs one emergency commander"),
            )
        ]
    where = ", ".join(format_loc(("roles", i)) for i in commanders)
    return [
        Issue(
            ("roles", commanders[1], "kind"),
            _("more than one role has kind 'commander' ({where}); keep one").format(where=where),
        )
    ]


def _level_issues(plan: PlanParts) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[int, int] = {}
    for i, level in enumerate(plan.levels):
        if level.level in seen:
            issues.append(
                Issue(
                    ("levels", i, "level"),
                    _("level {level} is defined twice (also {other})").format(
                        level=level.level, other=format_loc(("levels", seen[level.level]))
                    ),
                )
            )
        seen.setdefault(level.level, i)
    missing = [n for n in (1, 2, 3) if n not in seen]
    if missing:
        words = ", ".join(str(n) for n in missing)
        issues.append(
            Issue(
                ("levels",),
                _("level {levels} missing: the plan must define levels 1, 2 and 3").format(
                    levels=words
                ),
            )
        )
    return issues


def _flow_issues(plan: PlanParts) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    ids = plan.ids_by_kind()
    for f, flow in enumerate(plan.flows):
        if flow.event_class in seen:
            issues.append(
                Issue(
                    (("flows", f, "event_class")),
                    _("event class '{event_class}' already has a flow ({other})").format(
                        event_class=flow.event_class,
                        other=format_loc(("flows", seen[flow.event_class])),
                    ),
                )
            )
        seen.setdefault(flow.event_class, f)
        names = tuple(s.step for s in flow.steps)
        if names != STEP_NAMES:
            issues.append(
                Issue(
                    ("flows", f, "steps"),
                    _(
                        "a flow lists the six steps of 7.2 once each, in order: {steps} "
                        "(got: {got})"
                    ).format(steps=", ".join(STEP_NAMES), got=", ".join(names) or _("none")),
                )
            )
        for s, step in enumerate(flow.steps):
            for a, action in enumerate(step.actions):
                allowed = ACTION_TARGETS[action.action]
                if not any(action.target in ids[kind] for kind in allowed):
                    issues.append(
                        Issue(
                            ("flows", f, "steps", s, "actions", a, "target"),
                            _("'{action}' needs a {kinds} as target; '{target}' is not one").format(
                                action=action.action,
                                kinds=kind_label(*allowed),
                                target=action.target,
                            ),
                        )
                    )
                elif action.action == "call_in_reserves" and not _is_reserve_pool(
                    plan, action.target
                ):
                    issues.append(
                        Issue(
                            ("flows", f, "steps", s, "actions", a, "target"),
                            _(
                                "'call_in_reserves' needs a resource with reserve_staff; "
                                "'{target}' has none"
                            ).format(target=action.target),
                        )
                    )
    return issues


def _is_reserve_pool(plan: PlanParts, resource_id: str) -> bool:
    return any(r.id == resource_id and r.reserve_staff is not None for r in plan.resources)


def _role_issues(plan: PlanParts) -> list[Issue]:
    issues: list[Issue] = []
    for r, role in enumerate(plan.roles):
        for d, deputy in enumerate(role.deputies):
            if deputy == role.holder:
                issues.append(
                    Issue(
                        ("roles", r, "deputies", d),
                        _(
                            "'{person}' already holds the role; a deputy must be someone else"
                        ).format(person=deputy),
                    )
                )
            elif deputy in role.deputies[:d]:
                issues.append(
                    Issue(
                        ("roles", r, "deputies", d),
                        _("'{person}' is listed twice as deputy").format(person=deputy),
                    )
                )
        if role.reports_to == role.id:
            issues.append(Issue(("roles", r, "reports_to"), _("a role cannot report to itself")))
        if role.escalates_to == role.id:
            issues.append(
                Issue(("roles", r, "escalates_to"), _("a role cannot escalate to itself"))
            )
    return issues


def _share_issues(plan: PlanParts) -> list[Issue]:
    issues: list[Issue] = []
    given = [c.share is not None for c in plan.channels]
    if any(given) and not all(given):
        c = given.index(False)
        issues.append(
            Issue(
                ("channels", c, "share"),
                _(
                    "give a share on every channel or on none "
                    "(then the online/offline split applies)"
                ),
            )
        )
    elif all(given):
        total = sum(c.share or 0.0 for c in plan.channels)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            issues.append(
                Issue(
                    ("channels",),
                    _("channel shares add up to {total:.3f}; they must add up to 1").format(
                        total=total
                    ),
                )
            )
    split = plan.channel_split
    if abs(split.online + split.offline - 1.0) > SHARE_TOLERANCE:
        issues.append(
            Issue(
                ("channel_split",),
                _("online + offline is {total:.3f}; it must be 1").format(
                    total=split.online + split.offline
                ),
            )
        )
    return issues


def _backup_issues(plan: PlanParts) -> list[Issue]:
    issues: list[Issue] = []
    for s, system in enumerate(plan.systems):
        if system.standby == system.id:
            issues.append(Issue(("systems", s, "standby"), _("a system cannot be its own standby")))
    for s, site in enumerate(plan.sites):
        if site.backup_site == site.id:
            issues.append(
                Issue(("sites", s, "backup_site"), _("a site cannot be its own backup site"))
            )
    for r, resource in enumerate(plan.resources):
        if resource.backup == resource.id:
            issues.append(
                Issue(("resources", r, "backup"), _("a resource cannot be its own backup"))
            )
    return issues
