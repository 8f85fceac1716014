"""A report with every bidirectional control character taken out of its text.

Why once, before any renderer: a drill name or a finding holding the Unicode
right-to-left override reads differently from what was typed ("Trojan Source"); the
Markdown, HTML, PDF and DOCX writers all draw from the same model, so cleaning the
model cleans every format the same way.
"""

from __future__ import annotations

from dataclasses import replace

from plans.safe_text import neutral
from reports.aar_model import Block, Figure, Heading, Paragraph, Report, Table


def _block(block: Block) -> Block:
    if isinstance(block, Heading):
        return replace(block, text=neutral(block.text))
    if isinstance(block, Paragraph):
        return replace(block, text=neutral(block.text), label=neutral(block.label))
    if isinstance(block, Table):
        return replace(
            block,
            header=tuple(neutral(h) for h in block.header),
            rows=tuple(tuple(neutral(c) for c in row) for row in block.rows),
            caption=neutral(block.caption),
        )
    if isinstance(block, Figure):
        return replace(block, caption=neutral(block.caption))
    return block


def neutral_report(report: Report) -> Report:
    """The same report, its text without bidirectional controls."""
    sections = tuple(
        replace(s, title=neutral(s.title), blocks=tuple(_block(b) for b in s.blocks))
        for s in report.sections
    )
    return replace(report, title=neutral(report.title), sections=sections)
