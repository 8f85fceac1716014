"""User text shown as text: no Markdown from a drill name, no reordering by bidi controls.

Why: the console renders Markdown almost everywhere, so a drill called
``![x](http://evil.example/p.png)`` made the browser fetch a URL; and a name holding
the Unicode right-to-left override can make a report read differently from what was
typed ("Trojan Source"). Text people entered (drill, item, plan and scenario names and
descriptions, findings) passes through these before it meets a renderer.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
"""Embedding, override and isolate controls, and the implicit direction marks."""
_MARKDOWN = re.compile(r"([\\`*_\[\]!|<>~$:&])")


def neutral(text: str) -> str:
    """The text without bidirectional control characters (what was typed, in order)."""
    return BIDI_CONTROLS.sub("", text)


def markdown_literal(text: object) -> str:
    """Text that a Markdown renderer shows exactly as typed: every sign that could make a
    link, an image, emphasis, code, HTML, a table, an icon or a formula is escaped (the
    line-start signs of lists and headings stay: they cannot fetch or hide anything).

    Newlines become Markdown line breaks, so a two-line description stays two lines.
    """
    escaped = _MARKDOWN.sub(r"\\\1", neutral(str(text)))
    return escaped.replace("\n", "  \n")
