"""``drillsim schema plan``: print the JSON Schema of a file format, for editors."""

from __future__ import annotations

import argparse
import json
from typing import Any

from pydantic import BaseModel

from plans import Plan


def formats() -> dict[str, type[BaseModel]]:
    """File formats that have a schema, by the name the user types."""
    return {"plan": Plan}


def add_parser(sub: Any) -> None:
    """Register the command."""
    p = sub.add_parser("schema", help="print the JSON Schema of a file format (for editors)")
    p.add_argument("format", choices=sorted(formats()), help="which file format")
    p.set_defaults(handler=run)


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of one format, titled for editors."""
    model = formats()[name]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"drillsim {name} file"
    return schema


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    print(json.dumps(schema_for(args.format), indent=2, ensure_ascii=False))
    return 0
