"""Display names of a plan's ids, in the language in use.

Why a module of its own: reports, drills and the console show a role, a system or a
channel to people by its name, not its id, and a plan may give each name in Chinese,
English or both; one lookup keeps every place showing the same name, falling back to
the other language, then to the id, so nothing is ever blank.
"""

from __future__ import annotations

from typing import Protocol

from i18n import _, local_text


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class _NamedPlan(Protocol):
    @property
    def people(self) -> tuple[_Named, ...]: ...
    @property
    def roles(self) -> tuple[_Named, ...]: ...
    @property
    def sites(self) -> tuple[_Named, ...]: ...
    @property
    def systems(self) -> tuple[_Named, ...]: ...
    @property
    def resources(self) -> tuple[_Named, ...]: ...
    @property
    def channels(self) -> tuple[_Named, ...]: ...
    @property
    def shifts(self) -> tuple[_Named, ...]: ...
    @property
    def event_classes(self) -> tuple[_Named, ...]: ...


def display_names(plan: _NamedPlan) -> dict[str, str]:
    """Every id of the plan (people, roles, sites, systems, resources, channels,
    shifts, event classes) -> its name in the language in use."""
    out: dict[str, str] = {}
    for group in (
        plan.people,
        plan.roles,
        plan.sites,
        plan.systems,
        plan.resources,
        plan.channels,
        plan.shifts,
        plan.event_classes,
    ):
        for item in group:
            out[item.id] = local_text(item.name, fallback=item.id)
    return out


def name_of(plan: _NamedPlan, ident: str) -> str:
    """The name of one id in the language in use; the id itself when the plan has none."""
    return display_names(plan).get(ident, ident)


def plan_name(plan: object) -> str:
    """The plan's title in the language in use (its id when it has none)."""
    meta = getattr(plan, "meta", None)
    return local_text(getattr(meta, "name", None), fallback=str(getattr(meta, "id", "")))


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """'Phone, Chat' / '电话、在线客服': a list of names as the language in use writes it."""
    return _(", ").join(names)
