"""The command palette's own entries, named "category: action" (payer, condition, compare,
export, theme, session, sort, view). The entries for actions that have a key come from
`tui.keys`, the list the bindings and the help are built from.

Titles can hold data (payer and condition names), and Textual's stock highlighter parses its
candidate as markup, so this provider builds its own `Content` from display-safe text and
highlights the matched characters itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from regen_compare.consult import Consult
from regen_compare.model.text import display_safe
from regen_compare.tui import keys
from regen_compare.tui.display import columns
from regen_compare.tui.textual_adapter import fuzzy_offsets
from regen_compare.tui.themes import CHOICES

Entry = tuple[str, str, Callable[[], object]]
"""(title, help, callback); help is the app's own text, never data."""


def _data_entries(consult: Consult) -> list[Entry]:
    """Plan, condition and region: one entry per choice the data offers."""
    catalog = consult.catalog
    if catalog is None:
        return []
    out: list[Entry] = [
        ("payer: none (cash prices)", "Show cash prices, no plan", partial(consult.set_payer, None))
    ]
    for pid, name in catalog.names_of_payers().items():
        title = f"payer: {display_safe(name)}"
        out.append((title, "Switch the plan", partial(consult.set_payer, pid)))
    any_condition = partial(consult.set_condition, None)
    out.append(("condition: any", "Show therapies for every condition", any_condition))
    for cid, condition in catalog.conditions.items():
        out.append(
            (
                f"condition: {display_safe(condition.name)}",
                "Switch the condition",
                partial(consult.set_condition, cid),
            )
        )
    if consult.regions is not None:
        national = partial(consult.set_region, None)
        out.append(("region: none (national prices)", "Where the patient lives", national))
        for code, region in sorted(consult.regions.regions.items()):
            out.append(
                (
                    f"region: {code} {display_safe(region.name)}",
                    "Medicare amounts adjusted for this state (cash prices stay national)",
                    partial(consult.set_region, code),
                )
            )
    return out


def entries(consult: Consult, app: App[Any]) -> list[Entry]:
    """Every palette entry for this consult; key actions run on `app` (its `action_*`)."""
    out = _data_entries(consult)
    for key in keys.palette_keys():
        assert key.palette is not None
        out.append((key.palette, f"{key.display} — {key.help}", action(app, key)))
    for name, label in CHOICES.items():
        pick = partial(setattr, app, "theme", name)
        out.append((f"theme: {label.lower()}", "t cycles the themes", pick))
    seen: set[str] = set()
    for column in columns(consult.session.profile):
        if column.key in seen:
            continue
        seen.add(column.key)
        out.append(
            (
                f"sort: by {column.title.lower()}",
                "Click a header or press its number",
                partial(consult.set_sort, column.key),
            )
        )
    return out


def action(app: App[Any], key: keys.Key) -> Callable[[], object]:
    """The app's method for a key's action (the palette offers app-level actions only)."""
    method: Callable[[], object] = getattr(app, "action_" + key.action_name)
    return method


def _highlight(text: str, offsets: Sequence[int]) -> Content:
    """`text` as plain Content (never markup) with the matched characters underlined."""
    content = Content(text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class RegenCommands(Provider):
    """Palette entries for regen-compare's actions (the app gives its `consult`)."""

    def _entries(self) -> list[Entry]:
        consult = getattr(self.app, "consult", None)
        return entries(consult, self.app) if isinstance(consult, Consult) else []

    async def discover(self) -> Hits:
        for title, help_text, callback in self._entries():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        for title, help_text, callback in self._entries():
            score, offsets = fuzzy_offsets(query, title)
            if score > 0:
                yield Hit(score, _highlight(title, offsets), callback, text=title, help=help_text)
