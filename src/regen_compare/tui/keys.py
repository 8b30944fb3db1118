"""Every key of the app, once: the bindings, the F1 help and the palette's action entries are
all built from these lists, so they cannot drift apart (tests/tui/test_keys.py checks that
every binding is in the help and every action exists).

A `Key` is one binding (or a key Textual itself provides, such as ctrl+p, listed for the help
with `bind=False`). `help` is the help screen's sentence; `label` the footer's word; `palette`,
when set, the command palette's "category: action" title for the same action.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding, BindingType

from regen_compare.model.limits import MAX_MARKS

_KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "escape": "esc",
    "slash": "/",
    "delete": "Del",
}


class Key(NamedTuple):
    keys: str
    """Textual key names, comma-separated (`escape,q`)."""
    action: str
    """The action; `{n}` in it makes one binding per key, numbered from 0 (sort columns)."""
    help: str
    label: str = ""
    show: bool = True
    id: str | None = None
    palette: str | None = None
    shown: str | None = None
    """How the help writes the keys, when not just the key names (`1 … 8`)."""
    bind: bool = True
    """False: a key Textual provides (ctrl+p, tab) listed for the help only."""
    priority: bool = False
    """Acted on when the app reads the key, before any key after it is routed (Textual's
    priority binding): `/` must move the focus before the letters typed after it arrive."""

    @property
    def display(self) -> str:
        """The keys as the help and the palette write them (`esc  q`)."""
        if self.shown is not None:
            return self.shown
        return "  ".join(_KEY_NAMES.get(k, k) for k in self.keys.split(","))

    @property
    def action_name(self) -> str:
        """The action's method name without its namespace or arguments (`action_<name>`)."""
        return self.action.split(".")[-1].split("(")[0]

    def bindings(self) -> list[Binding]:
        if not self.bind:
            return []
        label = self.label or self.help
        if "{n}" in self.action:
            return [
                Binding(k, self.action.format(n=i), f"{label} {i + 1}", show=False)
                for i, k in enumerate(self.keys.split(","))
            ]
        return [
            Binding(
                self.keys, self.action, label, show=self.show, id=self.id, priority=self.priority
            )
        ]


def bindings(keys: list[Key]) -> list[BindingType]:
    """The Textual `BINDINGS` of a screen, widget or the app."""
    return [b for key in keys for b in key.bindings()]


TABLE: list[Key] = [
    Key("up,k", "cursor(-1)", "move up in the therapy table", "Up", show=False),
    Key("down,j", "cursor(1)", "move down", "Down", show=False),
    Key("pageup", "page(-1)", "a page up", "Page up", show=False),
    Key("pagedown", "page(1)", "a page down", "Page down", show=False),
    Key("home,g", "first", "the first therapy", "First", show=False),
    Key("end,G", "last", "the last therapy", "Last", show=False),
    Key(
        "left,h",
        "column(-1)",
        "the column to the left (one column a press)",
        "Column left",
        show=False,
    ),
    Key("right,l", "column(1)", "the column to the right", "Column right", show=False),
    Key(
        "space,m",
        "mark",
        f"mark / unmark for the side-by-side (up to {MAX_MARKS}); or click [ ]",
        "Mark",
        id="mark",
    ),
]
"""The therapy table's own keys (the widget's BINDINGS)."""

MAIN: list[Key] = [
    Key(
        "slash",
        "search",
        "search: filters as you type (esc clears it, esc again returns to the table)",
        "Search",
        show=False,
        id="search",
        priority=True,
    ),
    Key(
        "enter",
        "search_done",
        "in the search: to the list, its cursor on the best match",
        "To the list",
        show=False,
        id="search-done",
        priority=True,
    ),
    Key(
        "c",
        "app.compare",
        "compare the marked therapies side by side",
        "Compare",
        id="compare",
        palette="compare: open the side-by-side",
    ),
    Key(
        "p,f",
        "toggle_filters",
        "the patient: condition, plan, supplement, what matters, then the filters (show / hide)",
        "Patient",
        id="toggle-filters",
        palette="patient: condition, plan, what matters (weights), horizon, filters",
    ),
    Key(
        "o",
        "app.open_scenarios",
        "saved scenarios: open, rename, delete, compare two",
        "Scenarios",
        id="scenarios",
        palette="scenario: open…",
    ),
    Key(
        "d",
        "toggle_detail",
        "show / hide the detail pane",
        "Detail",
        show=False,
        id="toggle-detail",
    ),
    Key(
        "u",
        "app.usual_care",
        "mark the usual traditional care for the chosen condition (names any left out)",
        "Usual care",
        show=False,
        id="usual-care",
        palette="compare: add usual care",
    ),
    Key(
        "x",
        "app.clear_marks",
        "clear all marks",
        "Clear marks",
        show=False,
        id="clear-marks",
        palette="compare: clear marks",
    ),
    Key(
        "n",
        "app.edit_units",
        "how many injections, sessions… the patient expects, this year and later (the "
        "therapy under the cursor; set in this consult)",
        "Units",
        show=False,
        id="edit-units",
        palette="units: set how many (injections, sessions) for this therapy",
    ),
    Key("s", "next_sort", "sort by the next column", "Next sort", show=False, id="next-sort"),
    Key("r", "reverse_sort", "reverse the order", "Reverse sort", show=False, id="reverse-sort"),
    Key(
        "escape",
        "focus_table",
        "clear the search / back to the table",
        "Clear search / table",
        show=False,
    ),
    Key(
        "1,2,3,4,5,6,7,8",
        "sort_column({n})",
        "sort by that column; again reverses (▲ / ▼); or click a header",
        "Sort by column",
        shown="1 … 8",
    ),
    Key(
        "tab,shift+tab",
        "focus_next",
        "move between the panel, the table and the detail pane",
        bind=False,
    ),
]

