"""The meta block of a plan or scenario text stored with a drill, read without loading it.

Why not load the model: the programme and the list of open drills only need a
stored plan's id or a scenario's event class, for every drill in the file; parsing
the YAML's meta block is enough, and a text that no longer loads still has one.
"""

from __future__ import annotations

from typing import Any

import yaml


def stored_meta(text: str, memo: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A stored plan's or scenario's meta block (parsed once per distinct text)."""
    if text not in memo:
        try:
            data = yaml.safe_load(text)
            meta = data.get("meta") if isinstance(data, dict) else None
        except yaml.YAMLError:
            meta = None
        memo[text] = meta if isinstance(meta, dict) else {}
    return memo[text]
