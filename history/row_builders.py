"""The columns of a history file built row by row, for contact and interval records.

Why arrays and lists, not one object a row: a million contacts must stay a few tens of
megabytes; ``array.array`` holds floats at 8 bytes each and repeated text (channel,
outcome) is kept once and shared. ``add`` checks one row and either keeps it whole or
returns its problems (a row with one bad field is not used at all, so a fit never sees a
contact without its handle time).
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from history.columns import INTERVAL_LENGTHS
from history.mapping import ColumnMapping
from history.records import OUTCOMES
from history.row_checks import Bad, Clock, count, known, seconds
from i18n import N_, _
from scenarios.model import REQUEST_TYPES, TICKET_CLASSES

Problem = tuple[str, str]  # (column as named in the file, reason)
REQUEST_TYPE, CLASS = N_("request type"), N_("class")
OUTCOME, CHANNEL = N_("outcome"), N_("channel")
"""What an unknown value was meant to be, as a person reads it."""


@dataclass
class Layout:
    """Where each drillsim column is in a row, and what the file calls it."""

    index: dict[str, int]  # drillsim column -> position
    file_name: dict[str, str]  # drillsim column -> the file's header name
    mapping: ColumnMapping
    channels: frozenset[str] | None
    decimal_comma: bool
    clock: Clock
    now: float

    def text(self, row: Sequence[str], name: str) -> str:
        """A text field, mapped through the mapping's values; the default when absent."""
        i = self.index.get(name)
        if i is None:
            return self.mapping.defaults.get(name, "")
        value = row[i]
        table = self.mapping.values.get(name)
        return table.get(value, value) if table else value


@dataclass
class _Texts:
    """A text column with every distinct value stored once."""

    values: list[str] = field(default_factory=list)
    _seen: dict[str, str] = field(default_factory=dict)

    def add(self, text: str) -> None:
        self.values.append(self._seen.setdefault(text, text))


