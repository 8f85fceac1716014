"""A mapping file: how a vendor's export names its columns and values, in drillsim's words.

Two forms are read. The full form says what each key means::

    columns: {Queue: channel, Start: arrived_at, Abandoned: outcome}
    values:
      outcome: {Y: abandoned, N: answered}
      channel: {Hotline: phone}
    defaults: {request_type: consultation, class: ordinary}

The short form, as issue 16 writes it, puts the file's columns at the top: a name renames
the column, a table of values maps the values of an outcome column (its values being
outcomes tells which column it is)::

    Queue: channel
    Abandoned: {Y: abandoned, N: answered}

Why a pydantic model and the plan loader: a mistyped target (``chanel``) must be an error
naming the line, not a column silently left unmapped.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import model_validator

from history.columns import ALL_NAMES, COLUMNS
from history.records import OUTCOMES
from i18n import _
from plans.base import StrictModel
from plans.io import load_model, load_model_text

FULL_FORM = ("columns", "values", "defaults")
TEXT_COLUMNS = frozenset(c.name for cols in COLUMNS.values() for c in cols if c.type == "text")


def _known(name: str) -> str:
    return _("'{name}' is not a drillsim history column; use one of: {names}").format(
        name=name, names=", ".join(sorted(ALL_NAMES))
    )


def _short_form(data: dict[Any, Any]) -> dict[str, Any]:
    """The full form of a short-form mapping (file columns at the top)."""
    columns: dict[str, Any] = {}
    values: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        close = difflib.get_close_matches(str(key), FULL_FORM, n=1)
        if isinstance(value, dict) and close:
            raise ValueError(
                _(
                    "'{key}' is not a column of the file, nor one of {keys} "
                    "(did you mean '{close}'?)"
                ).format(key=key, keys=", ".join(FULL_FORM), close=close[0])
            )
        if isinstance(value, dict):
            targets = {str(v) for v in value.values()}
            if not targets <= set(OUTCOMES):
                raise ValueError(
                    _(
                        "'{column}' maps values to {targets}, which are not outcomes, so its "
                        "column cannot be told: write 'columns: {{{column}: ...}}' and "
                        "'values: {{...: {{...}}}}'"
                    ).format(column=key, targets=", ".join(sorted(targets)))
                )
            columns[str(key)] = "outcome"
            values.setdefault("outcome", {}).update(value)
        else:
            columns[str(key)] = value
    return {"columns": columns, "values": values}


YES = ("true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y", "1")
NO = ("false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N", "0")


def _spellings(value: Any) -> tuple[Any, ...]:
    """The texts a YAML key stands for: ``yes:`` (read as true) matches Yes, YES, Y, 1..."""
    if isinstance(value, bool):
        return YES if value else NO
    return (_text(value),)


def _text(value: Any) -> Any:
    """A YAML scalar as the text a CSV field holds (true -> 'true', 1 -> '1')."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float) else value


class ColumnMapping(StrictModel):
    """How a file's columns and values are renamed into drillsim's (see the module)."""

    columns: dict[str, str] = {}
    """File column -> drillsim column."""
    values: dict[str, dict[str, str]] = {}
    """drillsim column -> {value in the file: drillsim value}."""
    defaults: dict[str, str] = {}
    """A text column the file lacks -> the value every row gets."""

    @model_validator(mode="before")
    @classmethod
    def _either_form(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if data and not set(data) <= set(FULL_FORM):
            if set(data) & set(FULL_FORM):
                raise ValueError(
                    _(
                        "mixes the two forms: put every file column under 'columns:' "
                        "(or leave out 'columns:', 'values:' and 'defaults:')"
                    )
                )
            data = _short_form(data)
        values = data.get("values")
        if isinstance(values, dict):
            # YAML reads 1, 0, true and 2.5 as numbers and booleans: a file's values are text
            data = {
                **data,
                "values": {
                    k: {t: _text(b) for a, b in v.items() for t in _spellings(a)}
                    if isinstance(v, dict)
                    else v
                    for k, v in values.items()
                },
            }
        return data

    @model_validator(mode="after")
    def _known_targets(self) -> ColumnMapping:
        problems = [_known(t) for t in self.columns.values() if t not in ALL_NAMES]
        problems += [_known(t) for t in self.values if t not in ALL_NAMES]
        targets = list(self.columns.values())
        twice = sorted({t for t in targets if targets.count(t) > 1})
        if twice:
            problems.append(
                _("two file columns are renamed to '{name}'").format(name=", ".join(twice))
            )
        for name in self.defaults:
            if name not in TEXT_COLUMNS:
                problems.append(
                    _(
                        "a default can be given for a text column only ({names}), not '{name}'"
                    ).format(names=", ".join(sorted(TEXT_COLUMNS)), name=name)
                )
        for name, table in self.values.items():
            if name == "outcome":
                bad = sorted({v for v in table.values() if v not in OUTCOMES})
                if bad:
                    problems.append(
                        _("outcome values must be {allowed}, not {bad}").format(
                            allowed=", ".join(OUTCOMES), bad=", ".join(bad)
                        )
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def rename(self, header: list[str]) -> list[str]:
        """The header in drillsim's names (columns not in the mapping keep their name)."""
        return [self.columns.get(h, h) for h in header]


def load_mapping(path: str | Path) -> ColumnMapping:
    """Read a mapping file; :class:`plans.ModelFileError` names each problem's line."""
    return load_model(path, ColumnMapping)


def load_mapping_text(text: str, name: str = "<upload>") -> ColumnMapping:
    """As :func:`load_mapping`, for text in hand (a console upload)."""
    return load_model_text(text, name, ColumnMapping)
