"""One field of a history row read into its value, or the reason it cannot be.

Why apart from the reader: these are the rules a planner would check by hand (a date
with a time, no negative duration, counts that add up, an outcome drillsim knows), each
giving a sentence that names what is wrong; the reader only walks the rows.
Times: ISO 8601 with or without a UTC offset. A time with an offset is exact, whatever
the offset (exports that mix +08:00 and Z, or a summer and a winter offset, are read
as the instants they name); a time without one is read in the plan's time zone. A file
that mixes both is ambiguous (is 09:00 local or UTC?): the rows of the style the file's
first time does not use are refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from zoneinfo import ZoneInfo

from i18n import _

QUARTER_S = 900


class Bad(ValueError):
    """A field that cannot be used; the message is for a person."""


class Clock:
    """Reads times of one file: UTC instant and the plan zone's offset at that instant."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.aware: bool | None = None  # whether the file's first time had an offset
        self._offsets: dict[int, float] = {}  # quarter-hour -> offset (zones change on those)

    def read(self, text: str) -> tuple[float, float]:
        """(epoch seconds UTC, offset of the plan's zone then, in seconds)."""
        try:
            when = dt.datetime.fromisoformat(text)
        except ValueError:
            raise Bad(_not_a_time(text)) from None
        if "T" not in text and "t" not in text and " " not in text:
            raise Bad(_("'{text}' is a date without a time of day").format(text=text))
        aware = when.tzinfo is not None
        if self.aware is None:
            self.aware = aware
        elif aware != self.aware:
            raise Bad(
                _(
                    "'{text}' has a UTC offset and the file's first time has none: "
                    "give every time an offset, or none"
                ).format(text=text)
                if aware
                else _(
                    "'{text}' has no UTC offset and the file's first time has one: "
                    "give every time an offset, or none"
                ).format(text=text)
            )
        if not aware:
            # a time in a spring-forward gap is read as if the clock had not moved (fold 0)
            local = when.replace(tzinfo=self.zone)
            offset = local.utcoffset()
            return local.timestamp(), offset.total_seconds() if offset else 0.0
        ts = when.timestamp()
        key = int(ts // QUARTER_S)
        found = self._offsets.get(key)
        if found is None:
            offset = dt.datetime.fromtimestamp(ts, self.zone).utcoffset()
            found = self._offsets[key] = offset.total_seconds() if offset else 0.0
        return ts, found


def _not_a_time(text: str) -> str:
    return _(
        "'{text}' is not a date and time; write ISO 8601, e.g. 2026-03-02 09:15:00 "
        "or 2026-03-02T09:15:00+08:00"
    ).format(text=text)


def number(text: str, decimal_comma: bool) -> float:
    """A finite number; a decimal comma is read when the delimiter is not a comma."""
    try:
        value = float(text)
    except ValueError:
        if decimal_comma and text.count(",") == 1:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                raise Bad(_("'{text}' is not a number").format(text=text)) from None
        else:
            if not text:
                raise Bad(_("is empty; a number is needed")) from None
            raise Bad(_("'{text}' is not a number").format(text=text)) from None
    if not math.isfinite(value):
        raise Bad(_("'{text}' is not a finite number").format(text=text))
    return value


def seconds(text: str, decimal_comma: bool) -> float:
    """A duration in seconds, 0 or more."""
    value = number(text, decimal_comma)
    if value < 0:
        raise Bad(_("negative duration {text} s").format(text=text))
    return value


def count(text: str, decimal_comma: bool) -> int:
    """A whole count, 0 or more ('12' or '12.0')."""
    value = number(text, decimal_comma)
    if value != int(value):
        raise Bad(_("'{text}' is not a whole number").format(text=text))
    if value < 0:
        raise Bad(_("negative count {text}").format(text=text))
    return int(value)


def known(text: str, allowed: tuple[str, ...] | frozenset[str], what: str, column: str) -> str:
    """``text`` if it is one of ``allowed``; else a reason naming them and the mapping fix.

    ``what`` is an untranslated name (``N_``), translated only when the value is refused.
    """
    if text in allowed:
        return text
    if not text:
        raise Bad(_("is empty; one of {allowed} is needed").format(allowed=", ".join(allowed)))
    close = difflib.get_close_matches(text, list(allowed), n=1)
    hint = close[0] if close else "..."
    reason = _(
        "unknown {what} '{text}': use one of {allowed}, or map it in a mapping file "
        "(values: {{{column}: {{{text}: {hint}}}}})"
    ).format(what=_(what), text=text, allowed=", ".join(sorted(allowed)), column=column, hint=hint)
    if close:
        reason += " " + _("(did you mean '{name}'?)").format(name=close[0])
    raise Bad(reason)
