"""Find duplicate ids and dangling references in raw file data.

Why on raw data and not only on the validated model: pydantic stops before its
after-validators when any field is wrong, so a user with one typo in a duration would
not hear about a misspelt role id until the next try. Walking the raw data guided by
the model's annotations (fields marked with :class:`plans.types.Ref`) reports both at
once, with exact paths. The same walk checks validated models, so there is one rule.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Mapping
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from i18n import _
from plans.issues import Issue, Loc, format_loc
from plans.types import Ref, kind_label


def _split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    if get_origin(annotation) is typing.Annotated:
        base, *meta = get_args(annotation)
        inner, more = _split_annotated(base)
        return inner, [*meta, *more]
    return annotation, []


def _model_class(annotation: Any) -> type[BaseModel] | None:
    base, _meta = _split_annotated(annotation)
    if isinstance(base, type) and issubclass(base, BaseModel):
        return base
    return None


def union_models(annotation: Any) -> list[type[BaseModel]]:
    """The model classes of a (possibly annotated) union of models, else []."""
    base, _meta = _split_annotated(annotation)
    if get_origin(base) not in (Union, types.UnionType):
        return []
    members = [_model_class(a) for a in get_args(base) if a is not type(None)]
    return [m for m in members if m is not None] if all(members) else []


def pick_member(members: list[type[BaseModel]], value: Any) -> type[BaseModel] | None:
    """The member a mapping is read as, by its discriminator (a Literal field such as 'kind')."""
    if not isinstance(value, Mapping):
        return None
    for model in members:
        for name, field in model.model_fields.items():
            if get_origin(field.annotation) is typing.Literal and name in value:
                if value[name] in get_args(field.annotation):
                    return model
                break
    return None


def item_model(annotation: Any, value: Any) -> type[BaseModel] | None:
    """The model class a value is read as under an annotation, unions resolved by the value."""
    model = _model_class(annotation)
    if model is not None:
        return model
    return pick_member(union_models(annotation), value)


def _walk(
    annotation: Any, metadata: list[Any], value: Any, loc: Loc
) -> Iterator[tuple[Loc, Ref, str]]:
    """Yield (loc, ref, id) for every reference found under ``value``."""
    base, meta = _split_annotated(annotation)
    meta = [*metadata, *meta]
    ref = next((m for m in meta if isinstance(m, Ref)), None)
    if ref is not None and isinstance(value, str):
        yield loc, ref, value
        return
    origin = get_origin(base)
    members = union_models(base)
    if members:
        chosen = pick_member(members, value)
        if chosen is not None:
            yield from iter_refs(chosen, value, loc)
        return  # an unknown kind is reported by validation; its fields cannot be judged
    if origin in (Union, types.UnionType):
        for arg in get_args(base):
            if arg is type(None):
                continue
            yield from _walk(arg, meta, value, loc)
        return
    if origin in (tuple, list) and isinstance(value, list | tuple):
        args = [a for a in get_args(base) if a is not Ellipsis]
        if args:
            for i, item in enumerate(value):
                yield from _walk(args[0], [], item, (*loc, i))
        return
    if origin is dict and isinstance(value, Mapping):
        key_type, value_type = get_args(base)
        for key, item in value.items():
            yield from _walk(key_type, [], key, (*loc, key))  # ids used as keys
            yield from _walk(value_type, [], item, (*loc, key))
        return
    model = _model_class(base)
    if model is not None and isinstance(value, Mapping):
        yield from iter_refs(model, value, loc)


def iter_refs(
    model: type[BaseModel], data: Mapping[str, Any], loc: Loc = ()
) -> Iterator[tuple[Loc, Ref, str]]:
    """Every reference in ``data`` read as ``model``: (path, Ref marker, id)."""
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key not in data:
            continue
        yield from _walk(field.annotation, list(field.metadata), data[key], (*loc, key))


def collect_ids(
    model: type[BaseModel], data: Mapping[str, Any]
) -> tuple[dict[str, dict[str, Loc]], list[Issue]]:
    """Ids declared in each top-level collection, plus an issue per duplicate id.

    Ids are unique across the whole file, not per collection, because they name the
    nodes of one graph: a role and a system both called 'crm' would be ambiguous.
    """
    declared: dict[str, dict[str, Loc]] = {}
    seen: dict[str, Loc] = {}
    issues: list[Issue] = []
    for name, field in model.model_fields.items():
        base, _meta = _split_annotated(field.annotation)
        if get_origin(base) not in (tuple, list):
            continue
        item_type = get_args(base)[0]
        members = [_model_class(item_type)] if _model_class(item_type) else union_models(item_type)
        if not members or not all("id" in m.model_fields for m in members if m is not None):
            continue
        bucket = declared.setdefault(name, {})
        items = data.get(name)
        if not isinstance(items, list | tuple):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                continue
            ident, where = item["id"], (name, i, "id")
            if ident in seen:
                issues.append(
                    Issue(
                        where,
                        _("duplicate id '{ident}': already used at {where}").format(
                            ident=ident, where=format_loc(seen[ident])
                        ),
                    )
                )
                continue
            seen[ident] = where
            bucket[ident] = where
    return declared, issues


def reference_issues(
    model: type[BaseModel],
    data: Mapping[str, Any],
    extra_ids: Mapping[str, set[str]] | None = None,
) -> list[Issue]:
    """Duplicate ids and references to ids that no collection declares.

    ``extra_ids`` adds ids declared elsewhere (a scenario names the plan's ids).
    References to kinds the file does not declare and ``extra_ids`` does not give
    are left alone: they can only be checked against the other file.
    """
    declared, issues = collect_ids(model, data)
    checkable = set(declared) | set(extra_ids or {})
    for loc, ref, ident in iter_refs(model, data):
        if not checkable.intersection(ref.kinds):
            continue  # ids of another file (a scenario naming plan ids without the plan)
        if any(ident in declared.get(kind, {}) for kind in ref.kinds):
            continue
        if extra_ids and any(ident in extra_ids.get(kind, set()) for kind in ref.kinds):
            continue
        wrong_kind = [kind for kind, ids in declared.items() if ident in ids]
        if wrong_kind:
            found = kind_label(wrong_kind[0])
            msg = _("'{ident}' is a {found}, but a {expected} is expected here").format(
                ident=ident, found=found, expected=ref.label
            )
            issues.append(Issue(loc, msg))
        else:
            known = sorted(
                {i for kind in ref.kinds for i in declared.get(kind, {})}
                | {i for kind in ref.kinds for i in (extra_ids or {}).get(kind, set())}
            )
            close = difflib.get_close_matches(ident, known, n=1)
            if close:
                msg = _("unknown {kind} '{ident}' (did you mean '{close}'?)").format(
                    kind=ref.label, ident=ident, close=close[0]
                )
            else:
                msg = _("unknown {kind} '{ident}'").format(kind=ref.label, ident=ident)
            issues.append(Issue(loc, msg))
    return list(dict.fromkeys(issues))
