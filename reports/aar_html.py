"""The after-action report as one self-contained, print-friendly HTML file.

Why self-contained: the report is mailed, archived and opened offline, sometimes
years later; it must not fetch anything (no web fonts, scripts or style sheets),
so the CSS is inline and the charts are embedded as ``data:`` URIs. Every string
goes through :func:`html.escape`: evaluators' texts and the drill log are user
input, and a note reading ``<script>`` must print as text.
"""

from __future__ import annotations

import base64
import html

from i18n import _, current_language
from reports.aar_model import Figure, Heading, Paragraph, Report, Section, Table, when

CSS = """
body { font-family: Helvetica, Arial, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC",
       "WenQuanYi Micro Hei", sans-serif; font-size: 11pt; color: #000;
       max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.35; }
h1 { font-size: 20pt; margin-bottom: 0.3em; }
h2 { font-size: 15pt; border-bottom: 1px solid #999; margin-top: 1.6em; }
h3 { font-size: 12.5pt; margin-bottom: 0.3em; }
h4 { font-size: 11pt; margin-bottom: 0.2em; }
p { margin: 0.3em 0; }
p.muted { color: #555; font-size: 9.5pt; }
.marking { font-weight: bold; color: #b00; text-align: center; letter-spacing: 0.2em; }
p.marking { border: 2px solid #b00; padding: 0.4em; letter-spacing: normal; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; font-size: 9.5pt; }
th, td { border: 1px solid #999; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
th { background: #eee; }
caption { caption-side: top; text-align: left; font-style: italic; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { font-style: italic; font-size: 9.5pt; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  thead { display: table-header-group; }
  tr, figure { page-break-inside: avoid; }
  h2, h3, h4 { page-break-after: avoid; }
  .marking-fixed { position: fixed; top: 0; left: 0; right: 0; }
  .marking-fixed.bottom { top: auto; bottom: 0; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _text(text: str) -> str:
    return "<br>".join(_e(line) for line in text.strip().splitlines())


def _table(table: Table) -> str:
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{_e(table.caption)}</caption>")
    parts.append(
        "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in table.header) + "</tr></thead>"
    )
    parts.append("<tbody>")
    parts += ["<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>" for row in table.rows]
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _figure(fig: Figure) -> str:
    data = base64.b64encode(fig.png).decode("ascii")
    caption = _e(_("Figure {number}: {caption}").format(number=fig.number, caption=fig.caption))
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{_e(fig.caption)}" '
        f'width="{fig.width}" height="{fig.height}"><figcaption>{caption}</figcaption></figure>'
    )


def _block(block: Heading | Paragraph | Table | Figure) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_e(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        label = _("{label}:").format(label=block.label) if block.label else ""
        label = f"<strong>{_e(label)}</strong> " if label else ""
        css = f' class="{block.style}"' if block.style != "body" else ""
        return f"<p{css}>{label}{_text(block.text)}</p>"
    if isinstance(block, Table):
        return _table(block)
    return _figure(block)


def _section(section: Section) -> str:
    tag = "h1" if section.key == "cover" else "h2"
    inner = "\n".join(_block(b) for b in section.blocks)
    heading = f"<{tag}>{_e(section.heading)}</{tag}>"
    return f'<section id="{_e(section.key)}">\n{heading}\n{inner}\n</section>'


def to_html(report: Report) -> str:
    """The report as one HTML document with inline CSS and embedded charts."""
    word = _e(_("DRAFT"))
    marking = (
        (
            f'<div class="marking marking-fixed">{word}</div>',
            f'<div class="marking marking-fixed bottom">{word}</div>',
        )
        if report.draft
        else ("", "")
    )
    title = _("{title} (DRAFT)").format(title=report.title) if report.draft else report.title
    body = "\n".join(_section(s) for s in report.sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="drillsim">\n'
        f'<meta name="date" content="{_e(when(report.generated_at))}">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f"{marking[0]}\n{body}\n{marking[1]}\n</body>\n</html>\n"
    )
