"""Back-test: simulate the historical days with a scenario and compare them per interval.

Why per day and per interval: a fitted scenario can match the period's averages and still
miss the day's shape (a peak staffed too thin, a night over-staffed); comparing each
channel's service level, ASA and abandonment interval by interval shows where.

* Each historical day (holidays left out, found as :mod:`history.arrivals` finds them) is
  one run of the scenario from that day's local midnight for 24 hours, with ``replications``
  replications (seed ``seed + day index``), no events, injects or objectives: the
  back-test is of normal days.
* **Staffing**: with ``agents_from_file`` and interval records that carry ``agents``, each
  day gets the recorded agents per channel and interval (rounded to whole agents), as
  shifts of single-skill groups at the site that serves the channel; otherwise the
  scenario's staffing (or the plan's, when the scenario gives none).
* **Observed figures** follow the simulation's rules (:mod:`sim.engine.interval_metrics`):
  per arrival interval, service level = answered within the plan's threshold over
  answered and abandoned, ASA = mean wait of the answered, abandonment = abandoned over
  answered and abandoned. Interval records give ``answered_within_threshold`` (taken as
  counted against the plan's threshold) and ``asa_s``.
* **Bias and mean absolute error** per channel and figure are weighted by the observed
  contacts settled in each interval, so a night interval with two calls does not count
  as much as the peak; intervals where either side is undefined are left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from history.arrivals import EPOCH, find_holidays, local_days
from history.records import ContactHistory, History, IntervalHistory
from i18n import _
from plans.model import Plan
from plans.schedule import WeeklyWindow
from plans.service import Shift
from scenarios.model import Scenario, StaffGroup
from sim.analysis.montecarlo import run_monte_carlo
from sim.engine.interval_metrics import interval_key

FIGURES = ("service_level", "asa", "abandonment")
DAY_MIN = 1440
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class BacktestRow:
    """One channel and interval of one historical day: observed against simulated."""

    start: str  # local ISO date-time of the interval's start
    channel: str
    agents: float | None  # simulated agents on the channel (recorded, when from the file)
    settled: int  # observed answered + abandoned
    observed: dict[str, float]  # figure -> value (nan: undefined); ASA in seconds
    simulated: dict[str, float]  # figure -> mean over the replications


@dataclass(frozen=True)
class FigureSummary:
    """Bias and mean absolute error of one figure on one channel."""

    channel: str
    figure: str
    intervals: int
    bias: float  # simulated minus observed, weighted by settled contacts
    mae: float
    observed_mean: float  # weighted
    simulated_mean: float


@dataclass(frozen=True)
class Backtest:
    """Rows per channel and interval, and the summary per channel and figure."""

    rows: tuple[BacktestRow, ...]
    summary: tuple[FigureSummary, ...]
    interval_minutes: int
    days: tuple[dt.date, ...]
    agents_from_file: bool  # whether the recorded agents were used
    replications: int
    seed: int
    notes: tuple[str, ...]

    def figure(self, channel: str, figure: str) -> FigureSummary | None:
        """The summary of one channel and figure."""
        return next((s for s in self.summary if (s.channel, s.figure) == (channel, figure)), None)

    def to_csv(self, path: Path) -> None:
        """One line per channel and interval: observed and simulated figures (ASA in s)."""
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                [
                    "start",
                    "channel",
                    "agents",
                    "settled",
                    *(f"{f}_{side}" for f in FIGURES for side in ("observed", "simulated")),
                ]
            )
            for r in self.rows:
                cells: list[object] = [
                    r.start,
                    r.channel,
                    "" if r.agents is None else r.agents,
                    r.settled,
                ]
                for f in FIGURES:
                    for value in (r.observed[f], r.simulated[f]):
                        cells.append("" if math.isnan(value) else round(value, 6))
                w.writerow(cells)


def _ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)


def _observed(
    h: History, channel: str, day: int, slots: int, length: int, threshold_s: float
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(settled, figure -> values) per slot of one local day."""
    if isinstance(h, ContactHistory):
        local = h.arrived_at + h.utc_offset_s
        on = (h.channel == channel) & (local_days(local) == day)
        slot = ((local[on] - day * 86400) // (length * 60)).astype(np.int64)
        ans = h.outcome[on] == "answered"
        ab = h.outcome[on] == "abandoned"
        wait = h.waited_s[on]

        def count(mask: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(
                slot[mask], weights=None if weights is None else weights[mask], minlength=slots
            )[:slots].astype(float)

        n_ans, n_ab = count(ans), count(ab)
        settled = n_ans + n_ab
        within = count(ans & (wait <= threshold_s + 1e-6))
        return settled, {
            "service_level": _ratio(within, settled),
            "asa": _ratio(count(ans, wait), n_ans),
            "abandonment": _ratio(n_ab, settled),
        }
    local = h.interval_start + h.utc_offset_s
    on = (h.channel == channel) & (local_days(local) == day)
    slot = ((local[on] - day * 86400) // (length * 60)).astype(np.int64)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(slot, weights=values.astype(float), minlength=slots)[:slots]

    n_ans, n_ab = total(h.answered[on]), total(h.abandoned[on])
    settled = n_ans + n_ab
    counted = h.answered_within_threshold
    sl = _ratio(total(counted[on]), settled) if counted is not None else np.full(slots, np.nan)
    asa = _ratio(total(np.nan_to_num(h.asa_s[on]) * h.answered[on]), n_ans)
    return settled, {"service_level": sl, "asa": asa, "abandonment": _ratio(n_ab, settled)}


def _site_of(plan: Plan, channel: str) -> str:
    for g in plan.staffing:
        if channel in g.skills:
            return g.site
    ch = next(c for c in plan.channels if c.id == channel)
    return ch.sites[0] if ch.sites else plan.sites[0].id


def _layers(agents: np.ndarray) -> dict[tuple[int, int], int]:
    """Split a staffing curve (whole agents per slot) into (first slot, end slot) -> agents."""
    open_: list[int] = []  # start slot of each agent on duty, latest last
    out: dict[tuple[int, int], int] = {}
    for i, n in enumerate([*agents.tolist(), 0]):
        while len(open_) > n:
            key = (open_.pop(), i)
            out[key] = out.get(key, 0) + 1
        open_.extend([i] * (n - len(open_)))
    return out


def _recorded_staffing(
    h: IntervalHistory, plan: Plan, day: int, channels: tuple[str, ...], length: int
) -> tuple[Plan, tuple[StaffGroup, ...]]:
    """A plan with one shift per staffing layer of the day, and the groups working them."""
    assert h.agents is not None
    slots = DAY_MIN // length
    weekday = WEEKDAYS[(day + 3) % 7]
    shifts: list[Shift] = []
    groups: list[StaffGroup] = []
    local = h.interval_start + h.utc_offset_s
    for channel in channels:
        on = (h.channel == channel) & (local_days(local) == day) & np.isfinite(h.agents)
        curve = np.zeros(slots, dtype=np.int64)
        slot = ((local[on] - day * 86400) // (length * 60)).astype(np.int64)
        curve[slot] = np.rint(h.agents[on]).astype(np.int64)
        for (first, end), n in sorted(_layers(curve).items()):
            sid = f"hist_{channel}_{first}_{end}"
            window = WeeklyWindow.model_validate(
                {"days": [weekday], "hours": (first * length, end * length)}
            )
            shifts.append(Shift(id=sid, name=sid, window=window))
            groups.append(
                StaffGroup(site=_site_of(plan, channel), shift=sid, agents=n, skills=(channel,))
            )
    return plan.model_copy(update={"shifts": (*plan.shifts, *shifts)}), tuple(groups)


def _weighted(diff: np.ndarray, w: np.ndarray) -> float:
    return float((diff * w).sum() / w.sum()) if w.sum() > 0 else math.nan


def run_backtest(
    h: History,
    scenario: Scenario,
    plan: Plan,
    *,
    agents_from_file: bool,
    seed: int,
    replications: int,
) -> Backtest:
    """Simulate every historical day and compare per channel and interval (module docstring)."""
    notes: list[str] = []
    length = 30
    if isinstance(h, IntervalHistory):
        length = int(h.interval_minutes.max())
    slots = DAY_MIN // length
    use_file = agents_from_file and isinstance(h, IntervalHistory) and h.agents is not None
    if agents_from_file and not use_file:
        notes.append(_("the file has no agents: the scenario's staffing was simulated instead"))
    live = tuple(
        c.id
        for c in plan.channels
        if c.effective_mode() == "live" and c.id in set(h.channel.tolist())
    )
    local = (h.arrived_at if isinstance(h, ContactHistory) else h.interval_start) + h.utc_offset_s
    days_all = local_days(local)
    first = int(days_all.min())
    weights = h.offered if isinstance(h, IntervalHistory) else np.ones(days_all.size)
    totals = np.bincount(days_all - first, weights=weights.astype(float))
    holidays = {x.date for x in find_holidays(totals, first, tuple(plan.calendar.holidays))}
    if holidays:
        notes.append(
            _("holidays left out: {days}").format(
                days=", ".join(d.isoformat() for d in sorted(holidays))
            )
        )
    threshold_s = plan.targets.service_level.answer_within * 60
    zone = ZoneInfo(plan.meta.timezone)
    base = scenario.model_dump()
    base.update(events=(), injects=(), objectives=(), horizon=float(DAY_MIN), warm_up=0.0)
    rows: list[BacktestRow] = []
    days: list[dt.date] = []
    for index, day in enumerate(range(first, int(days_all.max()) + 1)):
        date = EPOCH + dt.timedelta(days=day)
        if date in holidays:
            continue
        days.append(date)
        data = dict(base, start=dt.datetime.combine(date, dt.time()))
        run_plan = plan
        agents: dict[str, np.ndarray] = {}
        if use_file:
            assert isinstance(h, IntervalHistory)
            run_plan, groups = _recorded_staffing(h, plan, day, live, length)
            data["staffing"] = [g.model_dump() for g in groups]
            for ch in live:
                agents[ch] = np.zeros(slots)
                for g in groups:
                    if g.skills == (ch,):
                        shift = next(s for s in run_plan.shifts if s.id == g.shift)
                        a, b = shift.window.hours
                        agents[ch][a // length : b // length] += g.agents
        day_scenario = Scenario.model_validate(data)
        result = run_monte_carlo(
            run_plan,
            day_scenario,
            replications,
            seed + index,
            workers=1,
            policy="none",
            interval=length,
        )
        for ch in live:
            settled, observed = _observed(h, ch, day, slots, length, threshold_s)
            for i in range(slots):
                sim: dict[str, float] = {}
                for f in FIGURES:
                    values = result.interval_values(interval_key(i, ch, f))
                    values = values[np.isfinite(values)]
                    sim[f] = float(values.mean()) if values.size else math.nan
                sim["asa"] *= 60.0  # minutes to seconds
                start = dt.datetime.combine(date, dt.time()) + dt.timedelta(minutes=i * length)
                rows.append(
                    BacktestRow(
                        start=start.replace(tzinfo=zone).isoformat(timespec="minutes"),
                        channel=ch,
                        agents=float(agents[ch][i]) if ch in agents else None,
                        settled=int(settled[i]),
                        observed={f: float(observed[f][i]) for f in FIGURES},
                        simulated=sim,
                    )
                )
    summary: list[FigureSummary] = []
    for ch in live:
        mine = [r for r in rows if r.channel == ch]
        for f in FIGURES:
            obs = np.array([r.observed[f] for r in mine])
            got = np.array([r.simulated[f] for r in mine])
            w = np.array([r.settled for r in mine], dtype=float)
            ok = np.isfinite(obs) & np.isfinite(got) & (w > 0)
            summary.append(
                FigureSummary(
                    channel=ch,
                    figure=f,
                    intervals=int(ok.sum()),
                    bias=_weighted(got[ok] - obs[ok], w[ok]),
                    mae=_weighted(np.abs(got[ok] - obs[ok]), w[ok]),
                    observed_mean=_weighted(obs[ok], w[ok]),
                    simulated_mean=_weighted(got[ok], w[ok]),
                )
            )
    return Backtest(
        rows=tuple(rows),
        summary=tuple(summary),
        interval_minutes=length,
        days=tuple(days),
        agents_from_file=use_file,
        replications=replications,
        seed=seed,
        notes=tuple(notes),
    )
