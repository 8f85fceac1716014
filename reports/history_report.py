"""The fit report: what a history was fitted to, how well, and what was assumed.

Why a report beside the scenario's header: the header is a summary for whoever opens
the YAML; a planner deciding whether to trust the fitted scenario wants the tables and
the figures (observed against fitted arrivals, the handle-time histogram with its
density, the Kaplan-Meier curve with its fit). Markdown gives the tables only; HTML
embeds the figures as PNG, so the file travels alone.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure

from history.backtest import Backtest
from history.fit import HistoryFit
from i18n import _
from i18n.formats import format_count, format_percent
from plans.schedule import DAY_LABELS
from reports.aar_model import png_bytes
from reports.history_figures import (
    arrival_profile_figure,
    handle_time_figure,
    patience_figure,
)
from reports.history_figures import (
    backtest_figure as _backtest_figure,
)

Table = tuple[list[str], list[list[str]]]
_CSS = (
    "body{font-family:sans-serif;max-width:70em;margin:auto}"  # not for people: CSS
    "table{border-collapse:collapse;margin:1em 0}"  # not for people: CSS
    "td,th{border:1px solid #ccc;padding:2px 6px}img{max-width:100%}"  # not for people: CSS
)


def backtest_figure(backtest: Backtest) -> Figure:
    """Simulated against observed service level per interval (see reports.history_figures)."""
    return _backtest_figure(backtest)


def _sec(seconds: float | None) -> str:
    """A time a person reads: '5m40s' (or '42s'); '-' when unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "-"
    whole = round(seconds)
    mins, secs = divmod(whole, 60)
    if mins >= 60:
        hours, mins = divmod(mins, 60)
        return _("{hours}h{mins:02d}m").format(hours=hours, mins=mins)
    if mins:
        return _("{mins}m{secs:02d}s").format(mins=mins, secs=secs)
    return _("{secs}s").format(secs=secs)


def _num(x: float, digits: int = 2) -> str:
    return "-" if not math.isfinite(x) else f"{x:.{digits}f}"


