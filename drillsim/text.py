"""Helpers for text a person reads: names in the language in use, columns that line up.

Why width-aware padding: a Chinese character takes two columns of a terminal, so
``f"{name:<20}"`` would push every column after a Chinese name out of line. For
text without wide characters the padding is exactly ``str.ljust``/``str.rjust``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from i18n import local_text
from plans.names import name_of as plans_name_of


def name_of(plan: Any, ident: str) -> str:
    """The name of the plan's role, person, site, system, ... ``ident``; else the id."""
    return plans_name_of(plan, ident)


def plan_name(plan: Any) -> str:
    """The plan's own name in the language in use."""
    return local_text(plan.meta.name, fallback=plan.meta.id)


def width(text: str) -> int:
    """Terminal columns ``text`` takes (wide East Asian characters count two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust(text: str, columns: int) -> str:
    """``text`` padded on the right to ``columns`` terminal columns."""
    return text + " " * max(0, columns - width(text))


def rjust(text: str, columns: int) -> str:
    """``text`` padded on the left to ``columns`` terminal columns."""
    return " " * max(0, columns - width(text)) + text
