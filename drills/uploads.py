"""Files a user uploads in the console: read, recognise and validate them.

Why not in a page: an upload can be too large, binary, not YAML, or a plan given
where a scenario is expected; each needs a message naming the file, field and
reason, and that logic is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from i18n import N_, _, format_count
from plans import ModelFileError, Plan
from plans.io import MAX_FILE_BYTES, decode_text, parse_yaml
from plans.loader import load_plan_text
from scenarios import Scenario
from scenarios.loader import load_scenario_text

Kind = Literal["plan", "scenario"]
PLAN_KEYS = {"roles", "flows", "people", "levels"}
SCENARIO_KEYS = {"demand", "horizon", "start"}


@dataclass(frozen=True)
class Upload:
    """The outcome of one upload: the model and its text, or the problems."""

    name: str
    text: str | None
    model: Plan | Scenario | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether it can be used."""
        return self.model is not None


def kind_of(data: object) -> Kind | None:
    """'plan' or 'scenario' by the top-level keys of parsed YAML, if recognisable."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if keys & PLAN_KEYS and not keys & SCENARIO_KEYS:
        return "plan"
    if keys & SCENARIO_KEYS and not keys & PLAN_KEYS:
        return "scenario"
    return None


def read_upload(name: str, data: bytes, expect: Kind, max_bytes: int = MAX_FILE_BYTES) -> Upload:
    """Validate uploaded bytes as a plan or a scenario."""
    if len(data) > max_bytes:
        return Upload(
            name,
            None,
            None,
            (
                _("{name}: the file is {size} bytes; the limit is {limit}").format(
                    name=name, size=format_count(len(data)), limit=format_count(max_bytes)
                ),
            ),
        )
    try:
        text = decode_text(data, name)
        parsed, _lines, _marks = parse_yaml(text, name)
    except ModelFileError as exc:
        return Upload(name, None, None, tuple(exc.lines()))
    found = kind_of(parsed)
    if found is not None and found != expect:
        message = (
            N_(
                "{name}: this is a plan, not a scenario (it has {keys}); "
                "upload it on the {page} page"
            )
            if found == "plan"
            else N_(
                "{name}: this is a scenario, not a plan (it has {keys}); "
                "upload it on the {page} page"
            )
        )
        page = _("Plans") if found == "plan" else _("Scenarios")
        return Upload(
            name,
            None,
            None,
            (_(message).format(name=name, keys=_keys(parsed, found), page=page),),
        )
    try:
        model: Plan | Scenario = (
            load_plan_text(text, name) if expect == "plan" else load_scenario_text(text, name)
        )
    except ModelFileError as exc:
        return Upload(name, text, None, tuple(exc.lines()))
    return Upload(name, text, model, ())


def _keys(parsed: object, kind: Kind) -> str:
    wanted = PLAN_KEYS if kind == "plan" else SCENARIO_KEYS
    found = sorted(k for k in parsed if k in wanted) if isinstance(parsed, dict) else []
    return _(" and ").join(f"'{k}'" for k in found[:2])