def _local(epoch: float, zone: str) -> str:
    return dt.datetime.fromtimestamp(epoch, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _sections(fit: HistoryFit) -> list[tuple[str, list[str], list[Table], list[str]]]:
    """(heading, paragraphs, tables, figure keys) per section."""
    p, a = fit.provenance, fit.arrivals
    source: Table = (
        [_("item"), _("value")],
        [
            [_("source file"), p.path],
            [_("sha256"), p.sha256],
            [_("kind"), _("contact records") if fit.kind == "contacts" else _("interval records")],
            [
                _("period"),
                f"{_local(p.first, p.time_zone)} - {_local(p.last, p.time_zone)} ({p.time_zone})",
            ],
            [_("rows read"), format_count(p.rows_read)],
            [_("rows used"), format_count(p.rows_used)],
            [_("rows dropped"), format_count(p.rows_dropped)],
            [_("rows on the plan's channels"), format_count(fit.rows_fitted)],
        ],
    )
    days: Table = (
        [_("day"), _("factor")],
        [[_(DAY_LABELS[d]), _num(f, 3)] for d, f in a.day_factors.items()],
    )
    holidays: Table = (
        [_("date left out"), _("contacts"), _("weekday median"), _("why")],
        [
            [
                h.date.isoformat(),
                format_count(round(h.total)),
                "-" if math.isnan(h.expected) else format_count(round(h.expected)),
                _("plan calendar") if h.from_calendar else _("far below its weekday"),
            ]
            for h in a.holidays
        ],
    )
    dispersion: Table = (
        [_("channel"), _("share"), _("index of dispersion"), _("degrees of freedom"), _("p-value")],
        [
            [ch, format_percent(a.shares[ch]), _num(d.index), str(d.df), _num(d.p_value, 3)]
            for ch, d in a.dispersion.items()
        ],
    )
    hourly: Table = (
        [_("hour"), _("requests an hour (factor 1)")],
        [[f"{h:02d}:00", _num(r, 1)] for h, r in enumerate(a.hourly)],
    )
    arrivals_text = [
        _(
            "{used} of {days} days used; arrivals counted by {n}-minute interval in local time."
        ).format(used=a.days_used, days=a.days_in_period, n=a.interval_minutes),
        _(
            "An index of dispersion near 1 means the counts vary as Poisson counts do; "
            "well above 1, the days differ more than the scenario's Poisson arrivals "
            "will."
        ),
    ]
    sections = [
        (_("Source"), [], [source], []),
        (_("Arrivals"), arrivals_text, [days, holidays, dispersion, hourly], ["arrivals"]),
    ]
    if fit.handling:
        handle: Table = (
            [
                _("channel"),
                _("request type"),
                _("n"),
                _("written as"),
                _("family"),
                _("mean"),
                _("cv"),
                _("AIC"),
                _("KS"),
                _("KS p"),
            ],
            [
                [
                    h.channel or _("all"),
                    h.request_type or _("all"),
                    format_count(h.n),
                    h.best,
                    c.family,
                    _sec(c.mean_s),
                    _num(c.cv),
                    _num(c.aic, 0),
                    _num(c.ks, 4),
                    _num(c.ks_p, 3),
                ]
                for h in fit.handling
                for c in h.candidates
            ],
        )
        sections.append(
            (
                _("Handle time"),
                [
                    _(
                        "Exponential, lognormal and gamma fitted by maximum likelihood "
                        "(location 0); the smallest AIC is chosen, and the empirical "
                        "distribution is written when its Kolmogorov-Smirnov p-value is "
                        "below 1%."
                    )
                ],
                [handle],
                ["handle"],
            )
        )
    if fit.interval_handling:
        handle_iv: Table = (
            [_("channel"), _("answered"), _("mean AHT")],
            [
                [ch, format_count(h.answered), _sec(h.mean_s)]
                for ch, h in fit.interval_handling.items()
            ],
        )
        sections.append(
            (
                _("Handle time"),
                [
                    _(
                        "Interval records give only the average handle time: the scenario "
                        "takes it as exponential, an assumption."
                    )
                ],
                [handle_iv],
                [],
            )
        )
    if fit.patience:
        pat: Table = (
            [
                _("channel"),
                _("abandoned (events)"),
                _("answered (censored)"),
                _("blocked, left out"),
                _("exponential mean"),
                _("SE"),
                _("lognormal mean"),
                _("chosen by AIC"),
                _("abandoned waits only"),
            ],
            [
                [
                    ch,
                    format_count(q.events),
                    format_count(q.censored),
                    format_count(q.blocked_left_out),
                    _sec(q.exp_mean_s),
                    _sec(q.exp_se_s),
                    _sec(q.lognorm_mean_s),
                    q.best,
                    _sec(q.naive_mean_s),
                ]
                for ch, q in fit.patience.items()
            ],
        )
        sections.append(
            (
                _("Patience"),
                [
                    _(
                        "Abandoned contacts are events and answered ones censored (their "
                        "patience was longer than their wait); the last column shows how "
                        "far too low the waits of the abandoned alone would put patience."
                    )
                ],
                [pat],
                ["patience"],
            )
        )
    if fit.interval_patience:
        pat_iv: Table = (
            [_("channel"), _("offered"), _("abandoned"), _("ASA / P(Ab)"), _("Erlang A inverted")],
            [
                [
                    ch,
                    format_count(q.offered),
                    format_count(q.abandoned),
                    _sec(q.mean_s),
                    _sec(q.erlang_a_mean_s),
                ]
                for ch, q in fit.interval_patience.items()
            ],
        )
        sections.append(
            (
                _("Patience"),
                [
                    _(
                        "Approximate: interval records do not show patience; it is "
                        "estimated by Erlang A's relation P(Ab) = E[W] / patience with "
                        "the ASA for E[W]."
                    )
                ],
                [pat_iv],
                [],
            )
        )
    if fit.redials is not None:
        red: Table = (
            [_("channel"), _("abandoned"), _("redialled"), _("share"), _("mean delay")],
            [
                [
                    ch,
                    format_count(r.abandoned),
                    format_count(r.redialled),
                    format_percent(r.share),
                    _sec(r.mean_delay_s),
                ]
                for ch, r in fit.redials.channels.items()
            ],
        )
        sections.append(
            (
                _("Redials"),
                [
                    _(
                        "A redial is the same customer on the same channel within {hours} "
                        "h of giving up."
                    ).format(hours=round(fit.redials.window_s / 3600))
                ],
                [red],
                [],
            )
        )
    if fit.notes:
        sections.append((_("Assumptions and what was left out"), list(fit.notes), [], []))
    return sections


def _figures(fit: HistoryFit) -> dict[str, tuple[Figure | None, str]]:
    return {
        "arrivals": (
            arrival_profile_figure(fit),
            _("Observed (solid) and fitted (dashed) arrivals per interval over the week."),
        ),
        "handle": (
            handle_time_figure(fit),
            _("Handle times per channel with the density of the best fit by AIC."),
        ),
        "patience": (
            patience_figure(fit),
            _("Kaplan-Meier survival of patience (steps) and the fitted survival (dashed)."),
        ),
    }


def _md_table(table: Table) -> str:
    head, rows = table
    if not rows:
        return ""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _html_table(table: Table) -> str:
    head, rows = table
    if not rows:
        return ""
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>\n"


def render_fit_report(fit: HistoryFit, fmt: str) -> str:
    """The report as Markdown ("md") or self-contained HTML ("html")."""
    title = _("History fit: {file}").format(file=fit.provenance.path.split("/")[-1])
    sections = _sections(fit)
    if fmt == "md":
        out = [f"# {title}\n"]
        for heading, paragraphs, tables, _keys in sections:
            out.append(f"## {heading}\n")
            out += [f"{p}\n" for p in paragraphs]
            out += [_md_table(t) for t in tables if t[1]]
        return "\n".join(out)
    if fmt != "html":
        raise ValueError(f"unknown report format {fmt!r}")  # not for people: argument check
    figures = _figures(fit)
    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    for heading, paragraphs, tables, keys in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in paragraphs]
        for key in keys:
            fig, caption = figures[key]
            if fig is None:
                continue
            data = base64.b64encode(png_bytes(fig)).decode("ascii")
            text = html.escape(caption)
            image = f'<img src="data:image/png;base64,{data}" alt="{text}">'  # not for people: HTML
            parts.append(f"<figure>{image}<figcaption>{text}</figcaption></figure>")
        parts += [_html_table(t) for t in tables if t[1]]
    parts.append("</body></html>")
    return "\n".join(parts)
