"""``drillsim schema plan|scenario``: print the JSON Schema of a file format, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import BaseModel

from i18n import _
from plans import Plan
from plans.types import DURATION_PATTERN, format_duration
from scenarios import Scenario


def formats() -> dict[str, type[BaseModel]]:
    """File formats that have a schema, by the name the user types."""
    return {"plan": Plan, "scenario": Scenario}


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser("schema", help=_("print the JSON Schema of a file format (for editors)"))
    p.add_argument("format", choices=sorted(formats()), help=_("which file format"))
    p.set_defaults(handler=run)


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one format, titled for editors."""
    model = formats()[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"drillsim {name} file"  # not for people: a fixed schema title for tools
    _durations_as_text(schema)
    return schema


def _durations_as_text(node: Any) -> None:
    """Show duration defaults as people write them ('10m'), not as minutes (10.0).

    pydantic writes defaults in validation mode as the held value; a duration field's
    schema says "string", so a numeric default would contradict it.
    """
    if isinstance(node, dict):
        if node.get("pattern") == DURATION_PATTERN and isinstance(node.get("default"), int | float):
            node["default"] = format_duration(float(node["default"]))
        for value in node.values():
            _durations_as_text(value)
    elif isinstance(node, list):
        for value in node:
            _durations_as_text(value)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    print(json.dumps(schema_for(args.format), indent=2, ensure_ascii=False))
    return 0
