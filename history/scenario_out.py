"""The fitted scenario as YAML, with where it came from in its header.

Why a header of comments and not fields: the scenario model has no place for a source
file, and a planner opening the file must see what it was fitted from (file, sha256,
period, rows used and dropped) and how good the fits were, before trusting it. The body
is built as plain data, checked by loading it back through the scenario loader (so
``drillsim check`` accepts it), and written with durations in seconds.

What the scenario format cannot hold, said in the header: a rate shape within the hour
(the demand profile is hourly), a channel mix differing by weekday, per-type handle
times that are not per channel as well (they are written per channel and type).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from history.fit import HistoryFit
from history.handling import HandleFit
from i18n import _
from plans.model import Plan
from scenarios.loader import load_scenario_text


def _s(seconds: float) -> str:
    return f"{seconds:.1f}s"


def _handle_dist(fit: HandleFit) -> dict[str, Any]:
    if fit.best == "empirical":
        return {"dist": "empirical", "values": [_s(v) for v in fit.empirical_s]}
    c = fit.chosen()
    assert c is not None
    if c.family == "exponential":
        return {"dist": "exponential", "mean": _s(c.mean_s)}
    return {"dist": c.family, "mean": _s(c.mean_s), "cv": round(c.cv, 4)}


def _handle_model(fit: HistoryFit) -> dict[str, Any] | None:
    if fit.kind == "intervals":
        handles = fit.interval_handling
        if not handles:
            return None
        answered = sum(h.answered for h in handles.values())
        mean = sum(h.mean_s * h.answered for h in handles.values()) / answered
        return {
            "default": {"dist": "exponential", "mean": _s(mean)},
            "overrides": [
                {"channel": ch, "time": {"dist": "exponential", "mean": _s(h.mean_s)}}
                for ch, h in handles.items()
            ],
        }
    if not fit.handling:
        return None
    pooled, rest = fit.handling[0], fit.handling[1:]
    overrides = []
    for h in rest:
        item: dict[str, Any] = {"channel": h.channel}
        if h.request_type is not None:
            item["type"] = h.request_type
        item["time"] = _handle_dist(h)
        overrides.append(item)
    return {"default": _handle_dist(pooled), "overrides": overrides}


def _patience_means(fit: HistoryFit) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for ch, p in fit.patience.items():
        if p.best == "exponential":
            out[ch] = {"dist": "exponential", "mean": _s(p.exp_mean_s)}
        else:
            out[ch] = {
                "dist": "lognormal",
                "mean": _s(p.lognorm_mean_s),
                "cv": round(p.lognorm_cv, 4),
            }
    for ch, q in fit.interval_patience.items():
        if q.mean_s is not None:
            out[ch] = {"dist": "exponential", "mean": _s(q.mean_s)}
    return out


def _patience_model(fit: HistoryFit) -> dict[str, Any] | None:
    per = _patience_means(fit)
    if not per:
        return None
    events = {ch: p.events for ch, p in fit.patience.items()}
    events.update({ch: q.abandoned for ch, q in fit.interval_patience.items()})
    main = max(per, key=lambda ch: events.get(ch, 0))
    return {
        "default": per[main],
        "overrides": [{"channel": ch, "time": d} for ch, d in per.items() if ch != main],
    }


def _behaviour(fit: HistoryFit) -> dict[str, Any]:
    out: dict[str, Any] = {}
    r = fit.redials
    if r is not None and r.redials:
        rules = {
            ch: {
                "probability": round(c.share, 4),
                "delay": {"dist": "exponential", "mean": _s(c.mean_delay_s)},
            }
            for ch, c in r.channels.items()
            if ch in fit.channels and c.redialled
        }
        if rules:
            out["max_attempts"] = r.max_attempts
            out["redials"] = {"channels": rules}
    profile = {
        ch: [round(w, 4) for w in fit.arrivals.channel_profile[ch]]
        for ch in fit.channels
        if any(abs(w - 1.0) > 1e-9 for w in fit.arrivals.channel_profile[ch])
    }
    if profile:
        out["channel_profile"] = profile
    return out


def _start(fit: HistoryFit, plan: Plan) -> dt.datetime:
    """Local midnight of the history's first day, in the plan's time zone."""
    zone = ZoneInfo(plan.meta.timezone)
    first = dt.datetime.fromtimestamp(fit.provenance.first, zone)
    return dt.datetime.combine(first.date(), dt.time())


def scenario_body(fit: HistoryFit, plan: Plan, *, scenario_id: str) -> dict[str, Any]:
    """The scenario as plain data (what :func:`scenario_yaml` writes below the header)."""
    a = fit.arrivals
    shares = {ch: round(a.shares.get(ch, 0.0), 4) for ch in (c.id for c in plan.channels)}
    top = max(shares, key=lambda k: shares[k])
    shares[top] = round(1.0 - sum(v for k, v in shares.items() if k != top), 4)
    demand: dict[str, Any] = {
        "hourly": [round(x, 2) for x in a.hourly],
        "day_factors": {d: round(f, 4) for d, f in a.day_factors.items()},
        "channels": shares,
    }
    if fit.request_types:
        demand["request_types"] = fit.request_types
    if fit.classes:
        demand["classes"] = fit.classes
    body: dict[str, Any] = {
        "meta": {
            "id": scenario_id,
            "name": _("Fitted from {file}").format(file=fit.provenance.path.split("/")[-1]),
            "description": _(
                "Normal demand, handle times and patience fitted from the "
                "centre's history; no events."
            ),
            "plan": plan.meta.id,
            "tags": ["history-fit"],
        },
        "start": _start(fit, plan).isoformat(),
        "horizon": "24h",
        "demand": demand,
    }
    handle = _handle_model(fit)
    if handle is not None:
        body["handle_time"] = handle
    patience = _patience_model(fit)
    if patience is not None:
        body["patience"] = patience
    behaviour = _behaviour(fit)
    if behaviour:
        body["behaviour"] = behaviour
    return body


def _local(epoch: float, zone: str) -> str:
    return dt.datetime.fromtimestamp(epoch, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def _pct(x: float) -> str:
    return "-" if math.isnan(x) else f"{100 * x:.1f}%"


def header_lines(fit: HistoryFit) -> list[str]:
    """The provenance and fit statistics, one comment line each (without the '# ')."""
    p, a = fit.provenance, fit.arrivals
    lines = [
        _("Scenario fitted from a history export by drillsim history fit."),
        _("Source: {path}").format(path=p.path),
        _("sha256: {sha}").format(sha=p.sha256),
        _("Period: {first} to {last} ({zone})").format(
            first=_local(p.first, p.time_zone), last=_local(p.last, p.time_zone), zone=p.time_zone
        ),
        _(
            "Rows: {read} read, {used} used, {dropped} dropped; {fitted} on the plan's channels"
        ).format(
            read=p.rows_read, used=p.rows_used, dropped=p.rows_dropped, fitted=fit.rows_fitted
        ),
        _("Days: {used} of {days} used; holidays left out: {holidays}").format(
            used=a.days_used,
            days=a.days_in_period,
            holidays=", ".join(h.date.isoformat() for h in a.holidays) or _("none"),
        ),
        _("Arrivals by {n}-minute interval; the scenario holds an hourly profile.").format(
            n=fit.interval_minutes
        ),
    ]
    for ch, d in a.dispersion.items():
        lines.append(
            _(
                "Dispersion {channel}: index {index:.2f} (1 = Poisson), chi-square p = {p:.3f}"
            ).format(channel=ch, index=d.index, p=d.p_value)
        )
    for h in fit.handling:
        where = " / ".join(x for x in (h.channel or _("all"), h.request_type) if x)
        c = h.best_by_aic()
        lines.append(
            _(
                "Handle time {where}: n = {n}, {best}; best by AIC {family} mean "
                "{mean:.1f} s cv {cv:.2f}, KS {ks:.4f} (p = {p:.3f})"
            ).format(
                where=where,
                n=h.n,
                best=h.best,
                family=c.family,
                mean=c.mean_s,
                cv=c.cv,
                ks=c.ks,
                p=c.ks_p,
            )
        )
    for ch, ih in fit.interval_handling.items():
        lines.append(
            _(
                "Handle time {channel}: exponential with the mean AHT {mean:.1f} s (an assumption)"
            ).format(channel=ch, mean=ih.mean_s)
        )
    for ch, q in fit.patience.items():
        lines.append(
            _(
                "Patience {channel}: {events} abandoned, {censored} answered "
                "(censored); exponential mean {mean:.1f} s (SE {se:.1f}), "
                "lognormal mean {lmean:.1f} s; {best} by AIC; abandoned waits "
                "alone would say {naive:.1f} s"
            ).format(
                channel=ch,
                events=q.events,
                censored=q.censored,
                mean=q.exp_mean_s,
                se=q.exp_se_s,
                lmean=q.lognorm_mean_s,
                best=q.best,
                naive=q.naive_mean_s,
            )
        )
    for ch, ip in fit.interval_patience.items():
        if ip.mean_s is None:
            continue
        check = "-" if ip.erlang_a_mean_s is None else f"{ip.erlang_a_mean_s:.1f} s"
        lines.append(
            _(
                "Patience {channel}: about {mean:.1f} s by ASA / P(Ab) "
                "(approximate); Erlang A inverted: {check}"
            ).format(channel=ch, mean=ip.mean_s, check=check)
        )
    if fit.redials is not None:
        for ch, r in fit.redials.channels.items():
            lines.append(
                _("Redials {channel}: {share} of {n} abandoned, mean delay {delay:.0f} s").format(
                    channel=ch,
                    share=_pct(r.share),
                    n=r.abandoned,
                    delay=r.mean_delay_s if r.redialled else 0.0,
                )
            )
    lines.extend(fit.notes)
    return lines


def scenario_yaml(fit: HistoryFit, plan: Plan, *, scenario_id: str) -> str:
    """YAML text of the fitted scenario, checked by loading it back; raises if it does not load."""
    header = "".join(f"# {line}\n" for line in header_lines(fit))
    body = yaml.safe_dump(
        scenario_body(fit, plan, scenario_id=scenario_id),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=None,
        width=100,
    )
    text = header + "\n" + body
    load_scenario_text(text, f"{scenario_id}.yaml")
    return text
