"""The targets part of ``drillsim run``'s summary: P(met), what was not judged, per service.

Why a module of its own: since issue 15 a target may be judged on only some
replications (an RTO not yet known when play ended first) or on none (a figure the
run does not simulate), and the per-service targets of the recovery tiers read better
as one row per service than as forty lines; :mod:`drillsim.run_summary` lays out the rest.
"""

from __future__ import annotations

from drillsim.text import ljust, name_of, rjust, width
from i18n import _, ngettext
from plans import Plan
from sim.analysis.montecarlo import CheckResult, MonteCarloResult
from sim.analysis.stats import wilson

PER_SERVICE = ("rto.", "mtd.", "rpo.")
"""Name prefixes of the per-service targets (:mod:`sim.analysis.service_targets`)."""


def verdict_text(result: CheckResult) -> tuple[str, str]:
    """(P(met), its 95% CI) as a person reads them; a target not judged says why."""
    if result.judged_n == 0:
        if result.not_yet_known:
            return _("not yet known"), ""
        return result.check.unjudged or _("not judged"), ""
    lo, hi = wilson(result.met, result.judged_n)
    ci = f"[{lo:.0%}, {hi:.0%}]"
    if result.not_yet_known:
        ci += " " + ngettext(
            "({n} replication not yet known)",
            "({n} replications not yet known)",
            result.not_yet_known,
        ).format(n=result.not_yet_known)
    return f"{result.probability:.0%}", ci


def checks_lines(title: str, rows: list[tuple[str, CheckResult]]) -> list[str]:
    """A table of targets or objectives: label, P(met), 95% CI (or why not judged)."""
    cw = max([62, *(width(label) + 2 for label, _r in rows)])
    lines = ["", f"  {ljust(title, cw)}{rjust(_('P(met)'), 8)}  {_('95% CI')}"]
    for label, result in rows:
        p, ci = verdict_text(result)
        if result.judged_n == 0:
            lines.append(f"  {ljust(label, cw)}  {p}")
        else:
            lines.append(f"  {ljust(label, cw)}{rjust(p, 8)}  {ci}")
    return lines


def rto_rule() -> str:
    """The rule by which an RTO is judged when a service is still down at the end."""
    return _(
        "  RTO rule: a service still down at the end of play is not restored (down at least\n"
        "  as long as so far); its RTO is not met once that passed the limit, else it is\n"
        "  not yet known and left out of P(met)."
    )


def service_lines(plan: Plan, result: MonteCarloResult) -> list[str]:
    """One row per service of the recovery tiers: its tier and P(met) of RTO, MTD, RPO."""
    by_name = {t.check.name: t for t in result.targets}
    services: list[str] = []
    for t in result.targets:
        if t.check.name.startswith(PER_SERVICE):
            service = t.check.name.split(".", 1)[1]
            if service not in services:
                services.append(service)
    if not services:
        return []
    names = {s: name_of(plan, s) for s in services}
    cw = max([14, *(width(n) + 2 for n in names.values())])
    heads = [_("tier"), "RTO", _("max downtime"), "RPO"]
    w = [max(8, width(h) + 2) for h in heads]
    lines = [
        "",
        f"  {ljust(_('P(met) by service'), cw)}"
        + "".join(rjust(h, x) for h, x in zip(heads, w, strict=True)),
    ]
    for service in services:
        tier = plan.targets.tier_of(service)
        cells = [tier.id if tier is not None else "-"]
        for kind in ("rto", "mtd", "rpo"):
            found = by_name.get(f"{kind}.{service}")
            cells.append("-" if found is None else verdict_text(found)[0])
        lines.append(
            f"  {ljust(names[service], cw)}"
            + "".join(rjust(c, x) for c, x in zip(cells, w, strict=True))
        )
    return lines
