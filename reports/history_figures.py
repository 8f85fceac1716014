"""Figures of a history fit and its back-test: what a planner checks before trusting them.

Why these four: the arrival profile shows whether the hourly scenario follows the
interval counts; the handle-time histogram shows whether the chosen family fits the
bulk and the tail; the Kaplan-Meier curve is patience as the data say it, with the
fitted survival over it; the back-test puts simulated and observed service level side
by side per interval. Each returns a :class:`matplotlib.figure.Figure` (never pyplot).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter
from scipy import stats

from history.backtest import Backtest
from history.fit import HistoryFit
from history.handling import HandleFit
from i18n import _
from plans.schedule import DAY_LABELS, DAYS
from reports.style import BLACK, channel_style, new_figure


def arrival_profile_figure(fit: HistoryFit) -> Figure:
    """Mean arrivals per interval over the week, observed and fitted, per channel."""
    a = fit.arrivals
    fig = new_figure(12, 4.5)
    ax = fig.subplots()
    slots = 1440 // a.interval_minutes
    hours = np.arange(7 * slots) * a.interval_minutes / 60
    for i, ch in enumerate(a.channels):
        style = channel_style(i)
        colour = str(style["color"])
        ax.plot(
            hours,
            a.observed[ch].ravel(),
            lw=1.0,
            color=colour,
            label=_("{channel} observed").format(channel=ch),
        )
        ax.plot(
            hours,
            a.fitted[ch].ravel(),
            lw=1.6,
            color=colour,
            linestyle="--",
            label=_("{channel} fitted").format(channel=ch),
        )
    ax.set_xticks(np.arange(7) * 24 + 12, [_(DAY_LABELS[d]) for d in DAYS])
    for d in range(1, 7):
        ax.axvline(d * 24, color=BLACK, lw=0.4, alpha=0.3)
    ax.set_ylabel(
        _("arrivals per {n}-minute interval (mean over the days)").format(n=a.interval_minutes)
    )
    ax.set_title(_("Arrival profile: observed against the fitted scenario"))
    ax.legend(loc="upper right", fontsize=8)
    return fig


def _density(h: HandleFit, x: np.ndarray) -> np.ndarray:
    c = h.best_by_aic()
    if c.family == "exponential":
        return np.asarray(stats.expon(scale=c.mean_s).pdf(x), dtype=float)
    if c.family == "lognormal":
        sigma = math.sqrt(math.log1p(c.cv**2))
        scale = c.mean_s / math.exp(sigma**2 / 2)
        return np.asarray(stats.lognorm(sigma, 0, scale).pdf(x), dtype=float)
    shape = 1 / c.cv**2
    return np.asarray(stats.gamma(shape, 0, c.mean_s / shape).pdf(x), dtype=float)


def handle_time_figure(fit: HistoryFit) -> Figure | None:
    """Histogram of each channel's handle times with the best fitted density (None: no data)."""
    per_channel = [h for h in fit.handling if h.channel is not None and h.request_type is None]
    if not per_channel:
        return None
    fig = new_figure(6 * len(per_channel), 4)
    axes = fig.subplots(1, len(per_channel), squeeze=False)[0]
    for i, (ax, h) in enumerate(zip(axes, per_channel, strict=True)):
        top = float(np.quantile(h.sample_s, 0.99))
        ax.hist(
            h.sample_s,
            bins=60,
            range=(0, top),
            density=True,
            color=str(channel_style(i)["color"]),
            alpha=0.5,
        )
        x = np.linspace(top / 500, top, 300)
        c = h.best_by_aic()
        ax.plot(
            x,
            _density(h, x),
            color=BLACK,
            lw=1.5,
            label=_("{family} (AIC best), KS {ks:.3f}").format(family=c.family, ks=c.ks),
        )
        ax.set_title(
            _("{channel}: {n} handle times, written as {best}").format(
                channel=h.channel, n=h.n, best=h.best
            )
        )
        ax.set_xlabel(_("handle time (s)"))
        ax.legend(fontsize=8)
    axes[0].set_ylabel(_("density"))
    return fig


def patience_figure(fit: HistoryFit) -> Figure | None:
    """Kaplan-Meier survival of patience per channel, with the chosen fit (None: no data)."""
    if not fit.patience:
        return None
    fig = new_figure(7, 4.5)
    ax = fig.subplots()
    for i, (ch, p) in enumerate(fit.patience.items()):
        colour = str(channel_style(i)["color"])
        ax.step(
            p.km_time_s,
            p.km_sf,
            where="post",
            color=colour,
            lw=1.2,
            label=_("{channel} Kaplan-Meier").format(channel=ch),
        )
        top = float(p.km_time_s.max()) if p.km_time_s.size else 1.0
        t = np.linspace(0, top, 200)
        ax.plot(
            t,
            p.survival(t),
            color=colour,
            lw=1.6,
            linestyle="--",
            label=_("{channel} {family} fit").format(channel=ch, family=p.best),
        )
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(_("wait (s)"))
    ax.set_ylabel(_("still waiting: P(patience > wait)"))
    ax.set_title(_("Patience: answered contacts censored, abandoned ones events"))
    ax.legend(fontsize=8)
    return fig


def backtest_figure(backtest: Backtest) -> Figure:
    """Simulated against observed service level per interval, one panel per channel."""
    channels = sorted({r.channel for r in backtest.rows})
    fig = new_figure(12, 3.2 * max(1, len(channels)))
    axes = fig.subplots(max(1, len(channels)), 1, squeeze=False)[:, 0]
    for i, (ax, ch) in enumerate(zip(axes, channels, strict=False)):
        rows = [r for r in backtest.rows if r.channel == ch]
        x = np.arange(len(rows)) * backtest.interval_minutes / 60
        colour = str(channel_style(i)["color"])
        ax.plot(
            x, [r.observed["service_level"] for r in rows], color=BLACK, lw=0.9, label=_("recorded")
        )
        ax.plot(
            x,
            [r.simulated["service_level"] for r in rows],
            color=colour,
            lw=1.4,
            linestyle="--",
            label=_("simulated"),
        )
        s = backtest.figure(ch, "service_level")
        bias = (
            "" if s is None else _("bias {bias:+.1%}, MAE {mae:.1%}").format(bias=s.bias, mae=s.mae)
        )
        ax.set_title(
            _("{channel}: service level by interval; {summary}").format(channel=ch, summary=bias)
        )
        ax.set_ylim(0, 1.02)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xticks(
            np.arange(len(backtest.days)) * 24 + 12,
            [d.isoformat() for d in backtest.days],
            fontsize=7,
        )
        ax.legend(loc="lower left", fontsize=8)
    return fig
