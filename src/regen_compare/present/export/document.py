"""The handout's document model: plain strings in a few block types.

Every format renders from these (`markdown`, `html`), so they all say the same thing; only
the renderers add markup and escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regen_compare.model.entities import Therapy


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""
    """"" plain, "strong", "code" (shown literally) or "link" (`text` linking to `href`)."""
    multiline: bool = False
    href: str = ""
    """For "link": an http(s) address from the data (validated as such when loaded)."""


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    spans: Inline
    css: str = ""


@dataclass(frozen=True)
class List:
    items: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class KeyValues:
    items: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True)
class Cell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = False
    caption: str = ""


@dataclass(frozen=True)
class Notice:
    kind: str
    """"warning" (official safety warnings) or "disclaimer"."""
    title: str
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Picture:
    """A picture of 100 people: `counts` is (helped beyond the comparator, helped with the
    comparator too, not helped), in that order. `sentence` says the same in words: HTML shows
    it beside the picture (and gives it to screen readers), Markdown shows only the sentence."""

    counts: tuple[int, int, int]
    sentence: str


@dataclass(frozen=True)
class Section:
    css: str
    """Class names for HTML; `later` starts a new printed page (a handout's later pages)."""
    blocks: tuple[Block, ...]


Block = Heading | Para | List | KeyValues | Table | Notice | Picture | Section


def plain(text: str, *, multiline: bool = False) -> Inline:
    """Text as one plain span."""
    return (Span(text, multiline=multiline),)


def title_of(doc: Sequence[Block]) -> str | None:
    """The text of the document's first level-1 heading (inside sections too), if any."""
    for block in doc:
        if isinstance(block, Heading) and block.level == 1:
            return block.text
        if isinstance(block, Section):
            found = title_of(block.blocks)
            if found is not None:
                return found
    return None


def warnings_notice(therapy: Therapy) -> list[Block]:
    """A therapy's official warnings, first in its section of every handout (none: none)."""
    if not therapy.warnings:
        return []
    title = "⚠ Official warning" + ("s" if len(therapy.warnings) > 1 else "")
    return [Notice("warning", title, tuple(plain(w, multiline=True) for w in therapy.warnings))]
