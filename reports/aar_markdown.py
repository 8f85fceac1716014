"""The after-action report as Markdown (GitHub flavour): text only, the charts left to HTML and PDF.

Why escape: evaluators' texts and the drill log are user input; a '|' would split a
table cell, a '<' could open raw HTML in whatever renders the file, a '*' or '#'
would change the layout. Markdown cannot hold the charts, and a caption belongs
only where its figure is, so the first chart is replaced by one line saying the charts
are in the HTML and PDF reports, and no caption is printed.
"""

from __future__ import annotations

import re

from i18n import _
from reports.aar_model import Figure, Heading, Paragraph, Report, Table

SPECIAL = re.compile(
    r"[\\`*\[\]|&]"  # always: escapes, code, emphasis, links, table cells, entities
    r"|<(?=[A-Za-z/!?])"  # a '<' that could open an HTML tag ('<=' stays as it is)
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # '_' except inside a word (GitHub ignores those)
)
"""What Markdown could read as markup, escaped with a backslash."""
LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))")
"""A line starting like a heading, a quote or a list item."""


def escape(text: str) -> str:
    """User text safe inside a table cell or a heading."""
    return SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _guard(match: re.Match[str]) -> str:
    indent, mark, digits, punct = match.groups()
    return indent + (f"\\{mark}" if mark else f"{digits}\\{punct}")


def escape_line(line: str) -> str:
    """One line of a paragraph: as :func:`escape`, and never read as a heading or list."""
    return LINE_START.sub(_guard, escape(line))


def _cell(text: str) -> str:
    return escape(" ".join(text.split())) or " "


def _lines(text: str) -> str:
    # A trailing backslash is Markdown's hard line break; trailing spaces would be
    # stripped by editors and by the repository's whitespace hook.
    return "\\\n".join(escape_line(line.strip()) for line in text.strip().splitlines())


def _table(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [f"*{escape(table.caption)}*", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return lines


def to_markdown(report: Report) -> str:
    """The report as one Markdown document, ending with a newline."""
    out: list[str] = []
    figures_noted = False
    for section in report.sections:
        level = "#" if section.key == "cover" else "##"
        out += [f"{level} {escape(section.heading)}", ""]
        for block in section.blocks:
            if isinstance(block, Heading):
                out.append(f"{'#' * block.level} {escape(block.text)}")
            elif isinstance(block, Paragraph):
                text = _lines(block.text) or "-"
                if block.style == "marking":
                    text = f"**{text}**"
                elif block.style == "muted":
                    text = f"*{text}*"
                label = _("{label}:").format(label=escape(block.label)) if block.label else ""
                out.append(f"**{label}** {text}" if label else text)
            elif isinstance(block, Table):
                out += _table(block)
            elif isinstance(block, Figure):
                if figures_noted:
                    continue  # a caption goes only where its figure is: not here
                figures_noted = True
                note = _("The charts of this section are in the HTML and PDF reports.")
                out.append(f"*{note}*")
            out.append("")
    if report.draft:
        out += ["---", "", f"**{_('DRAFT')}**", ""]
    return "\n".join(out).rstrip("\n") + "\n"
