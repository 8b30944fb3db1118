"""The words of the one-line bars (the profile summary, the row count) as Rich `Text`, fitted
to a width a fact at a time: a bar never cuts a word at its edge."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.model.catalog import Catalog
from regen_compare.model.text import display_safe
from regen_compare.present import figures

SEPARATOR = " · "


@dataclass(frozen=True)
class Part:
    """One fact of a one-line bar: shown whole, in its `short` wording, or not at all."""

    text: str
    style: str = ""
    short: str | None = None


def fit_parts(parts: Sequence[Part], width: int | None) -> Text:
    """`parts` joined by ` · ` in `width` cells (all of them when `width` is None). The first
    is always shown (cut at a word when even it is too long); each later one whole, or in its
    short wording, while it fits; once one does not, the rest are left out, so no word is ever
    cut at the edge. The parts come in order of importance."""
    text = Text()
    for n, part in enumerate(parts):
        lead = SEPARATOR if n else ""
        if width is None:
            text.append(lead + part.text, part.style)
            continue
        room = width - text.cell_len - cell_len(lead)
        choice = next(
            (w for w in (part.text, part.short) if w is not None and cell_len(w) <= room), None
        )
        if choice is None and n == 0:
            choice = shorten_at_word(part.text, max(room, 1))
        if choice is None:
            break
        text.append(lead + choice, part.style)
    return text


def profile_summary(
    catalog: Catalog | None, profile: Profile, width: int | None = None, prefix: str = ""
) -> Text:
    """`Knee osteoarthritis · Original Medicare… · 5 years · deductible met $0 · …`.

    Condition, plan, horizon and region come first and always fit in `width`. When the
    names' bracketed asides keep an amount already met off the line, the asides go;
    otherwise the plan's name is shortened at a word (with an ellipsis) before
    anything else gives way, never the horizon, and the amounts met follow, each whole or not
    at all."""
    facts = {what: display_safe(value) for what, value in figures.profile_facts(catalog, profile)}
    condition, payer = facts["condition"], facts["plan"]
    kept = [facts["horizon"], *([facts["region"]] if "region" in facts else [])]
    met = [
        f"{what} {facts[what]}" for what in ("deductible met", "out-of-pocket met") if what in facts
    ]
    text = Text(prefix, "bold") if prefix else Text()
    room = None if width is None else width - cell_len(prefix)
    if room is not None:
        bare = (without_asides(condition), without_asides(payer))
        if _met_shown(bare, kept, met, room) > _met_shown((condition, payer), kept, met, room):
            # The amounts met matter more than the names' bracketed asides.
            condition, payer = bare
        else:
            condition, payer = _names_in(condition, payer, kept, room)
    parts = [Part(condition, "bold"), Part(payer, "bold"), *(Part(f, "bold") for f in kept)]
    parts += [Part(fact) for fact in met]
    return text.append_text(fit_parts(parts, room))


def _met_shown(names: tuple[str, str], kept: Sequence[str], met: Sequence[str], room: int) -> int:
    """How many of the amounts met fit on the line after these names (-1: not even the names,
    horizon and region do)."""
    used = cell_len(SEPARATOR.join([*names, *kept]))
    if used > room:
        return -1
    shown = 0
    for fact in met:
        used += cell_len(SEPARATOR) + cell_len(fact)
        if used > room:
            break
        shown += 1
    return shown


def _names_in(condition: str, payer: str, kept: Sequence[str], room: int) -> tuple[str, str]:
    """Condition and plan shortened so that they, the horizon and the region fit in `room`:
    the condition's aside goes first, then the plan's name is cut after a whole word."""
    fixed = room - 1 - sum(cell_len(SEPARATOR) + cell_len(fact) for fact in ["", *kept])
    if cell_len(condition) + cell_len(payer) > fixed:
        condition = without_asides(condition)
    left = fixed - cell_len(condition)
    if cell_len(payer) > left:
        payer = shorten_at_word(payer, max(left, 8))
    return condition, payer


def without_asides(text: str) -> str:
    """`text` without its bracketed asides ("Original Medicare (Parts A and B, 2026)" →
    "Original Medicare"), or `text` when that would leave nothing."""
    bare = " ".join(re.sub(r"\([^()]*\)", " ", text).split())
    return bare or text


def shorten_at_word(text: str, width: int) -> str:
    """`text` in at most `width` cells, ending in "…": without its bracketed asides when that
    fits, else cut after the last whole word that fits (inside a word only when the first
    word alone is too long)."""
    if cell_len(text) <= width:
        return text
    bare = without_asides(text)
    if bare != text and cell_len(bare) < width:
        return bare + "…"
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    at_space = out.rfind(" ")
    if at_space > 0 and text[len(out) : len(out) + 1] not in (" ", ""):
        out = out[:at_space]
    return out.rstrip(" ,(·") + "…"


def count_parts(shown: int, total: int, filters: Filters, marks: int) -> list[Part]:
    """The count line's facts, most important first: how many are shown, the filters that
    hide the rest, the marks."""
    noun = "therapy" if total == 1 else "therapies"
    parts = [Part(f"{shown:,} of {total:,} {noun}", "bold")]
    described = filters.describe()
    if described:
        parts.append(Part("filters: " + display_safe("; ".join(described)), short="filtered"))
    if marks:
        parts.append(Part(f"marked {marks}/4 (c: compare)", short=f"marked {marks}/4"))
    return parts
