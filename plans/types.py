"""Reusable field types for plan and scenario files.

Why a module of its own: every file format in drillsim (plans, scenarios, later drill
scripts) writes durations, ids and shares the same way, and a coordinator should get
the same message for the same mistake wherever it is made.

Durations are written as people write them ("90s", "15m", "4h", "3d", "1h30m") and
held inside as float minutes, the simulation's time unit. They dump back to the same
kind of text, so a plan survives load -> dump -> load unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from i18n import N_, _

FROM_FILE = "from_file"
"""Validation-context key the loader sets: numbers without units are then refused."""

_UNIT_MINUTES = {"s": 1 / 60, "m": 1.0, "h": 60.0, "d": 1440.0, "w": 10080.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw])")
DURATION_PATTERN = r"^\s*(\d+(\.\d+)?\s*[smhdw]\s*)+$"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_HELP = "Lower-case id: letters, digits and underscores, starting with a letter."


def parse_duration(value: Any) -> float:
    """Turn "90s", "15m", "4h", "3d" or "1h30m" into minutes.

    A bare number is refused on purpose: "15" could mean seconds or minutes, and a
    plan read the wrong way round is worse than one that does not load.
    """
    expected = _("expected a duration such as '90s', '15m', '4h' or '3d'")
    if isinstance(value, bool):
        raise ValueError(expected)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(expected)
    if isinstance(value, int | float):
        raise ValueError(
            _("duration {shown} has no unit: write it as e.g. '{value}m' or '{value}s'").format(
                shown=repr(value), value=value
            )
        )
    if not isinstance(value, str):
        raise ValueError(expected)
    text = value.strip().lower()
    if not re.fullmatch(DURATION_PATTERN, text):
        raise ValueError(
            _("'{value}' is not a duration: write e.g. '90s', '15m', '4h', '3d' or '1h30m'").format(
                value=value
            )
        )
    return sum(float(num) * _UNIT_MINUTES[unit] for num, unit in _PART.findall(text))


def format_duration(minutes: float) -> str:
    """Write minutes back in the largest whole unit that keeps the exact value.

    Fractional seconds keep six decimals, written out (never "5e-06s") so they parse again.
    """
    seconds = round(minutes * 60, 6)
    if seconds == 0:
        return "0m"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    if seconds == int(seconds):
        return f"{int(seconds)}s"
    return f"{seconds:.6f}".rstrip("0") + "s"


def human_minutes(minutes: float) -> str:
    """'1h05m', '45m' or 'never' (for an infinite time): for reports, not for files.

    A negative time keeps its magnitude and takes a minus sign ('-1h52m'): reports
    should never show one, but when one slips through the text must not lie.
    In Chinese: '1小时05分', '45分钟', '无法达到'.
    """
    if minutes != minutes or minutes in (float("inf"), float("-inf")):
        return _("never")
    whole = round(minutes)
    if whole < 0:
        # divmod on a negative number floors (-112 -> -2h, 08m), which would print
        # '-2h08m' for 1h52m before; the sign goes in front of the magnitude instead.
        return "-" + human_minutes(-whole)
    hours, mins = divmod(whole, 60)
    if hours:
        return _("{hours}h{mins:02d}m").format(hours=hours, mins=mins)
    return _("{mins}m").format(mins=mins)


_UNIT_TEXT = {"d": N_("{n}d"), "h": N_("{n}h"), "m": N_("{n}m"), "s": N_("{n}s")}


def human_duration(minutes: float) -> str:
    """As :func:`format_duration` ('15m', '4h'), in the words of the language in use.

    For messages people read; English gives exactly what :func:`format_duration` writes.
    """
    text = format_duration(minutes)
    number, unit = text[:-1], text[-1]
    return _(_UNIT_TEXT[unit]).format(n=number)


def _duration_input(value: Any, info: ValidationInfo) -> float:
    """Numbers are minutes in code, but a file must say its unit."""
    from_file = bool(info.context and info.context.get(FROM_FILE))
    if not from_file and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return parse_duration(value)


def _non_negative(value: float) -> float:
    if value < 0:
        raise ValueError(_("a duration cannot be negative"))
    return value


Duration = Annotated[
    float,
    BeforeValidator(_duration_input),
    AfterValidator(_non_negative),
    PlainSerializer(format_duration, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DURATION_PATTERN,
            "description": "A duration such as '90s', '15m', '4h', '3d' or '1h30m'.",
            "examples": ["90s", "15m", "4h", "3d"],
        }
    ),
]
"""A span of time, held as minutes."""

Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=64,
        description=ID_HELP,
    ),
]
"""A lower-case snake_case identifier, unique across the whole file."""

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
"""A share or probability in [0, 1]."""

Headcount = Annotated[int, Field(ge=0)]
"""A number of people or seats."""

NonEmptyText = Annotated[str, Field(min_length=1)]
"""Free text that must say something."""

LANGUAGE_KEYS = {"zh-CN": "zh-CN", "zh": "zh-CN", "zh_CN": "zh-CN", "en": "en"}
"""How a plan may name the languages of a text given in both."""


class LocalText(str):
    """A name or text given in one or both languages; as a ``str``, the first one given.

    Why a ``str``: code that only needs some text (ids in messages, sorting, a
    search) keeps working; what shows a name to a person asks for the language in
    use with :func:`i18n.local_text`, which reads :attr:`texts`.
    """

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> LocalText:
        obj = super().__new__(cls, next(iter(texts.values())))
        obj.texts = dict(texts)
        return obj

    def __reduce__(self) -> tuple[type, tuple[dict[str, str]]]:
        return (LocalText, (self.texts,))


def _local_text(value: Any) -> str:
    """``{zh: 赵磊, en: Zhao Lei}`` -> LocalText; a plain string stays as it is."""
    if isinstance(value, str):
        if not value:
            raise PydanticCustomError(
                "string_too_short",
                "String should have at least 1 character",  # not for people: pydantic's text
                {"min_length": 1},
            )
        return value
    if not isinstance(value, Mapping):
        msg = "Input should be a valid string"  # not for people: pydantic's text, see plans.io
        raise PydanticCustomError("string_type", msg)
    if not value:
        raise PydanticCustomError("local_text_empty", _("give the text in zh-CN, en or both"))
    texts: dict[str, str] = {}
    for key, text in value.items():
        lang = LANGUAGE_KEYS.get(str(key))
        if lang is None:
            raise PydanticCustomError(
                "local_text_language",
                _("unknown language '{key}': write the text as zh-CN, en or both"),
                {"key": key},
            )
        if not isinstance(text, str) or not text.strip():
            raise PydanticCustomError(
                "local_text_blank", _("the {lang} text is empty"), {"lang": lang}
            )
        texts[lang] = text
    return LocalText(texts)


def _local_text_or_empty(value: Any) -> str:
    """As :func:`_local_text`, but an empty string is allowed (an optional text)."""
    if isinstance(value, str):
        return value
    return _local_text(value)


def _dump_local_text(value: str) -> str | dict[str, str]:
    return value.texts if isinstance(value, LocalText) else value


_BOTH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"zh-CN": {"type": "string"}, "en": {"type": "string"}},
    "additionalProperties": False,
    "minProperties": 1,
}
_LOCAL_HELP = "A text in Chinese, English or both, e.g. {zh-CN: 赵磊, en: Zhao Lei}."

LocalName = Annotated[
    str,
    PlainValidator(_local_text),
    PlainSerializer(_dump_local_text),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1}, _BOTH_SCHEMA], "description": _LOCAL_HELP}
    ),
]
"""A display name in Chinese, English or both (``{zh-CN: 赵磊, en: Zhao Lei}``).

