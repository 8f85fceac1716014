"""Pydantic's error messages in the words of the language in use.

Why here and not in pydantic: pydantic writes its messages in English only. The
loader keeps pydantic's own English byte for byte (tests and users' scripts read
it) and, in another language, rebuilds the reason from the error's type and its
context (the bound, the pattern, the expected choices). A type not listed here keeps
pydantic's English message, which is still correct, only untranslated.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from i18n import N_, _, current_language, ngettext
from plans.issues import Issue, Loc
from plans.refs import item_model
from plans.types import ID_PATTERN

PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("Field required"),
    "extra_forbidden": N_("Extra inputs are not permitted"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "dict_type": N_("Input should be a valid dictionary"),
    "mapping_type": N_("Input should be a valid mapping"),
    "list_type": N_("Input should be a valid list"),
    "tuple_type": N_("Input should be a valid tuple"),
    "none_required": N_("Input should be None"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "too_short": N_("Should have at least {min_length} items, not {actual_length}"),
    "too_long": N_("Should have at most {max_length} items, not {actual_length}"),
    "string_type": N_("Input should be a valid string"),
    "string_too_short": N_("String should have at least {min_length} characters"),
    "string_too_long": N_("String should have at most {max_length} characters"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "bool_type": N_("Input should be a valid boolean"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "int_type": N_("Input should be a valid integer"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_parsing_size": N_("Unable to parse input string as an integer, exceeded maximum size"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_type": N_("Input should be a valid number"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "literal_error": N_("Input should be {expected}"),
    "enum": N_("Input should be {expected}"),
    "date_type": N_("Input should be a valid date"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "datetime_type": N_("Input should be a valid datetime"),
    "datetime_parsing": N_("Input should be a valid datetime"),
    "datetime_from_date_parsing": N_("Input should be a valid datetime or date"),
}
"""Error type -> a template with the fields of the error's context."""


def pydantic_reason(kind: str, msg: str, ctx: Mapping[str, Any] | None) -> str:
    """Pydantic's message ``msg`` for an error of type ``kind``, in the language in use.

    English returns ``msg`` untouched; another language formats the catalog's
    template with the context, falling back to ``msg`` when there is none.
    """
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None or current_language() == "en":
        return msg
    translated = _(template)
    if translated == template:
        return msg
    fields = {  # 1.0 -> 1, as pydantic writes a bound
        k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in (ctx or {}).items()
    }
    if "expected" in fields:  # "'a', 'b' or 'c'": pydantic's English "or" becomes a list
        fields["expected"] = str(fields["expected"]).replace(" or ", ", ")
    try:
        return translated.format(**fields)
    except (KeyError, IndexError, ValueError):
        return msg


def _model_at(cls: type[BaseModel], loc: Loc, data: Any) -> type[BaseModel] | None:
    """The model class that the mapping at ``loc`` is read as, if any (unions by their tag)."""
    current: Any = cls
    node = data
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list | tuple) and 0 <= part < len(node) else None
            current = _element_type(current)
            continue
        model = item_model(current, node) or _as_model(current)
        if model is None:
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        current = field.annotation
        node = node.get(part) if isinstance(node, Mapping) else None
    return item_model(current, node) or _as_model(current)


def _element_type(annotation: Any) -> Any:
    """The item type of a tuple or list annotation (through Annotated and Optional)."""
    seen = [annotation]
    while seen:
        ann = seen.pop()
        origin = get_origin(ann)
        if origin in (tuple, list):
            return get_args(ann)[0]
        if origin is typing.Annotated:
            seen.append(get_args(ann)[0])
        else:
            seen.extend(a for a in get_args(ann) if a is not type(None))
    return annotation


def _as_model(annotation: Any) -> type[BaseModel] | None:
    seen = [annotation]
    while seen:
        ann = seen.pop()
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            return ann
        if get_origin(ann) is typing.Annotated:
            seen.append(get_args(ann)[0])
        elif get_origin(ann) is dict:
            seen.append(get_args(ann)[1])
        else:
            seen.extend(a for a in get_args(ann) if a is not Ellipsis and a is not type(None))
    return None


def error_reason(cls: type[BaseModel], err: Any, loc: Loc, data: Any) -> str:
    """The reason of one pydantic error, in words that say what to fix."""
    kind = err["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        return _("missing required field '{name}'").format(name=name)
    if kind == "extra_forbidden":
        parent = _model_at(cls, loc[:-1], data)
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(name), allowed, n=1)
        if close:
            return _("unknown field '{name}' (did you mean '{close}'?)").format(
                name=name, close=close[0]
            )
        return _("unknown field '{name}'").format(name=name)
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if kind in {"value_error", "assertion_error"}:
        return msg
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return _(
            "{value} is not a valid id: use lower-case letters, digits and underscores, "
            "starting with a letter"
        ).format(value=repr(value))
    if kind == "too_short" and isinstance(value, list | tuple):
        need = ctx.get("min_length", 1)
        return ngettext(
            "needs at least {need} item, got {got}", "needs at least {need} items, got {got}", need
        ).format(need=need, got=len(value))
    tuple_words = ("a valid tuple", "a list")  # not for people: pydantic's English
    msg = pydantic_reason(kind, msg, ctx).replace(*tuple_words)
    shown = (
        repr(value)
        if isinstance(value, str | int | float | bool) or value is None
        else type(value).__name__
    )
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return _("{reason} (got {value})").format(reason=f"{msg[0].lower()}{msg[1:]}", value=shown)


def tag_issue(err: Any, loc: Loc) -> Issue:
    """An unknown or missing 'kind' / 'dist': point at that field and list the choices."""
    ctx = err.get("ctx") or {}
    field = str(ctx.get("discriminator", "kind")).strip("'")
    if err["type"] == "union_tag_not_found":
        return Issue((*loc, field), _("missing required field '{name}'").format(name=field))
    return Issue(
        (*loc, field),
        _("unknown {field} '{tag}': expected one of {expected}").format(
            field=field, tag=ctx.get("tag"), expected=ctx.get("expected_tags")
        ),
    )
