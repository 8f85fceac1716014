"""Plan and scenario variants: the keys a planner varies, and how each changes the models.

Why a table of small pure functions: a planner asks "what if we had 130 agents, a
reserve pool of 30, a standby that starts in 20 minutes?". Each such key is one
function ``(plan, scenario, value) -> (plan, scenario)`` returning validated copies, so
a variant is exactly the baseline plus the changes it names, and nothing else moves.

Values are typed: whole numbers (agents, pool sizes), durations written like the
files write them ('45m', '1h30m', held as minutes), factors (``response_time=0.5``
halves everyone's answering time) and multipliers (a surge's peak).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from plans.base import StrictModel
from plans.checks import raise_consistency
from plans.io import load_model
from plans.issues import Issue
from plans.model import Activation, Plan
from plans.types import ID_PATTERN, NonEmptyText, format_duration, parse_duration
from scenarios.model import ComplaintSurge, Scenario, StaffGroup

Value = int | float
"""A parsed value: a whole number, or minutes, or a factor."""
Kind = Literal["count", "duration", "factor", "multiplier"]
Apply = Callable[[Plan, Scenario, Any], tuple[Plan, Scenario]]


class VaryError(ValueError):
    """A variant key or value that cannot be used; the message says what to fix."""


# --- validated copies ----------------------------------------------------------------


def _plan(plan: Plan, **update: Any) -> Plan:
    """A re-validated copy of the plan with some top-level fields replaced."""
    try:
        return Plan.model_validate(plan.model_copy(update=update).model_dump())
    except ValidationError as exc:
        raise VaryError(f"the changed plan is not valid: {_first_error(exc)}") from None


def _scenario(scenario: Scenario, **update: Any) -> Scenario:
    """A re-validated copy of the scenario with some top-level fields replaced."""
    try:
        return Scenario.model_validate(scenario.model_copy(update=update).model_dump())
    except ValidationError as exc:
        raise VaryError(f"the changed scenario is not valid: {_first_error(exc)}") from None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{where}: {err['msg']}" if where else str(err["msg"])


# --- staffing ------------------------------------------------------------------------


def scale_counts(counts: Sequence[int], total: int) -> list[int]:
    """Scale ``counts`` to add up to ``total``, keeping their proportions.

    Each count but the last is rounded half up; the last absorbs the rounding so the
    total is exact. With many small groups the round-ups can add up to more than the
    last group holds (31 groups of 2 to 11 scaled from 126 to 120 round up by 3); the
    shortfall is then taken back one agent at a time from the groups rounded up the
    most, so every group stays within one agent of its exact share.
    """
    current = sum(counts)
    if total < 0:
        raise VaryError(f"a number of agents cannot be negative, got {total}")
    if current == 0:
        if total == 0:
            return list(counts)
        raise VaryError(
            f"the groups to scale have no agents, so {total} cannot be shared in proportion"
        )
    exact = [Fraction(c * total, current) for c in counts[:-1]]
    scaled = [math.floor(x + Fraction(1, 2)) for x in exact]
    scaled.append(total - sum(scaled))
    while scaled[-1] < 0:
        most = max(range(len(exact)), key=lambda i: scaled[i] - exact[i])
        scaled[most] -= 1
        scaled[-1] += 1
    return scaled


def _staffing(plan: Plan, scenario: Scenario) -> tuple[StaffGroup, ...]:
    """The scenario's staffing, or the plan's copied into scenario form."""
    if scenario.staffing is not None:
        return scenario.staffing
    return tuple(StaffGroup.from_plan(g) for g in plan.staffing)


def _scale_staffing(
    plan: Plan, scenario: Scenario, total: int, picks: Callable[[StaffGroup], bool], what: str
) -> tuple[Plan, Scenario]:
    groups = list(_staffing(plan, scenario))
    chosen = [i for i, g in enumerate(groups) if picks(g)]
    if not chosen:
        raise VaryError(f"no staffing group {what} to scale")
    new = scale_counts([groups[i].agents for i in chosen], total)
    for i, agents in zip(chosen, new, strict=True):
        groups[i] = groups[i].model_copy(update={"agents": agents})
    return plan, _scenario(scenario, staffing=tuple(groups))


def set_agents(plan: Plan, scenario: Scenario, total: int) -> tuple[Plan, Scenario]:
    """Total agents over every staffing group, in proportion to the groups' sizes."""
    return _scale_staffing(plan, scenario, total, lambda g: True, "in the staffing")


