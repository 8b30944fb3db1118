"""The words of the one-line bars (the profile summary, the row count) as Rich `Text`.
Without Textual: a first start's preview builds them in a forked child while the parent
imports Textual (`preview_frame`).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.model.catalog import Catalog
from regen_compare.model.text import display_safe
from regen_compare.present import figures


def profile_summary(
    catalog: Catalog | None, profile: Profile, width: int | None = None, prefix: str = ""
) -> Text:
    """`Knee osteoarthritis · Original Medicare… · 5 years · deductible met $0 · …`.

    Condition, plan and horizon come first and always fit in `width`: the plan's name is
    shortened (with an ellipsis) before anything else gives way, never the horizon; the
    amounts already met follow and may be cut at the edge."""
    facts = {what: display_safe(value) for what, value in figures.profile_facts(catalog, profile)}
    condition, payer = facts["condition"], facts["plan"]
    span = f" · {facts['horizon']}"
    if "region" in facts:
        span += f" · {facts['region']}"
    if width is not None:
        room = width - cell_len(prefix) - cell_len(condition) - 3 - cell_len(span) - 1
        if cell_len(payer) > room:
            payer = _shorten(payer, max(room, 8))
    text = Text(prefix, "bold") if prefix else Text()
    text.append(condition, "bold")
    text.append(" · ")
    text.append(payer, "bold")
    text.append(span, "bold")
    for what in ("deductible met", "out-of-pocket met"):
        if what in facts:
            text.append(f" · {what} {facts[what]}")
    return text


def _shorten(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out.rstrip(" ,(") + "…"


def count_line(shown: int, total: int, filters: Filters, marks: int) -> Text:
    noun = "therapy" if total == 1 else "therapies"
    text = Text()
    text.append(f"{shown:,} of {total:,} {noun}", "bold")
    described = filters.describe()
    if described:
        text.append(" · filters: " + display_safe("; ".join(described)))
    if marks:
        text.append(f" · marked {marks}/4 (c: compare)")
    return text
