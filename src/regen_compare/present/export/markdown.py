"""Handouts as Markdown: data text escaped so it is shown, never interpreted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from regen_compare.model.text import display_safe
from regen_compare.present.comparison import BEST
from regen_compare.present.export.content import (
    Block,
    Cell,
    Heading,
    Inline,
    KeyValues,
    List,
    Notice,
    Para,
    Table,
)
from regen_compare.present.export.document import Picture
from regen_compare.present.formats import md_cell

# --- Markdown -------------------------------------------------------------------------------

_LIST_START = re.compile(r"^([-+=])")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")


def _md_line(line: str, *, line_start: bool) -> str:
    text = md_cell(line.replace("\t", " "))  # no autolinks either (`no_autolinks`)
    if line_start:
        # At the start of a line, leading spaces would start a code block, and `-`, `+`, `=`
        # or `1.` a list or a heading underline.
        text = _LIST_START.sub(r"\\\1", text.lstrip(" \t"))
        text = _ORDERED_START.sub(r"\1\\\2", text)
    return text


def md_text(text: str, *, multiline: bool = False, line_start: bool = True) -> str:
    """Data text for Markdown: shown as written, never read as Markdown or HTML.

    Control characters become visible escapes (`display_safe`), Markdown punctuation is
    backslash-escaped (`formats.md_cell`), a URL, domain or e-mail address in the text is
    never turned into a link by a renderer's link detection (`no_autolinks`), and text that
    starts a line
    (`line_start`, and every line after a break) cannot open a list, heading or code block.
    Line breaks in multi-line text become hard breaks (a trailing backslash).
    """
    safe = display_safe(text, multiline=multiline)
    return "\\\n".join(
        _md_line(line, line_start=line_start or i > 0) for i, line in enumerate(safe.split("\n"))
    )


def _md_code(text: str) -> str:
    """A code span: its content is shown literally (used for URLs, so none becomes a link)."""
    safe = display_safe(text)
    longest = max((len(m) for m in re.findall(r"`+", safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") else ""
    return f"{fence}{pad}{safe}{pad}{fence}"


def _is_web_address(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)


def _md_link_target(url: str) -> str:
    """A link target inside `<…>`: the only characters that could end it are encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace("\\", "%5C")


def _md_inline(spans: Inline, *, line_start: bool = True) -> str:
    """Spans as Markdown; `line_start` when the first one begins a line of its own."""
    out = []
    for i, span in enumerate(spans):
        first = line_start and i == 0
        if span.style == "code":
            out.append(_md_code(span.text))
        elif span.style == "link" and _is_web_address(span.href):
            text = md_text(span.text, line_start=False)
            out.append(f"[{text}](<{_md_link_target(span.href)}>)")
        elif span.style == "strong":
            text = md_text(span.text, multiline=span.multiline, line_start=False)
            out.append(f"**{text}**")
        else:
            out.append(md_text(span.text, multiline=span.multiline, line_start=first))
    return "".join(out)


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * block.level + " " + md_text(block.text, line_start=False)
    if isinstance(block, Para):
        text = _md_inline(block.spans)
        return f"*{text}*" if block.css in ("meta", "note") else text
    if isinstance(block, List):
        lines = [f"**{md_text(block.title)}**", ""] if block.title else []
        lines += ["- " + _indent(_md_inline(item), "  ") for item in block.items]
        return "\n".join(lines)
    if isinstance(block, KeyValues):
        return "\n".join(
            f"- **{md_text(label)}:** " + _indent(_md_inline(value, line_start=False), "  ")
            for label, value in block.items
        )
    if isinstance(block, Table):
        return _md_table(block)
    if isinstance(block, Notice):
        title = f"**{md_text(block.title)}**"
        if block.kind == "warning":
            items = ["- " + _indent(_md_inline(item), "  ") for item in block.items]
            text = "\n".join([title, "", *items])
        else:
            text = title + " " + " ".join(_md_inline(i, line_start=False) for i in block.items)
        return "\n".join("> " + line if line else ">" for line in text.split("\n"))
    if isinstance(block, Picture):
        # Markdown has no picture: the sentence says what it would show.
        return md_text(block.sentence)
    return "\n\n".join(_md_block(b) for b in block.blocks)


def _md_table(table: Table) -> str:
    def cell(c: Cell) -> str:
        text = md_text(c.text, line_start=False)
        return f"{text} {BEST}" if c.best else text

    lines = []
    if table.caption:
        lines += [f"*{md_text(table.caption)}*", ""]
    header = [md_text(h, line_start=False) for h in table.header]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in table.rows:
        cells = [cell(c) for c in row]
        if table.row_headers and cells:
            # A sub-row's label is indented on screen; in Markdown a cell's leading spaces are
            # dropped and `**  x**` is not bold, so it reads "– x", the main rows in bold.
            label = cells[0].lstrip()
            cells[0] = f"– {label}" if label != cells[0] else f"**{label}**"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_markdown(doc: Sequence[Block]) -> str:
    return "\n\n".join(_md_block(b) for b in doc) + "\n"
