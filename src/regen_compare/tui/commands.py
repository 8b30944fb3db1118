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


def _say(app: App[Any], change: Callable[[str | None], str | None], value: str | None) -> None:
    """Make a change whose outcome is a sentence (marks a condition hides) and show it."""
    message = change(value)
    if message:
        app.notify(message, markup=False)


def _data_entries(consult: Consult, app: App[Any]) -> list[Entry]:
    """Plan, condition and region: one entry per choice the data offers."""
    catalog = consult.catalog
    if catalog is None:
        return []
    out: list[Entry] = [
        (
            "plan (payer): none, cash prices",
            "Show cash prices, no plan",
            partial(consult.set_payer, None),
        )
    ]
    for pid, name in catalog.names_of_payers().items():
        title = f"plan (payer): {display_safe(name)}"
        out.append((title, "Switch the plan", partial(consult.set_payer, pid)))
    for sid, supplement in catalog.supplements.items():
        title = f"supplement: {display_safe(supplement.name)}"
        help_text = "Coverage that pays after the plan (Medigap, Medicaid after Medicare)"
        out.append((title, help_text, partial(consult.set_supplement, sid)))
    out.append(
        ("supplement: none", "No coverage after the plan", partial(consult.set_supplement, None))
    )
    any_condition = partial(_say, app, consult.set_condition, None)
    out.append(("condition: any", "Show therapies for every condition", any_condition))
    for cid, condition in catalog.conditions.items():
        out.append(
            (
                f"condition: {display_safe(condition.name)}",
                "Switch the condition",
                partial(_say, app, consult.set_condition, cid),
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


PATIENT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("what matters (weights): how much each criterion counts", "weight-cost", "p Patient"),
    ("horizon (years): how many years to count", "years", "p Patient"),
    ("amounts met: deductible and out-of-pocket already paid", "deductible-met", "p Patient"),
    ("where the patient lives (region, state)", "region", "p Patient"),
    ("condition: choose in the panel", "condition", "p Patient"),
)
"""Palette entries in the words people use, each opening the patient panel at its field."""


def entries(consult: Consult, app: App[Any]) -> list[Entry]:
    """Every palette entry for this consult: the app's own first, in the words people use
    (the actions with a key come from `tui.keys`), then the data's plans, conditions and
    regions, themes and sorts. Key actions run on `app` (its `action_*`)."""
    out: list[Entry] = []
    for key in keys.palette_keys():
        assert key.palette is not None
        out.append((key.palette, f"{key.display} — {key.help}", action(app, key)))
    for title, field, where in PATIENT_FIELDS:
        open_field = getattr(app, "action_patient_field", None)
        if open_field is not None:
            out.append((title, where, partial(open_field, field)))
    out.append(("quit regen-compare", "ctrl+q", app.action_quit))
    out += _data_entries(consult, app)
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
