"""What a reader reads in a rendered HTML handout: its text by part, counted in words, and its
prose as sentences for a readability score.

The text is what a browser shows on screen: tags, the style sheet and the picture's drawing
are not read (a link's address shows only when printed, so it is not counted either). Each
paragraph, list item, table row of a label and its value, caption and heading is one piece;
a piece is one sentence at least (a list item without a full stop counts as a sentence, as
the issue asks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

_PIECES = {"p", "li", "h1", "h2", "h3", "caption", "figcaption", "th", "td", "tr"}
_NOT_READ = {"style", "svg", "head", "title", "script"}


@dataclass(frozen=True)
class Piece:
    sections: tuple[str, ...]
    """The class names of the sections it is in (outermost first)."""
    kind: str
    """"heading", "prose" (paragraphs, list items, a label with its value, captions) or
    "cell" (a cell of a table of figures)."""
    text: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.sections: list[str] = []
        self.tables: list[bool] = []
        """For each open table: whether it is a label/value table (`kv`), read as prose."""
        self.text: list[str] = []
        self.pieces: list[Piece] = []

    def _flush(self, kind: str) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.pieces.append(Piece(tuple(self.sections), kind, text))
        self.text = []

    def _in_kv(self) -> bool:
        return bool(self.tables) and self.tables[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag in _NOT_READ:
            self.hidden += 1
        elif tag == "section":
            self._flush("prose")
            self.sections.append(css)
        elif tag == "table":
            self.tables.append("kv" in css.split())
        elif tag in _PIECES and not (tag in ("th", "td") and self._in_kv()):
            self._flush("prose")
        elif tag == "br":
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _NOT_READ:
            self.hidden -= 1
        elif tag == "section":
            self._flush("prose")
            self.sections.pop()
        elif tag == "table":
            self.tables.pop()
        elif tag in _PIECES:
            if tag in ("th", "td") and self._in_kv():
                self.text.append(" ")  # the label and its value are one piece
                return
            if tag in ("h1", "h2", "h3"):
                kind = "heading"
            elif tag in ("th", "td", "caption") or (tag == "tr" and not self._in_kv()):
                kind = "cell"
            else:
                kind = "prose"
            self._flush(kind)

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def pieces(page: str) -> list[Piece]:
    reader = _Reader()
    reader.feed(page)
    reader._flush("prose")
    return reader.pieces


def words(text: str) -> int:
    """Words a reader reads: tokens with a letter or a digit (not `·`, `×` or `—`)."""
    return sum(1 for token in text.split() if re.search(r"[A-Za-z0-9]", token))


def in_section(found: list[Piece], css: str) -> list[Piece]:
    return [p for p in found if any(css in s.split() for s in p.sections)]


def count(found: list[Piece]) -> int:
    return sum(words(p.text) for p in found)


def prose(found: list[Piece]) -> str:
    """The prose as sentences: each piece ends with a full stop (a list item or a label with
    its value is one sentence at least); headings and table cells are not prose."""
    out = []
    for piece in found:
        if piece.kind == "prose":
            text = piece.text
            out.append(text if text[-1] in ".!?" else text + ".")
    return "\n".join(out)