def agents_at(place: str) -> Apply:
    """``agents.<site>`` or ``agents.<shift>``: the total at one site or on one shift."""

    def apply(plan: Plan, scenario: Scenario, total: int) -> tuple[Plan, Scenario]:
        sites = {s.id for s in plan.sites}
        shifts = {s.id for s in plan.shifts}
        if place in sites:
            return _scale_staffing(
                plan, scenario, total, lambda g: g.site == place, f"at site '{place}'"
            )
        if place in shifts:
            return _scale_staffing(
                plan, scenario, total, lambda g: g.shift == place, f"on shift '{place}'"
            )
        close = difflib.get_close_matches(place, sorted(sites | shifts), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise VaryError(
            f"'{place}' is neither a site nor a shift of plan '{plan.meta.id}'{hint}; "
            f"sites: {', '.join(sorted(sites))}; shifts: {', '.join(sorted(shifts)) or 'none'}"
        )

    return apply


# --- plan resources and backups ------------------------------------------------------


def _reserve(plan: Plan, field_name: str, value: Value) -> Plan:
    pools = [r for r in plan.resources if r.reserve_staff is not None]
    if not pools:
        raise VaryError(
            f"plan '{plan.meta.id}' has no reserve staff pool (a resource with reserve_staff)"
        )
    resources = tuple(
        r.model_copy(
            update={"reserve_staff": r.reserve_staff.model_copy(update={field_name: value})}
        )
        if r.reserve_staff is not None
        else r
        for r in plan.resources
    )
    return _plan(plan, resources=resources)


def set_reserve_size(plan: Plan, scenario: Scenario, size: int) -> tuple[Plan, Scenario]:
    """Size of every reserve staff pool."""
    return _reserve(plan, "size", size), scenario


def set_reserve_call_in(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Call-in time of every reserve staff pool."""
    return _reserve(plan, "call_in_time", minutes), scenario


def _with_time(activation: Activation | None, minutes: float) -> Activation:
    return (
        Activation(time=minutes)
        if activation is None
        else activation.model_copy(update={"time": minutes})
    )


def set_standby_activation(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Activation time of every standby system (a system named as another's standby)."""
    standbys = {s.standby for s in plan.systems if s.standby is not None}
    if not standbys:
        raise VaryError(f"plan '{plan.meta.id}' has no standby system")
    systems = tuple(
        s.model_copy(update={"activation": _with_time(s.activation, minutes)})
        if s.id in standbys
        else s
        for s in plan.systems
    )
    return _plan(plan, systems=systems), scenario


def set_backup_site_activation(
    plan: Plan, scenario: Scenario, minutes: float
) -> tuple[Plan, Scenario]:
    """Activation time of every backup site (kind 'backup', or named as another's backup)."""
    backups = {s.id for s in plan.sites if s.kind == "backup"} | {
        s.backup_site for s in plan.sites if s.backup_site
    }
    if not backups:
        raise VaryError(f"plan '{plan.meta.id}' has no backup site")
    sites = tuple(
        s.model_copy(update={"activation": _with_time(s.activation, minutes)})
        if s.id in backups
        else s
        for s in plan.sites
    )
    return _plan(plan, sites=sites), scenario


def set_replication(plan: Plan, scenario: Scenario, minutes: float) -> tuple[Plan, Scenario]:
    """Replication interval of every system that holds data."""
    if not any(s.holds_data for s in plan.systems):
        raise VaryError(f"plan '{plan.meta.id}' has no system that holds data")
    systems = tuple(
        s.model_copy(update={"replication_interval": minutes}) if s.holds_data else s
        for s in plan.systems
    )
    return _plan(plan, systems=systems), scenario


def scale_response_time(plan: Plan, scenario: Scenario, factor: float) -> tuple[Plan, Scenario]:
    """Every person's on-call and off-call answering time, multiplied by ``factor``."""
    people = tuple(
        p.model_copy(
            update={
                "response_time": p.response_time.model_copy(
                    update={
                        "on_call": p.response_time.on_call * factor,
                        "off_call": None
                        if p.response_time.off_call is None
                        else p.response_time.off_call * factor,
                    }
                )
            }
        )
        for p in plan.people
    )
    return _plan(plan, people=people), scenario


def set_surge(plan: Plan, scenario: Scenario, multiplier: float) -> tuple[Plan, Scenario]:
    """Peak multiplier of every complaint surge of the scenario."""
    if not any(isinstance(e, ComplaintSurge) for e in scenario.events):
        raise VaryError(f"scenario '{scenario.meta.id}' has no complaint_surge event")
    events = tuple(
        e.model_copy(update={"multiplier": multiplier}) if isinstance(e, ComplaintSurge) else e
        for e in scenario.events
    )
    return plan, _scenario(scenario, events=events)


# --- the keys ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key a planner may vary: the kind of value it takes and what it changes."""

    name: str
    kind: Kind
    help: str
    apply: Apply | None = None
    """None for the ``agents.<site|shift>`` family, resolved by :func:`key_spec`."""


KEYS: tuple[KeySpec, ...] = (
    KeySpec(
        "agents", "count", "total agents, every staffing group scaled in proportion", set_agents
    ),
    KeySpec("agents.<site>", "count", "total agents at one site"),
    KeySpec("agents.<shift>", "count", "total agents on one shift"),
    KeySpec("reserve.size", "count", "people in every reserve staff pool", set_reserve_size),
    KeySpec(
        "reserve.call_in",
        "duration",
        "call-in time of every reserve staff pool",
        set_reserve_call_in,
    ),
    KeySpec(
        "standby.activation",
        "duration",
        "activation time of every standby system",
        set_standby_activation,
    ),
    KeySpec(
        "backup_site.activation",
        "duration",
        "activation time of every backup site",
        set_backup_site_activation,
    ),
    KeySpec(
        "replication",
        "duration",
        "replication interval of every data-holding system",
        set_replication,
    ),
    KeySpec(
        "response_time",
        "factor",
        "factor on everyone's on-call and off-call answering time",
        scale_response_time,
    ),
    KeySpec("surge", "multiplier", "peak multiplier of every complaint surge", set_surge),
)
_BY_NAME = {k.name: k for k in KEYS}
_PLACE = re.compile(r"agents\.(.+)")


def key_names() -> str:
    """The keys, as listed in error messages and help."""
    return ", ".join(k.name for k in KEYS)


def key_spec(key: str) -> KeySpec:
    """The spec of a key (``agents.<site>`` resolved to the named place)."""
    spec = _BY_NAME.get(key)
    if spec is not None and spec.apply is not None:
        return spec
    m = _PLACE.fullmatch(key)
    if m and re.fullmatch(ID_PATTERN, m.group(1)):
        place = m.group(1)
        return KeySpec(
            key, "count", f"total agents at site or on shift '{place}'", agents_at(place)
        )
    close = difflib.get_close_matches(key, [k.name for k in KEYS if k.apply is not None], n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise VaryError(f"unknown key '{key}'{hint}; keys: {key_names()}")


def parse_value(key: str, raw: object) -> Value:
    """A value for ``key`` from the command line (text) or a YAML file (number or text)."""
    kind = key_spec(key).kind
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        raise VaryError(f"{key} needs a value, got {'nothing' if raw in (None, '') else repr(raw)}")
    if kind == "duration":
        try:
            return parse_duration(raw)
        except ValueError as exc:
            raise VaryError(str(exc)) from None
    if kind == "count":
        return _count(raw)
    return _factor(raw, kind)


def _count(raw: object) -> int:
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and re.fullmatch(r"[+-]?\d+", raw.strip()):
        value = int(raw)
    else:
        raise VaryError(f"'{raw}' is not a whole number")
    if value < 0:
        raise VaryError(f"'{raw}' is below 0: a number of people cannot be negative")
    return value


def _factor(raw: object, kind: Kind) -> float:
    try:
        value = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        raise VaryError(f"'{raw}' is not a number") from None
    if not math.isfinite(value):
        raise VaryError(f"'{raw}' is not a number")
    if kind == "factor" and value <= 0:
        raise VaryError(f"'{raw}': a factor must be more than 0 (0.5 halves, 2 doubles)")
    if kind == "multiplier" and value < 1:
        raise VaryError(f"'{raw}': a surge multiplier must be at least 1 (1: no surge)")
    return value


def format_value(key: str, value: Value) -> str:
    """A value as a person would write it: '45m', '120', '0.5'."""
    kind = key_spec(key).kind
    if kind == "duration":
        return format_duration(float(value))
    return str(value) if kind == "count" else f"{value:g}"


def parse_vary(text: str) -> tuple[str, list[Value]]:
    """'KEY=V1,V2,...' -> (key, values); raises :class:`VaryError` naming the option and value."""
    key, sep, rest = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise VaryError(
            f"--vary {text}: write KEY=V1,V2,... e.g. agents=120,130; keys: {key_names()}"
        )
    try:
        key_spec(key)
        raws = [v.strip() for v in rest.split(",")]
        if not rest.strip():
            raise VaryError(f"no values after '{key}=': write e.g. {key}=V1,V2")
        return key, [parse_value(key, raw) for raw in raws]
    except VaryError as exc:
        raise VaryError(f"--vary {text}: {exc}") from None


def combinations(varies: Sequence[tuple[str, Sequence[Value]]]) -> list[dict[str, Value]]:
    """Every combination of the values, the first key slowest; the first one is the baseline."""
    keys = [k for k, _ in varies]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise VaryError(
            f"--vary {repeated[0]} is given more than once; list all its values in one --vary"
        )
    return [
        dict(zip(keys, values, strict=True))
        for values in itertools.product(*(v for _, v in varies))
    ]


# --- applying variants ---------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A named set of changes to the baseline plan and scenario."""

    name: str
    settings: dict[str, Value] = field(default_factory=dict)


def variant_name(settings: Mapping[str, Value]) -> str:
    """'agents=120, reserve.size=30' ('baseline' when nothing changes)."""
    return ", ".join(f"{k}={format_value(k, v)}" for k, v in settings.items()) or "baseline"


def as_variants(combos: Iterable[Mapping[str, Value] | Variant]) -> list[Variant]:
    """Name unnamed combinations after their settings."""
    return [c if isinstance(c, Variant) else Variant(variant_name(c), dict(c)) for c in combos]


def apply_setting(plan: Plan, scenario: Scenario, key: str, value: Value) -> tuple[Plan, Scenario]:
    """One key's change; a :class:`VaryError` names the key and value."""
    spec = key_spec(key)
    assert spec.apply is not None
    try:
        return spec.apply(plan, scenario, value)
    except VaryError as exc:
        raise VaryError(f"{key}={format_value(key, value)}: {exc}") from None


def apply_variant(
    plan: Plan, scenario: Scenario, settings: Mapping[str, Value]
) -> tuple[Plan, Scenario]:
    """The baseline with every setting applied, in order."""
    for key, value in settings.items():
        plan, scenario = apply_setting(plan, scenario, key, value)
    return plan, scenario


# --- variants file -------------------------------------------------------------------


class VariantEntry(StrictModel):
    """One named combination in a variants file."""

    name: NonEmptyText
    """Name shown in tables and files, e.g. 'more_reserves'."""
    set: dict[str, Any] = Field(default_factory=dict)
    """Keys and values, e.g. {agents: 130, reserve.call_in: 45m}; empty: the baseline as is."""


class VariantsFile(StrictModel):
    """A list of named combinations; the first one is the baseline."""

    variants: tuple[VariantEntry, ...] = Field(min_length=1)
    """The combinations, baseline first."""

    @model_validator(mode="after")
    def _values(self, info: ValidationInfo) -> VariantsFile:
        issues: list[Issue] = []
        seen: set[str] = set()
        context = info.context or {}
        for i, entry in enumerate(self.variants):
            if entry.name in seen:
                issues.append(
                    Issue(
                        ("variants", i, "name"),
                        f"name '{entry.name}' is used by an earlier variant",
                    )
                )
            seen.add(entry.name)
            settings: dict[str, Value] = {}
            for key, raw in entry.set.items():
                try:
                    settings[key] = parse_value(key, raw)
                except VaryError as exc:
                    issues.append(Issue(("variants", i, "set", key), str(exc)))
            plan, scenario = context.get("plan"), context.get("scenario")
            if plan is not None and scenario is not None and len(settings) == len(entry.set):
                for key, value in settings.items():
                    try:
                        plan, scenario = apply_setting(plan, scenario, key, value)
                    except VaryError as exc:
                        issues.append(Issue(("variants", i, "set", key), str(exc)))
                        break
        raise_consistency(issues)
        return self

    def to_variants(self) -> list[Variant]:
        """The entries with their values parsed."""
        return [
            Variant(e.name, {k: parse_value(k, v) for k, v in e.set.items()}) for e in self.variants
        ]


def variants_from_file(
    path: str | Path, plan: Plan | None = None, scenario: Scenario | None = None
) -> list[Variant]:
    """Read a variants file; with ``plan`` and ``scenario``, also check each variant applies.

    Raises :class:`plans.ModelFileError` listing every problem with file, line and path.
    """
    context = (
        {"plan": plan, "scenario": scenario} if plan is not None and scenario is not None else None
    )
    return load_model(path, VariantsFile, context).to_variants()
