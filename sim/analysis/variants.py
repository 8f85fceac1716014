"""Plan and scenario variants: the keys a planner varies, their values, and variants files.

What lives here: the table of keys (:data:`KEYS`), reading and writing their values,
``--vary KEY=V1,V2`` and the combinations it spans, named variants and applying them
in order, and the variants file of ``drillsim compare``. What each key changes is
:mod:`sim.analysis.variant_changes`.

Values are typed: whole numbers (agents, pool sizes), durations written like the
files write them ('45m', '1h30m', held as minutes), factors (``response_time=0.5``
halves everyone's answering time) and multipliers (a surge's peak).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from i18n import N_, _
from plans.base import StrictModel
from plans.checks import raise_consistency
from plans.io import load_model
from plans.issues import Issue
from plans.model import Plan
from plans.types import ID_PATTERN, NonEmptyText, format_duration, parse_duration
from scenarios.model import Scenario
from sim.analysis.variant_changes import (
    Apply,
    VaryError,
    agents_at,
    scale_response_time,
    set_agents,
    set_backup_site_activation,
    set_replication,
    set_reserve_call_in,
    set_reserve_size,
    set_standby_activation,
    set_surge,
)

Value = int | float
"""A parsed value: a whole number, or minutes, or a factor."""
Kind = Literal["count", "duration", "factor", "multiplier"]


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
        "agents",
        "count",
        N_("total agents, every staffing group scaled in proportion"),
        set_agents,
    ),
    KeySpec("agents.<site>", "count", N_("total agents at one site")),
    KeySpec("agents.<shift>", "count", N_("total agents on one shift")),
    KeySpec("reserve.size", "count", N_("people in every reserve staff pool"), set_reserve_size),
    KeySpec(
        "reserve.call_in",
        "duration",
        N_("call-in time of every reserve staff pool"),
        set_reserve_call_in,
    ),
    KeySpec(
        "standby.activation",
        "duration",
        N_("activation time of every standby system"),
        set_standby_activation,
    ),
    KeySpec(
        "backup_site.activation",
        "duration",
        N_("activation time of every backup site"),
        set_backup_site_activation,
    ),
    KeySpec(
        "replication",
        "duration",
        N_("replication interval of every data-holding system"),
        set_replication,
    ),
    KeySpec(
        "response_time",
        "factor",
        N_("factor on everyone's on-call and off-call answering time"),
        scale_response_time,
    ),
    KeySpec("surge", "multiplier", N_("peak multiplier of every complaint surge"), set_surge),
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
            key,
            "count",
            _("total agents at site or on shift '{place}'").format(place=place),
            agents_at(place),
        )
    close = difflib.get_close_matches(key, [k.name for k in KEYS if k.apply is not None], n=1)
    if close:
        raise VaryError(
            _("unknown key '{key}' (did you mean '{close}'?); keys: {keys}").format(
                key=key, close=close[0], keys=key_names()
            )
        )
    raise VaryError(_("unknown key '{key}'; keys: {keys}").format(key=key, keys=key_names()))


def parse_value(key: str, raw: object) -> Value:
    """A value for ``key`` from the command line (text) or a YAML file (number or text)."""
    kind = key_spec(key).kind
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        got = _("nothing") if raw in (None, "") else repr(raw)
        raise VaryError(_("{key} needs a value, got {got}").format(key=key, got=got))
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
        raise VaryError(_("'{raw}' is not a whole number").format(raw=raw))
    if value < 0:
        raise VaryError(
            _("'{raw}' is below 0: a number of people cannot be negative").format(raw=raw)
        )
    return value


def _factor(raw: object, kind: Kind) -> float:
    try:
        value = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        raise VaryError(_("'{raw}' is not a number").format(raw=raw)) from None
    if not math.isfinite(value):
        raise VaryError(_("'{raw}' is not a number").format(raw=raw))
    if kind == "factor" and value <= 0:
        raise VaryError(
            _("'{raw}': a factor must be more than 0 (0.5 halves, 2 doubles)").format(raw=raw)
        )
    if kind == "multiplier" and value < 1:
        raise VaryError(
            _("'{raw}': a surge multiplier must be at least 1 (1: no surge)").format(raw=raw)
        )
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
            _("--vary {text}: write KEY=V1,V2,... e.g. agents=120,130; keys: {keys}").format(
                text=text, keys=key_names()
            )
        )
    try:
        key_spec(key)
        raws = [v.strip() for v in rest.split(",")]
        if not rest.strip():
            raise VaryError(_("no values after '{key}=': write e.g. {key}=V1,V2").format(key=key))
        return key, [parse_value(key, raw) for raw in raws]
    except VaryError as exc:
        raise VaryError(f"--vary {text}: {exc}") from None


def combinations(varies: Sequence[tuple[str, Sequence[Value]]]) -> list[dict[str, Value]]:
    """Every combination of the values, the first key slowest; the first one is the baseline."""
    keys = [k for k, _ in varies]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise VaryError(
            _("--vary {key} is given more than once; list all its values in one --vary").format(
                key=repeated[0]
            )
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
                        _("name '{name}' is used by an earlier variant").format(name=entry.name),
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
