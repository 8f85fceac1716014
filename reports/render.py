"""One after-action report in the format a user chose, as bytes.

Why a module of its own: the command line and the console both offer the same
formats, and must write the same bytes for the same drill.
"""

from __future__ import annotations

from typing import Any

from reports.aar_docx import to_docx
from reports.aar_html import to_html
from reports.aar_markdown import to_markdown
from reports.aar_pdf import to_pdf
from reports.neutral_report import neutral_report

FORMATS = {"md": ".md", "html": ".html", "pdf": ".pdf", "docx": ".docx"}
"""Format name -> file extension."""


def render(report: Any, fmt: str) -> bytes:
    """The report in one format, as bytes (bidirectional controls taken out first)."""
    report = neutral_report(report)
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "docx":
        return to_docx(report)
    return (to_html(report) if fmt == "html" else to_markdown(report)).encode("utf-8")
