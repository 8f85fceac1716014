"""Weekly time windows: on-call hours and shifts.

Why a week clock: on-call cover, shifts and response times all repeat weekly, so every
question "who is reachable at this moment?" reduces to a minute of the week
(0 = Monday 00:00, 10079 = Sunday 23:59).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from i18n import N_, _
from plans.base import StrictModel

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEK_MINUTES = 7 * 24 * 60
ALL_DAYS_WORDS = {"all", "daily", "every_day"}
WEEKDAY_WORDS = {"weekdays"}
WEEKEND_WORDS = {"weekend", "weekends"}

_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_hours(value: object) -> tuple[int, int]:
    """Read "08:00-20:00" (or "20:00-08:00" across midnight) as minutes of the day."""
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    if not isinstance(value, str):
        raise ValueError(_("expected hours such as '08:00-20:00'"))
    match = _HOURS.match(value)
    if not match:
        raise ValueError(
            _("'{value}' is not an hours range: write e.g. '08:00-20:00'").format(value=value)
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59 or (h1 == 24 and m1) or (h2 == 24 and m2):
        raise ValueError(_("'{value}' has a time outside 00:00-24:00").format(value=value))
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise ValueError(
            _("'{value}' is an empty range; for a whole day write '00:00-24:00'").format(
                value=value
            )
        )
    return start, end


def format_hours(value: tuple[int, int]) -> str:
    """Write minutes of the day back as 'HH:MM-HH:MM'."""
    (s, e) = value
    return f"{s // 60:02d}:{s % 60:02d}-{e // 60:02d}:{e % 60:02d}"


def parse_days(value: object) -> object:
    """Accept the words people use ('weekdays', 'weekend', 'all') beside day lists."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ALL_DAYS_WORDS:
            return DAYS
        if word in WEEKDAY_WORDS:
            return DAYS[:5]
        if word in WEEKEND_WORDS:
            return DAYS[5:]
        return (word,)
    return value


Hours = Annotated[
    tuple[int, int],
    BeforeValidator(parse_hours),
    PlainSerializer(format_hours, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$",
            "description": (
                "Hours of the day, e.g. '08:00-20:00'; '20:00-08:00' runs past midnight."
            ),
        }
    ),
]

Days = Annotated[
    tuple[Day, ...],
    BeforeValidator(parse_days),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "array", "items": {"enum": list(DAYS)}},
                {"enum": sorted(ALL_DAYS_WORDS | WEEKDAY_WORDS | WEEKEND_WORDS)},
            ]
        }
    ),
]


class WeeklyWindow(StrictModel):
    """Some days of the week, the same hours on each."""

    days: Days
    """Days the window starts on: a list such as [mon, tue] or 'weekdays', 'weekend', 'all'."""
    hours: Hours
    """Hours of the day, e.g. '08:00-20:00'. A range past midnight ends the next day."""

    def intervals(self) -> list[tuple[int, int]]:
        """Minute-of-week intervals [start, end), wrapped at the end of the week."""
        out: list[tuple[int, int]] = []
        start, end = self.hours
        length = end - start if end > start else end + 1440 - start
        for day in self.days:
            begin = DAYS.index(day) * 1440 + start
            finish = begin + length
            if finish <= WEEK_MINUTES:
                out.append((begin, finish))
            else:
                out.append((begin, WEEK_MINUTES))
                out.append((0, finish - WEEK_MINUTES))
        return out


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of minute-of-week intervals, sorted and merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def gaps(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Minute-of-week intervals not covered by any of the given ones."""
    out: list[tuple[int, int]] = []
    cursor = 0
    for start, end in merge_intervals(intervals):
        if start > cursor:
            out.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < WEEK_MINUTES:
        out.append((cursor, WEEK_MINUTES))
    return out


def covers(intervals: list[tuple[int, int]], minute_of_week: int) -> bool:
    """Whether a minute of the week falls inside any interval."""
    m = minute_of_week % WEEK_MINUTES
    return any(start <= m < end for start, end in intervals)


DAY_LABELS: dict[str, str] = {
    "mon": N_("mon"),
    "tue": N_("tue"),
    "wed": N_("wed"),
    "thu": N_("thu"),
    "fri": N_("fri"),
    "sat": N_("sat"),
    "sun": N_("sun"),
}
"""How a day is shown in messages (the English is the day's id, as files write it)."""


def describe_minute(minute_of_week: int) -> str:
    """'tue 08:00' for a minute of the week ('周二 08:00' in Chinese)."""
    m = minute_of_week % WEEK_MINUTES
    day, rest = divmod(m, 1440)
    return _("{day} {time}").format(
        day=_(DAY_LABELS[DAYS[day]]), time=f"{rest // 60:02d}:{rest % 60:02d}"
    )


def describe_interval(interval: tuple[int, int]) -> str:
    """'sat 00:00 - mon 08:00' for a minute-of-week interval."""
    start, end = interval
    end_text = _("mon 00:00 (end of week)") if end == WEEK_MINUTES else describe_minute(end)
    return _("{start} - {end}").format(start=describe_minute(start), end=end_text)
