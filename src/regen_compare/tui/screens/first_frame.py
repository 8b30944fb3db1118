"""The remembered first frame (`regen_compare.first_frame`), drawn while the app loads.

Same layout, ids and stylesheet as the main screen, so nothing moves when the live screen
replaces it: the profile bar, the table with its rows, the count line, the disclaimer and the
keys are there; the filter panel and the detail pane are empty until the live screen comes
(a few tenths of a second later). Imports only Textual and the table: none of the engine.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Span, Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from regen_compare.first_frame import MAX_ROWS, Styled, styled
from regen_compare.first_frame import Screen as Remembered
from regen_compare.tui import keys
from regen_compare.tui.widgets.footer import AppFooter
from regen_compare.tui.widgets.therapy_table import TherapyTable

WIDE_ENOUGH_FOR_PANEL = 120
"""From this width the filter panel is open at start (the main screen uses the same rule)."""
SEARCH_PLACEHOLDER = "name, condition, summary…"


def capture(screen: Screen[None]) -> Remembered | None:
    """What the main screen shows now, as a first frame to remember; None when a part is
    not the plain text this screen knows how to draw again."""
    table = screen.query_one(TherapyTable).data
    parts = {}
    for selector in ("#profile-bar", "#count", ".disclaimer"):
        widget = screen.query_one(selector, Static)
        content = widget.render() if selector == "#profile-bar" else widget.content
        if not isinstance(content, Text):
            return None
        parts[selector] = content
    search = screen.query_one("#search")
    stale = screen.query_one("#stale-banner", Static)
    stale_text = stale.content if stale.display else None
    return Remembered(
        profile_bar=styled(parts["#profile-bar"]),
        count_line=styled(parts["#count"]),
        disclaimer=parts[".disclaimer"].plain,
        columns=table.columns,
        rows=table.rows[:MAX_ROWS],
        widths=table.widths,
        marks=tuple(sorted(table.marks)),
        sort_key=table.sort_key,
        descending=table.descending,
        empty_text=table.empty_text,
        search=str(getattr(search, "value", "")),
        stale=stale_text.plain if isinstance(stale_text, Text) else None,
    )


def styled_text(value: Styled) -> Text:
    """A remembered line back as Rich `Text` (its spans were checked when read)."""
    plain, spans = value
    return Text(plain, spans=[Span(start, end, style) for start, end, style in spans])


class FirstFrameScreen(Screen[None]):
    """What the last identical start showed; replaced by the main screen once loaded."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.TABLE) + keys.bindings(keys.MAIN)
    """The main screen's keys with its table's, in the order its footer shows them (the table
    has the focus there), so the footer does not change at the hand-over; none runs here
    (`check_action`)."""

    def __init__(self, shown: Remembered, note: str = "") -> None:
        super().__init__()
        self.shown = shown
        self.note = note
        """Shown where the detail pane will be (a preview says what it is waiting for)."""

    def compose(self) -> ComposeResult:
        # Before the children exist: set on mount, the class restyles the whole screen.
        self._apply_panel(self.app.size.width)
        shown = self.shown
        yield Static(styled_text(shown.profile_bar), id="profile-bar")
        stale = Static(Text(shown.stale or ""), id="stale-banner")
        stale.display = shown.stale is not None
        yield stale
        with Horizontal(id="body"):
            yield Static(id="filters")
            with Vertical(id="main"):
                with Horizontal(id="search-row"):
                    yield Label("/ Search ", id="search-label")
                    search = Text(shown.search) if shown.search else Text(SEARCH_PLACEHOLDER, "dim")
                    yield Static(search, id="search")
                with Container(id="content"):
                    yield TherapyTable(id="table")
                    yield Static(Text(self.note), id="detail")
                yield Static(styled_text(shown.count_line), id="count")
        yield Static(Text(shown.disclaimer), classes="disclaimer")
        yield AppFooter(keys_at_once=True)  # in the remembered and painted frame too

    def on_mount(self) -> None:
        tables = self.query(TherapyTable)
        if not tables:
            return  # quit before it was built: a key typed over a painted frame (`Paint.show`)
        shown = self.shown
        tables.first().set_data(
            shown.columns,
            shown.rows,
            marks=frozenset(shown.marks),
            sort_key=shown.sort_key,
            descending=shown.descending,
            empty_text=shown.empty_text,
            widths=shown.widths,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """None: the key is shown disabled; it works once the live screen is there."""
        return None

    def on_resize(self, event: events.Resize) -> None:
        self._apply_panel(event.size.width)

    def _apply_panel(self, width: int) -> None:
        self.set_class(width >= WIDE_ENOUGH_FOR_PANEL, "-filters-open")
