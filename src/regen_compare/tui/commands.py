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
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from regen_compare.safe_text import display_safe
from regen_compare.tui import keys
from regen_compare.tui.display import columns
from regen_compare.tui.themes import CHOICES

if TYPE_CHECKING:
    from regen_compare.tui.app import RegenCompareApp

Entry = tuple[str, str, Callable[[], object]]
"""(title, help, callback); help is the app's own text, never data."""


def entries(app: RegenCompareApp) -> list[Entry]:
    out: list[Entry] = []
    catalog = app.catalog
    if catalog is not None:
        out.append(
            ("payer: none (cash prices)", "Show cash prices, no plan", partial(app.set_payer, None))
        )
        for pid, payer in catalog.payers.items():
            out.append(
                (
                    f"payer: {display_safe(payer.name)}",
                    "Switch the plan",
                    partial(app.set_payer, pid),
                )
            )
        out.append(
            (
                "condition: any",
                "Show therapies for every condition",
                partial(app.set_condition, None),
            )
        )
        for cid, condition in catalog.conditions.items():
            out.append(
                (
                    f"condition: {display_safe(condition.name)}",
                    "Switch the condition",
                    partial(app.set_condition, cid),
                )
            )
    for key in keys.palette_keys():
        assert key.palette is not None
        out.append((key.palette, f"{key.display} — {key.help}", action(app, key)))
    for name, label in CHOICES.items():
        out.append((f"theme: {label.lower()}", "t cycles the themes", partial(app.set_theme, name)))
    seen: set[str] = set()
    for column in columns(app.session.profile):
        if column.key in seen:
            continue
        seen.add(column.key)
        out.append(
            (
                f"sort: by {column.title.lower()}",
                "Click a header or press its number",
                partial(app.set_sort, column.key),
            )
        )
    return out


def action(app: RegenCompareApp, key: keys.Key) -> Callable[[], object]:
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
    """Palette entries for regen-compare's actions."""

    @property
    def _app(self) -> RegenCompareApp:
        from regen_compare.tui.app import RegenCompareApp

        assert isinstance(self.app, RegenCompareApp)
        return self.app

    async def discover(self) -> Hits:
        for title, help_text, callback in entries(self._app):
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in entries(self._app):
            score, offsets = matcher.fuzzy_search.match(query, title)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(title, offsets),
                    callback,
                    text=title,
                    help=help_text,
                )
