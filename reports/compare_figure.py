"""The chart of a variant comparison: service level and P(RTO met) against one key.

Why these two: service level is what customers feel, the chance of meeting the RTO is
what the plan promises; a planner choosing staffing or backups looks for the value
where both are good enough. Bands are the 95% intervals (t for the mean, Wilson for
the probability), so overlapping points are not read as differences.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from i18n import _
from plans.types import human_minutes
from reports.style import TARGET, colour, new_figure, no_data
from sim.analysis.compare import Comparison, VariantResult
from sim.analysis.stats import wilson
from sim.analysis.variants import format_value, key_spec

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""A second cue besides colour for the lines of the other keys' values."""


def _series(
    comparison: Comparison, key: str | None
) -> list[tuple[str, list[tuple[float, VariantResult]]]]:
    """(label, [(x, variant)]) per line: one line per combination of the other keys."""
    if key is None:
        return [("", [(float(i), v) for i, v in enumerate(comparison.variants)])]
    groups: dict[str, list[tuple[float, VariantResult]]] = {}
    for v in comparison.variants:
        if key not in v.settings:
            continue
        label = ", ".join(f"{k}={format_value(k, x)}" for k, x in v.settings.items() if k != key)
        groups.setdefault(label, []).append((float(v.settings[key]), v))
    return [(label, sorted(points, key=lambda p: p[0])) for label, points in groups.items()]


def compare_chart(comparison: Comparison, key: str | None) -> Figure:
    """Service level (mean, 95% band) and P(RTO <= target) (Wilson band) against ``key``.

    With several keys varied, one line per combination of the other keys' values.
    ``key`` None (variants that set different keys) puts the variants side by side.
    """
    if key is not None and not any(key in v.settings for v in comparison.variants):
        if not comparison.keys:
            raise ValueError(_("no variant sets '{key}'; keys: none").format(key=key))
        raise ValueError(
            _("no variant sets '{key}'; keys: {keys}").format(
                key=key, keys=", ".join(comparison.keys)
            )
        )
    fig = new_figure(12, 4.8)
    ax_sl, ax_rto = fig.subplots(1, 2)
    series = _series(comparison, key)
    base = comparison.baseline
    sl_target = base.target("service_level")
    rto_target = base.target("rto")
    for i, (label, points) in enumerate(series):
        style: dict[str, object] = {
            "color": colour(i),
            "marker": MARKERS[i % len(MARKERS)],
            "label": label or None,
        }
        xs = [x for x, _ in points]
        sl = [v.result.kpis.get("service_level") for _, v in points]
        _line(
            ax_sl,
            xs,
            [s.mean if s else math.nan for s in sl],
            [s.ci95[0] if s else math.nan for s in sl],
            [s.ci95[1] if s else math.nan for s in sl],
            style,
        )
        checks = [v.target("rto") for _, v in points]
        bands = [wilson(c.met, c.n) if c else (math.nan, math.nan) for c in checks]
        _line(
            ax_rto,
            xs,
            [c.probability if c else math.nan for c in checks],
            [b[0] for b in bands],
            [b[1] for b in bands],
            style,
        )
    ax_sl.set_title(_("Service level (mean, 95% CI)"))
    ax_sl.set_ylabel(_("share answered in time"))
    if sl_target is not None:
        ax_sl.axhline(
            sl_target.check.threshold,
            color=TARGET,
            linestyle="--",
            linewidth=1,
            label=_("target {share:.0%}").format(share=sl_target.check.threshold),
        )
    if rto_target is not None:
        rto_title = _("P(RTO <= {target}) (Wilson 95% CI)").format(
            target=human_minutes(rto_target.check.threshold)
        )
    else:
        rto_title = _("P(RTO <=) (Wilson 95% CI)")
    ax_rto.set_title(rto_title)
    ax_rto.set_ylabel(_("share of replications"))
    ax_rto.set_ylim(-0.02, 1.02)
    if rto_target is None:
        no_data(ax_rto, _("the plan states no RTO target"))
    for ax in (ax_sl, ax_rto):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        _x_axis(ax, comparison, key, series)
        ax.grid(alpha=0.3)
    if len(series) > 1 or sl_target is not None:
        ax_sl.legend(loc="best", fontsize="small")
    fig.suptitle(
        _(
            "{plan} x {scenario}: {variants} variants, "
            "{replications} replications each on common seeds (seed {seed})"
        ).format(
            plan=comparison.plan_id,
            scenario=comparison.scenario_id,
            variants=len(comparison.variants),
            replications=comparison.replications,
            seed=comparison.seed,
        )
    )
    return fig


def _line(
    ax: Axes,
    xs: Sequence[float],
    mean: Sequence[float],
    lo: Sequence[float],
    hi: Sequence[float],
    style: dict[str, object],
) -> None:
    ax.plot(xs, mean, **style)  # type: ignore[arg-type]  # style values are typed object; the stubs want each kwarg typed
    ax.fill_between(
        xs,
        [_nan0(v, m) for v, m in zip(lo, mean, strict=True)],
        [_nan0(v, m) for v, m in zip(hi, mean, strict=True)],
        color=str(style["color"]),
        alpha=0.18,
        linewidth=0,
    )


def _nan0(bound: float, mean: float) -> float:
    """A missing bound (one replication) draws as no band rather than a gap."""
    return mean if math.isnan(bound) else bound


def _x_axis(
    ax: Axes,
    comparison: Comparison,
    key: str | None,
    series: list[tuple[str, list[tuple[float, VariantResult]]]],
) -> None:
    if key is None:
        ax.set_xticks(
            range(len(comparison.variants)),
            [v.name for v in comparison.variants],
            rotation=20,
            ha="right",
        )
        ax.set_xlabel(_("variant"))
        return
    values = sorted({x for _, points in series for x, _ in points})
    ax.set_xticks(values)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: format_value(key, _as_value(key, x)))
    )
    ax.set_xlabel(_("{key} ({help})").format(key=key, help=_(key_spec(key).help)))


def _as_value(key: str, x: float) -> float:
    return int(round(x)) if key_spec(key).kind == "count" else x
