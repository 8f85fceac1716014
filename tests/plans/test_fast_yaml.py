"""libyaml parses plans and scenarios to exactly what PyYAML's own parser gives.

Why: plans/io.py reads with ``yaml.CSafeLoader`` when it can (issue 19: the console and
``drillsim check`` waited mostly on YAML). A user must not see any difference: the same
data, the same line for every field, and for a bad file the same message on the same line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from plans import io
from plans.issues import ModelFileError
from plans.loader import bundled_plans, load_plan
from scenarios.loader import bundled_scenarios

MALFORMED = sorted((Path(__file__).parents[1] / "data" / "plans" / "malformed").glob("*.yaml"))


def test_libyaml_is_used_where_pyyaml_has_it():
    assert (io._FastLoader is not None) == bool(yaml.__with_libyaml__)


def _bundled_files() -> list[Path]:
    return sorted({*bundled_plans().values(), *bundled_scenarios().values()})


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_every_bundled_file_parses_the_same_with_both_parsers(monkeypatch):
    files = _bundled_files()
    assert len(files) >= 4
    fast = {f: io.parse_yaml(f.read_text(), f) for f in files}
    monkeypatch.setattr(io, "_FastLoader", None)
    for f in files:
        data, lines, duplicates = io.parse_yaml(f.read_text(), f)
        assert fast[f] == (data, lines, duplicates), f.name


def _message(path: Path) -> list[str]:
    try:
        load_plan(path)
    except ModelFileError as exc:
        return exc.lines()
    return []


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml")
def test_a_bad_plan_gets_the_same_message_and_line_with_both_parsers(monkeypatch):
    assert len(MALFORMED) > 40
    fast = {p: _message(p) for p in MALFORMED}
    monkeypatch.setattr(io, "_FastLoader", None)
    slow = {p: _message(p) for p in MALFORMED}
    assert all(fast.values())  # every malformed file is refused...
    assert {p.name: m for p, m in fast.items() if m != slow[p]} == {}  # ...in the same words
    syntax = fast[next(p for p in MALFORMED if p.name == "yaml_syntax_error.yaml")]
    assert any("line 6" in line for line in syntax), syntax