class ContactRows:
    """Contact records, one row a contact."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.lines = array("q")
        self.arrived_at, self.offset = array("d"), array("d")
        self.waited_s, self.handled_s = array("d"), array("d")
        self.channel, self.request_type = _Texts(), _Texts()
        self.service_class, self.outcome = _Texts(), _Texts()
        # customer ids are nearly all distinct: a plain list, no table of values seen
        self.customer_id: list[str] | None = [] if "customer_id" in layout.index else None
        self.keys = array("q")  # hash of the whole row, to find duplicated rows afterwards

    def add(self, row: Sequence[str], line: int) -> list[Problem]:
        """Keep the row, or return why not (all its problems, see :meth:`problems`).

        Why a quick path: nearly every row is good, and checking it field by field with
        a message ready for each is three times slower; a row the quick path refuses is
        checked again slowly, naming every problem.
        """
        lay = self.layout
        ix = lay.index
        try:
            when = lay.clock.read(row[ix["arrived_at"]])
            channel = lay.text(row, "channel")
            rtype = lay.text(row, "request_type")
            sclass = lay.text(row, "class")
            outcome = lay.text(row, "outcome")
            if (
                when[0] > lay.now
                or not channel
                or (lay.channels is not None and channel not in lay.channels)
                or rtype not in REQUEST_TYPES
                or sclass not in TICKET_CLASSES
                or outcome not in OUTCOMES
            ):
                raise Bad(outcome)
            waited_text = row[ix["waited_s"]]
            waited = (
                0.0
                if outcome == "blocked" and not waited_text
                else seconds(waited_text, lay.decimal_comma)
            )
            handled = (
                seconds(row[ix["handled_s"]], lay.decimal_comma)
                if outcome == "answered"
                else float("nan")
            )
        except Bad:
            return self.problems(row)
        self.lines.append(line)
        self.arrived_at.append(when[0])
        self.offset.append(when[1])
        self.waited_s.append(waited)
        self.handled_s.append(handled)
        self.channel.add(channel)
        self.request_type.add(rtype)
        self.service_class.add(sclass)
        self.outcome.add(outcome)
        if self.customer_id is not None:
            self.customer_id.append(row[lay.index["customer_id"]])
        self.keys.append(hash(tuple(row)))
        return []

    def problems(self, row: Sequence[str]) -> list[Problem]:
        """Every problem of a row the quick path refused, each with its column."""
        lay = self.layout
        problems: list[Problem] = []
        name = lay.file_name

        def check(column: str, read):
            try:
                return read()
            except Bad as exc:
                problems.append((name.get(column, column), str(exc)))
                return None

        when = check("arrived_at", lambda: lay.clock.read(row[lay.index["arrived_at"]]))
        if when is not None and when[0] > lay.now:
            problems.append((name["arrived_at"], _future(row[lay.index["arrived_at"]])))
        check("channel", lambda: _channel(lay, lay.text(row, "channel")))
        check(
            "request_type",
            lambda: known(
                lay.text(row, "request_type"), REQUEST_TYPES, REQUEST_TYPE, "request_type"
            ),
        )
        check("class", lambda: known(lay.text(row, "class"), TICKET_CLASSES, CLASS, "class"))
        outcome = check(
            "outcome", lambda: known(lay.text(row, "outcome"), OUTCOMES, OUTCOME, "outcome")
        )
        waited_text = row[lay.index["waited_s"]]
        if not (outcome == "blocked" and not waited_text):
            check("waited_s", lambda: seconds(waited_text, lay.decimal_comma))
        if outcome == "answered":
            check("handled_s", lambda: seconds(row[lay.index["handled_s"]], lay.decimal_comma))
        return problems or [("", _("cannot be used"))]


class IntervalRows:
    """Interval records, one row a channel and interval."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.lines = array("q")
        self.interval_start, self.offset = array("d"), array("d")
        self.interval_minutes = array("q")
        self.channel = _Texts()
        self.offered, self.answered, self.abandoned = array("q"), array("q"), array("q")
        self.aht_s, self.asa_s = array("d"), array("d")
        has = layout.index.__contains__
        self.within = array("q") if has("answered_within_threshold") else None
        self.agents = array("d") if has("agents") else None
        self.minutes: int | None = None  # the file's interval length (its first row's)
        self.first_line = 0
        self.seen: dict[tuple[str, float], int] = {}  # (channel, start) -> line

    def add(self, row: Sequence[str], line: int) -> list[Problem]:
        """Keep the row, or return why not."""
        lay = self.layout
        problems: list[Problem] = []
        name = lay.file_name
        comma = lay.decimal_comma

        def check(column: str, read):
            try:
                return read()
            except Bad as exc:
                problems.append((name.get(column, column), str(exc)))
                return None

        def field_(column: str) -> str:
            return row[lay.index[column]]

        when = check("interval_start", lambda: lay.clock.read(field_("interval_start")))
        minutes = check("interval_minutes", lambda: _minutes(field_("interval_minutes"), comma))
        if minutes is not None and self.minutes is not None and minutes != self.minutes:
            problems.append(
                (
                    name["interval_minutes"],
                    _(
                        "a {minutes}-minute interval in a file of {file}-minute intervals "
                        "(line {line})"
                    ).format(minutes=minutes, file=self.minutes, line=self.first_line),
                )
            )
        if when is not None and minutes is not None:
            local_minute = int((when[0] + when[1]) // 60)
            if local_minute % minutes:
                problems.append(
                    (
                        name["interval_start"],
                        _("'{text}' does not start on a {minutes}-minute boundary").format(
                            text=field_("interval_start"), minutes=minutes
                        ),
                    )
                )
            if when[0] + 60 * minutes > lay.now:
                problems.append((name["interval_start"], _future(field_("interval_start"))))
        channel = check("channel", lambda: _channel(lay, lay.text(row, "channel")))
        offered = check("offered", lambda: count(field_("offered"), comma))
        answered = check("answered", lambda: count(field_("answered"), comma))
        abandoned = check("abandoned", lambda: count(field_("abandoned"), comma))
        if None not in (offered, answered, abandoned) and answered + abandoned > offered:
            problems.append(
                (
                    name["answered"],
                    _(
                        "answered {answered} and abandoned {abandoned} add up to more "
                        "than the {offered} offered"
                    ).format(answered=answered, abandoned=abandoned, offered=offered),
                )
            )
        aht = self._average(row, "aht_s", answered, check)
        asa = self._average(row, "asa_s", answered, check)
        within = None
        if self.within is not None:
            within = check(
                "answered_within_threshold",
                lambda: count(field_("answered_within_threshold"), comma),
            )
            if within is not None and answered is not None and within > answered:
                problems.append(
                    (
                        name["answered_within_threshold"],
                        _(
                            "{within} answered within the threshold, "
                            "more than the {answered} answered"
                        ).format(within=within, answered=answered),
                    )
                )
        agents = float("nan")
        if self.agents is not None and field_("agents"):
            agents = check("agents", lambda: seconds(field_("agents"), comma))
        if when is not None and channel is not None:
            earlier = self.seen.get((channel, when[0]))
            if earlier is not None:
                problems.append(
                    (
                        name["interval_start"],
                        _(
                            "a second row for channel {channel} at {text} (line {line}); dropped"
                        ).format(channel=channel, text=field_("interval_start"), line=earlier),
                    )
                )
        if problems:
            return problems
        assert when is not None and minutes is not None  # not for people: type narrowing
        if self.minutes is None:
            self.minutes, self.first_line = minutes, line
        self.seen[(channel, when[0])] = line
        self.lines.append(line)
        self.interval_start.append(when[0])
        self.offset.append(when[1])
        self.interval_minutes.append(minutes)
        self.channel.add(channel)
        self.offered.append(offered)
        self.answered.append(answered)
        self.abandoned.append(abandoned)
        self.aht_s.append(aht)
        self.asa_s.append(asa)
        if self.within is not None:
            self.within.append(0 if within is None else within)
        if self.agents is not None:
            self.agents.append(agents)
        return problems

    def _average(self, row, column, answered, check):
        """An average over the answered: may be empty (NaN) when none was answered."""
        text = row[self.layout.index[column]]
        if not text and answered == 0:
            return float("nan")
        value = check(column, lambda: seconds(text, self.layout.decimal_comma))
        return float("nan") if value is None else value


def _channel(lay: Layout, text: str) -> str:
    if lay.channels is None:
        if not text:
            raise Bad(_("is empty; a channel is needed"))
        return text
    return known(text, lay.channels, CHANNEL, "channel")


def _minutes(text: str, comma: bool) -> int:
    value = count(text, comma)
    if value not in INTERVAL_LENGTHS:
        raise Bad(
            _(
                "'{text}' is not an interval length drillsim reads: use 15, 30 or 60 (minutes)"
            ).format(text=text)
        )
    return value


def _future(text: str) -> str:
    return _("'{text}' is in the future (a clock or export error?); dropped").format(text=text)


def channels_of(names: Collection[str] | None) -> frozenset[str] | None:
    """The plan's channel ids as the reader checks them (None: any channel)."""
    return None if names is None else frozenset(names)
