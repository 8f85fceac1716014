"""What a run journal must hold before a report or an evidence check trusts it.

Why a model like plans and scenarios have: a journal is a file a person can hand us
(edited, truncated, from another tool). Before this model, ``{"kind":"monte_carlo"}``,
a KPI given as text, NaN or a probability of 7 either crashed ``drillsim report`` or
became a report that looked real. The model checks the parts a reader uses, with
the loader's messages (field path and reason); figures added by later versions pass
through, so an older drillsim still reads a newer journal's known parts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from i18n import _
from plans import ModelFileError
from plans.files import FileRefused, read_bytes
from plans.io import validate_data
from plans.issues import Issue
from plans.model import Plan
from scenarios.model import Scenario

Finite = Annotated[float, Field(allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]

MAX_JOURNAL_BYTES = 200 * 1024 * 1024
"""Largest journal read (about 10,000 replications of the default scenario)."""


class _Part(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")


class KpiSummary(_Part):
    """One KPI over the replications; ``None`` where no replication defined it."""

    mean: Finite | None
    ci95: tuple[Finite | None, Finite | None] | None = None
    p5: Finite | None = None
    p95: Finite | None = None
    n: Count


class CheckSummary(_Part):
    """How often a target or objective was met."""

    kpi: str
    op: Literal["<=", ">=", "<", ">", "=="]
    target: Finite
    label: str
    probability_met: Share | None
    ci95: tuple[Share | None, Share | None] | None = None
    replications: Count


class RunJournal(_Part):
    """A ``drillsim run`` journal: the parts reports and evidence checks read."""

    journal_version: Annotated[int, Field(ge=1)]
    kind: Literal["monte_carlo"]
    status: str
    seed: Count
    replications: Annotated[int, Field(ge=1)]
    policy: str
    plan: dict[str, object]
    scenario: dict[str, object]
    kpis: dict[str, KpiSummary]
    targets: dict[str, CheckSummary]
    objectives: dict[str, CheckSummary] = {}
    replication_kpis: list[dict[str, Finite | None]] | None = None


def read_journal(path: Path) -> dict[str, Any]:
    """A run journal's data, checked; :class:`~plans.ModelFileError` listing the problems."""
    try:
        raw = read_bytes(path, MAX_JOURNAL_BYTES)
    except FileRefused as exc:
        raise ModelFileError(path, [Issue((), exc.reason)]) from None
    try:
        journal = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ModelFileError(
            path, [Issue((), _("cannot read the journal: {error}").format(error=exc))]
        ) from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(
            path,
            [Issue((), _("not a JSON run journal: {error}").format(error=exc.msg), exc.lineno)],
        ) from None
    except RecursionError:
        raise ModelFileError(path, [Issue((), _("JSON is nested too deeply"))]) from None
    if not isinstance(journal, dict) or journal.get("kind") != "monte_carlo":
        raise ModelFileError(
            path,
            [Issue(("kind",), _("not a drillsim run journal (expected kind 'monte_carlo')"))],
        )
    validate_data(RunJournal, journal, path)
    problems: list[Issue] = []
    for key, cls in (("plan", Plan), ("scenario", Scenario)):
        try:
            validate_data(cls, journal[key], path)
        except ModelFileError as exc:
            problems.extend(Issue((key, *i.loc), i.msg) for i in exc.issues)
    if problems:
        raise ModelFileError(path, problems)
    return journal