Typed ``str`` for the code: the value is a plain ``str`` or a :class:`LocalText`.
"""

LocalDescription = Annotated[
    str,
    PlainValidator(_local_text_or_empty),
    PlainSerializer(_dump_local_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, _BOTH_SCHEMA], "description": _LOCAL_HELP}),
]
"""An optional text (may be empty) in Chinese, English or both."""


@dataclass(frozen=True, slots=True)
class Ref:
    """Marks a field as a reference to an id declared in another part of the file.

    The loader finds these marks through the model's annotations, so it can report a
    dangling reference with its exact path even when other parts of the file are broken.
    """

    kinds: tuple[str, ...]
    """Which collections the id may come from (e.g. ``("roles",)``)."""

    @property
    def label(self) -> str:
        """Human wording for the target, e.g. 'role' or 'system or site'."""
        return kind_label(*self.kinds)


def kind_label(*kinds: str) -> str:
    """'role', 'system or site': what a collection holds, in the language in use."""
    words = [_(KIND_LABELS[kind]) if kind in KIND_LABELS else kind for kind in kinds]
    text = words[0] if words else ""
    for word in words[1:]:
        text = _("{first} or {second}").format(first=text, second=word)
    return text


KIND_LABELS = {
    "roles": N_("role"),
    "people": N_("person"),
    "sites": N_("site"),
    "systems": N_("system"),
    "resources": N_("resource"),
    "channels": N_("channel"),
    "shifts": N_("shift"),
    "event_classes": N_("event class"),
    "events": N_("event"),
    "objectives": N_("objective"),
}

RoleRef = Annotated[str, Ref(("roles",))]
PersonRef = Annotated[str, Ref(("people",))]
SiteRef = Annotated[str, Ref(("sites",))]
SystemRef = Annotated[str, Ref(("systems",))]
ResourceRef = Annotated[str, Ref(("resources",))]
ChannelRef = Annotated[str, Ref(("channels",))]
ShiftRef = Annotated[str, Ref(("shifts",))]
EventClassRef = Annotated[str, Ref(("event_classes",))]
DependencyRef = Annotated[str, Ref(("systems", "sites", "resources"))]
ActionTargetRef = Annotated[str, Ref(("systems", "sites", "resources", "channels", "roles"))]
