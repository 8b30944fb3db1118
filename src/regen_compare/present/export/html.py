"""Handouts as a standalone HTML page that prints cleanly: inline style, no scripts, no
external assets, every data string escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from regen_compare.model.text import display_safe
from regen_compare.present.comparison import BEST
from regen_compare.present.export.content import (
    Block,
    Heading,
    Inline,
    KeyValues,
    List,
    Notice,
    Para,
    Table,
)
from regen_compare.present.export.document import Picture

# --- HTML -----------------------------------------------------------------------------------

_CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #111; background: #fff; line-height: 1.45; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 1.8rem 0 .5rem; border-bottom: 2px solid #111;
     padding-bottom: .15rem; }
h3 { font-size: 1.05rem; margin: 1.1rem 0 .35rem; }
p.meta, p.note, p.kind { color: #333; font-style: italic; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .95rem; }
th, td { border: 1px solid #777; padding: .25rem .45rem; text-align: left;
         vertical-align: top; }
thead th { background: #eee; }
th[scope="row"] { background: #f6f6f6; white-space: nowrap; }
td.best { font-weight: bold; }
table.kv { width: auto; }
table.kv th { font-weight: 600; }
caption { text-align: left; font-style: italic; padding: .2rem 0; }
.url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
       font-size: .9em; overflow-wrap: anywhere; }
.notice { border: 2px solid #111; padding: .5rem .8rem; margin: .8rem 0; }
.notice.warning { border-width: 3px; background: #fff4e5; }
.notice .title { font-weight: bold; display: block; margin-bottom: .2rem; }
.notice ul { margin: .2rem 0; }
p.list-title { font-weight: 600; margin: .5rem 0 .1rem; }
ul { margin-top: .2rem; }
figure.people { display: flex; gap: .8rem; align-items: center; margin: .3rem 0 .5rem; }
figure.people svg { flex: none; width: 10rem; height: 10rem; }
figure.people figcaption { max-width: 30rem; }
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; color: #000; background: #fff; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, .notice, ul, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, th[scope="row"], .notice.warning { background: #fff; }
  section.later { break-before: page; page-break-before: always; }
  figure.people { break-inside: avoid; page-break-inside: avoid; }
  a { color: #000; text-decoration: none; }
  a[href]::after { content: " " attr(href); font-family: ui-monospace, Menlo, Consolas,
                   monospace; font-size: .85em; overflow-wrap: anywhere; word-break: break-all; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


# Where link detection (mail clients, viewers that linkify plain text) would start or extend
# a URL, domain or e-mail address: a dot inside a name, `@`, `:` before `/`, and `//`.
_AUTOLINK_TRIGGERS = re.compile(r"(?<=\w)\.(?=[^\W\d_])|@|:(?=/)|(?<=/)/")


def html_text(text: str, *, multiline: bool = False, links: bool = False) -> str:
    """Data text for HTML: control characters made visible, then `html.escape`d.

    Unless `links` (the source URLs, shown as they are), a `<wbr>` is put before each
    character a link detector would use to recognise a URL, domain or e-mail address: it
    renders nothing (it only allows a line break there), so the text reads the same, but the
    address is no longer one run of text and is not made into a link."""
    safe = display_safe(text, multiline=multiline)
    if not links:
        parts = _AUTOLINK_TRIGGERS.split(safe)
        triggers = _AUTOLINK_TRIGGERS.findall(safe)
        escaped = html.escape(parts[0], quote=True)
        for trigger, part in zip(triggers, parts[1:], strict=True):
            escaped += "<wbr>" + html.escape(trigger, quote=True) + html.escape(part, quote=True)
    else:
        escaped = html.escape(safe, quote=True)
    return escaped.replace("\n", "<br>\n") if multiline else escaped


def _is_web_address(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


def _html_inline(spans: Inline) -> str:
    out = []
    for span in spans:
        # Source URLs (code spans) and source links keep their rendering; other text never
        # becomes a link by accident.
        text = html_text(span.text, multiline=span.multiline, links=span.style in ("code", "link"))
        if span.style == "code":
            out.append(f'<span class="url">{text}</span>')
        elif span.style == "link" and _is_web_address(span.href):
            # A real link to a source (validated http(s) when the data was loaded, checked
            # again here); it opens nothing by itself and sends no referrer.
            href = html.escape(span.href, quote=True)
            out.append(f'<a href="{href}" rel="noopener noreferrer">{text}</a>')
        elif span.style == "strong":
            out.append(f"<strong>{text}</strong>")
        else:
            out.append(text)
    return "".join(out)


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{html_text(block.text)}</h{block.level}>"
    if isinstance(block, Para):
        css = f' class="{block.css}"' if block.css else ""
        return f"<p{css}>{_html_inline(block.spans)}</p>"
    if isinstance(block, List):
        title = f'<p class="list-title">{html_text(block.title)}</p>\n' if block.title else ""
        items = "\n".join(f"<li>{_html_inline(item)}</li>" for item in block.items)
        return f"{title}<ul>\n{items}\n</ul>"
    if isinstance(block, KeyValues):
        rows = "\n".join(
            f'<tr><th scope="row">{html_text(label)}</th><td>{_html_inline(value)}</td></tr>'
            for label, value in block.items
        )
        return f'<table class="kv">\n{rows}\n</table>'
    if isinstance(block, Table):
        return _html_table(block)
    if isinstance(block, Notice):
        title = f'<span class="title">{html_text(block.title)}</span>'
        if block.kind == "warning":
            items = "\n".join(f"<li>{_html_inline(item)}</li>" for item in block.items)
            body = f"<ul>\n{items}\n</ul>"
        else:
            body = " ".join(_html_inline(item) for item in block.items)
        return f'<div class="notice {block.kind}" role="note">{title}\n{body}\n</div>'
    if isinstance(block, Picture):
        return _html_picture(block)
    inner = "\n".join(_html_block(b) for b in block.blocks)
    return f'<section class="{block.css}">\n{inner}\n</section>'


_CELL = 20
_RADIUS = 7


def _person(index: int, mark: str) -> str:
    """One person of the picture: filled (helped beyond the comparison), half filled (helped
    with the comparison too) or an empty ring (not helped): shapes, never colour, so it
    reads and prints the same in black and white."""
    x = _CELL // 2 + _CELL * (index % 10)
    y = _CELL // 2 + _CELL * (index // 10)
    ring = f'<circle cx="{x}" cy="{y}" r="{_RADIUS}" fill="#fff" stroke="#000" stroke-width="1.5"/>'
    if mark == "helped":
        return f'<circle cx="{x}" cy="{y}" r="{_RADIUS}" fill="#000" stroke="#000"/>'
    if mark == "anyway":
        half = f"M{x},{y - _RADIUS} A{_RADIUS},{_RADIUS} 0 0,0 {x},{y + _RADIUS} Z"
        return ring + f'<path d="{half}" fill="#000"/>'
    return ring


def _html_picture(picture: Picture) -> str:
    """The picture of 100 people as inline SVG (no image file: the page's policy forbids
    them) with its sentence as the caption; screen readers get the sentence as its label."""
    helped, anyway, rest = picture.counts
    marks = ["helped"] * helped + ["anyway"] * anyway + ["not"] * rest
    people = "".join(_person(i, m) for i, m in enumerate(marks[:100]))
    label = html.escape(display_safe(picture.sentence), quote=True)
    size = _CELL * 10
    svg = f'<svg viewBox="0 0 {size} {size}" role="img" aria-label="{label}">{people}</svg>'
    caption = f"<figcaption>{html_text(picture.sentence)}</figcaption>"
    return f'<figure class="people">\n{svg}\n{caption}\n</figure>'


def _html_table(table: Table) -> str:
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{html_text(table.caption)}</caption>")
    head = "".join(
        f'<th scope="col">{html_text(h)}</th>' if h else "<td></td>" for h in table.header
    )
    parts.append(f"<thead><tr>{head}</tr></thead>")
    parts.append("<tbody>")
    for row in table.rows:
        cells = []
        for i, c in enumerate(row):
            text = html_text(c.text)
            if table.row_headers and i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif c.best:
                cells.append(f'<td class="best">{text} {BEST}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def render_html(doc: Sequence[Block], title: str) -> str:
    body = "\n".join(_html_block(b) for b in doc)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n"
        f"<style>\n{_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{body}\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
