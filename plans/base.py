"""The one strict base model every file-edge model in drillsim inherits from.

Why: a misspelt field in a plan must be an error, not silently ignored, and a plan
handed to the simulation must not change under it (frozen, tuples not lists).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Frozen, closed pydantic model; field docstrings become schema descriptions."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        populate_by_name=True,
    )
