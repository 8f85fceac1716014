"""The plan's working calendar: working days, office hours, holidays.

Why: the manual's ticket limits mix clock time ("urgent: handled within 24 h") with
working time ("ordinary: closed within 3 working days", SOURCE.md 2.1.3, 2.2.2). A
limit counted in working time runs only during the calendar's office hours on working
days that are not holidays, so a ticket raised on a Friday afternoon is not due on
Monday. The back office (when a scenario has one) works these hours too.

Working time is counted by the minute: a limit of whole days counts that many working
days of the calendar's length each (3 working days from Friday 17:00, with office hours
09:00-18:00, is Wednesday 17:00); a ticket raised outside office hours starts its clock
when the office next opens.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from i18n import _
from plans.base import StrictModel
from plans.schedule import DAYS, Days, Hours
from plans.targets import TicketClass

LimitKind = Literal["respond", "first_handling", "resolve", "close"]
DAY = 1440


class WorkingCalendar(StrictModel):
    """Working days, office hours and holidays, and which ticket limits count working time."""

    days: Days = DAYS[:5]
    """Working days: a list such as [mon, tue] or 'weekdays' (the default)."""
    hours: Hours = (9 * 60, 18 * 60)
    """Office hours on a working day, e.g. '09:00-18:00' (not past midnight)."""
    holidays: tuple[dt.date, ...] = ()
    """Public holidays: no working time on these dates."""
    working_limits: dict[TicketClass, tuple[LimitKind, ...]] = Field(default_factory=dict)
    """Ticket limits counted in working time, e.g. {ordinary: [close]} for "closed within
    3 working days" (2.2.2); the others are clock time. Left out: all clock time."""

    @model_validator(mode="after")
    def _same_day_hours(self) -> WorkingCalendar:
        start, end = self.hours
        if end <= start:
            raise ValueError(_("office hours must end on the day they start"))
        return self

    @property
    def day_length(self) -> int:
        """Minutes of working time in one working day."""
        return self.hours[1] - self.hours[0]

    def counts_working(self, cls: str, kind: str) -> bool:
        """Whether the limit ``kind`` of ticket class ``cls`` counts working time."""
        return any(c == cls and kind in kinds for c, kinds in self.working_limits.items())

    def is_working_day(self, day: dt.date) -> bool:
        """A working day of the week that is not a holiday."""
        return DAYS[day.weekday()] in self.days and day not in self.holidays

    def working_limit(self, limit: float) -> float:
        """A limit as working minutes: whole days are working days of ``day_length``."""
        days, rest = divmod(limit, DAY)
        return days * self.day_length + rest

    def due(self, raised: dt.datetime, limit: float) -> dt.datetime:
        """When a limit counted in working time runs out for something raised at ``raised``."""
        left = self.working_limit(limit)
        day = raised.date()
        for _guard in range(3660):  # ten years of days: a calendar with no working day ends it
            if self.is_working_day(day):
                midnight = dt.datetime.combine(day, dt.time())
                opens = max(raised, midnight + dt.timedelta(minutes=self.hours[0]))
                closes = midnight + dt.timedelta(minutes=self.hours[1])
                if opens < closes:
                    span = (closes - opens).total_seconds() / 60
                    if left <= span:
                        return opens + dt.timedelta(minutes=left)
                    left -= span
            day += dt.timedelta(days=1)
        return dt.datetime.max