WHAT_MATTERS_KEY = "p"
"""On the side-by-side: to the patient panel's "what matters" (the fit says "not asked yet"
until then)."""

COMPARE: list[Key] = [
    Key("escape,q", "app.pop_screen", "back to the list", "Back", id="back"),
    Key(
        WHAT_MATTERS_KEY,
        "app.patient_field('weight-cost')",
        "what matters to the patient (the patient panel, on the list)",
        "What matters",
        show=False,
        id="compare-what-matters",
    ),
    Key(
        "g",
        "toggle_chart",
        "switch between the table and the cumulative cost chart",
        "Chart/table",
        id="chart",
    ),
    Key(
        "u",
        "app.usual_care",
        "add the usual traditional care for the condition",
        "Usual care",
        show=False,
        id="usual-care",
    ),
    Key(
        "e",
        "app.export_handout",
        "export a handout (Markdown or HTML; full detail on request) to a file",
        "Export",
        id="export",
        palette="export: save handout (Markdown or HTML)",
    ),
    Key(
        "y",
        "app.copy_markdown",
        "copy the comparison as Markdown",
        "Copy MD",
        id="copy",
        palette="export: copy comparison as Markdown",
    ),
]

SCENARIOS: list[Key] = [
    Key(
        "enter",
        "open",
        "open the highlighted scenario (profile, filters, marks, weights)",
        "Open",
        id="scenario-open",
    ),
    Key(
        "space",
        "pick",
        "pick two scenarios, then c shows them side by side (≠ marks a difference)",
        "Pick (compare)",
        id="scenario-pick",
    ),
    Key(
        "c", "compare", "the two picked scenarios side by side", "Compare 2", id="scenario-compare"
    ),
    Key("r", "rename", "rename the highlighted scenario", "Rename", id="scenario-rename"),
    Key(
        "d,delete",
        "delete",
        "delete the highlighted scenario (asks first)",
        "Delete",
        id="scenario-delete",
    ),
    Key(
        "ctrl+s",
        "app.save_scenario",
        "save the current consult",
        "Save current",
        id="scenario-save",
    ),
    Key("escape,q", "close", "close the list", "Close", id="scenario-close"),
    Key(
        "o,space,c",
        "app.compare_scenarios",
        "pick two saved scenarios and see them side by side",
        shown="o, space on two, c",
        bind=False,
        palette="scenario: compare two…",
    ),
]

APP: list[Key] = [
    Key("f1", "help", "this help", "Help", id="help", palette="help: keys"),
    Key(
        "ctrl+n",
        "clear_session",
        "new patient: asks, then clears the profile, filters, marks, weights and the detail pane",
        "New patient",
        id="clear-session",
        palette="session: clear (next patient)",
    ),
    Key(
        "ctrl+s",
        "save_scenario",
        "save the profile, filters, marks and weights under a name (asks to replace)",
        "Save",
        show=False,
        id="save-scenario",
        palette="scenario: save…",
    ),
    Key("t", "cycle_theme", "theme: dark → light → high contrast", "Theme", show=False, id="theme"),
    Key(
        "ctrl+p",
        "command_palette",
        "command palette: payer, condition, region, export, theme, session…",
        bind=False,
    ),
    Key("ctrl+q", "quit", "quit", bind=False),
]

SECTIONS: list[tuple[str, list[Key]]] = [
    ("Main screen", TABLE + MAIN),
    ("Side-by-side", COMPARE),
    ("Saved scenarios", SCENARIOS),
    ("Everywhere", APP),
]
"""The help screen's sections, in order."""


def palette_keys() -> list[Key]:
    """The keys whose action the palette also offers (app-level actions only)."""
    return [key for _, keys in SECTIONS for key in keys if key.palette is not None]
