"""The main screen: profile and filters, the therapy table, the detail pane, the disclaimer.

Shows the consult (`ConsultView`) and turns user input into intents for it; holds no state of
its own beyond what is on screen (which panels are open). It never imports the App.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from regen_compare.consult import Change
from regen_compare.model.text import display_safe
from regen_compare.present.table_cells import DisplayRow
from regen_compare.tui import keys, stale
from regen_compare.tui.bar_text import Part, count_parts
from regen_compare.tui.display import columns
from regen_compare.tui.help_text import SYMBOLS_HINT, SYMBOLS_HINT_SHORT
from regen_compare.tui.view import Cells, ConsultView
from regen_compare.tui.widgets.banners import Disclaimer, FittedLine, ProblemBanner, ProfileBar
from regen_compare.tui.widgets.detail_pane import DetailPane
from regen_compare.tui.widgets.filter_panel import FilterPanel
from regen_compare.tui.widgets.footer import AppFooter
from regen_compare.tui.widgets.therapy_table import TherapyTable

if TYPE_CHECKING:
    from regen_compare.engine.query import Row

WIDE_ENOUGH_FOR_PANEL = 140
DETAIL_SETTLE = 0.15
"""Seconds after the last search keystroke before the detail pane follows the cursor."""
FIT_SORT_NOT_ASKED = (
    "Fit is not asked yet, so it cannot order the list (shown by id, A–Z): press p and say "
    "what matters to the patient."
)


class SearchInput(Input):
    """The search box: tells the screen of each change at once, so the new rows are drawn in
    the same frame as the typed character.

    `Input.Changed` is a message: it reaches the screen after the frame that shows the new
    character, and the rows then wait for the next frame (17–33 ms later). Its virtual width
    is never less than the box, so typing inside the box changes no size and re-lays out
    nothing (a stock Input's width grows with every character)."""

    def __init__(self, on_change: Callable[[str], None], *, placeholder: str, id: str) -> None:
        super().__init__(placeholder=placeholder, id=id, compact=True)
        self._on_change = on_change

    @property
    def content_width(self) -> int:
        return max(super().content_width, self.scrollable_content_region.width)

    def watch_value(self, value: str) -> None:
        self._on_change(value)


class MainScreen(Screen[None]):
    """Browse: filter, sort, read the details, mark for the side-by-side."""

    class KeysReady(Message):
        """The screen is mounted and the table has the focus: keys typed while the app
        was starting can be handled now (the App holds them until then)."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.MAIN)

    def __init__(self, view: ConsultView, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.view = view
        self.consult = view.consult
        self._cursor_blink = cursor_blink
        self._filters_open: bool | None = None
        """None until the user toggles the panel: then the width decides."""
        self._typing_until = 0.0
        self._detail_timer: Timer | None = None
        self._cells_by_row: tuple[Cells, list[Row], dict[int, DisplayRow]] | None = None
        self._form_shown: tuple[object, ...] | None = None
        self._sorted_by: str | None = None
        """The sort key last shown (None before the first frame: a start sorted by an unasked
        fit says so too)."""

    def compose(self) -> ComposeResult:
        yield ProblemBanner(id="problems")
        yield ProfileBar(id="profile-bar")
        yield Static(id="stale-banner")
        with Horizontal(id="body"):
            yield FilterPanel(id="filters")
            with Vertical(id="main"):
                with Horizontal(id="search-row"):
                    yield Label("/ Search ", id="search-label")
                    yield SearchInput(
                        self.consult.set_search,
                        placeholder="name, condition, summary…",
                        id="search",
                    )
                with Container(id="content"):
                    yield TherapyTable(id="table")
                    yield DetailPane(id="detail")
                # Under the table, not across the screen: a keystroke repaints the search
                # field, the table and this line, and Textual repaints every widget inside
                # the box around them (across the screen, that was the whole filter panel).
                yield FittedLine(id="count")
        yield Disclaimer(id="disclaimer")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(ProblemBanner).display = False
        self.query_one("#stale-banner").display = False
        for widget in self.query(Input):
            widget.cursor_blink = self._cursor_blink
        self.view.changed.subscribe(self, self._on_state, immediate=True)
        # The search box tells the consult of its value (the same: nothing changes).
        self.query_one("#search", Input).value = self.consult.session.filters.search
        self._show_all()
        self.set_focus(self.query_one(TherapyTable))  # now: the held keys follow at once
        # Straight to the app, not bubbled through this screen's queue: the held keys are
        # then handled before the first frame is drawn, as a bare app handles its keys.
        self.app.post_message(self.KeysReady())

    def on_resize(self, event: events.Resize) -> None:
        self._apply_panel()

    def _apply_panel(self) -> None:
        open_ = self._filters_open
        if open_ is None:
            open_ = self.size.width >= WIDE_ENOUGH_FOR_PANEL
        self.set_class(open_, "-filters-open")

    # --- showing state ----------------------------------------------------------------------

    def _on_state(self, change: Change) -> None:
        self._say_fit_not_asked()
        # A keystroke in the search box changes nothing the form shows: skip it (it is the
        # costliest widget to refresh).
        if change.origin == "search":
            self._typing_until = time.monotonic() + DETAIL_SETTLE
        if change.origin not in ("panel", "search"):
            self._show_form()
        elif change.origin == "panel":
            # The form shows what was typed; only its words on the weights follow the change.
            self.query_one(FilterPanel).show_weights_asked(self.consult.session.weights_asked)
        if change.origin != "search":
            search = self.query_one("#search", Input)
            value = self.consult.session.filters.search
            if search.value != value:
                search.value = value  # it tells the consult, which has it already
        if change.origin == "clear":
            # A new patient: nothing of the previous one stays on screen (the detail pane
            # waits until the user moves in the table).
            with self.prevent(TherapyTable.Highlighted):
                self.query_one(TherapyTable).cursor = 0
                self._show_rows(detail=False)
            self.query_one(DetailPane).show(None, None, self.consult.session.profile)
            return
        if change.priced:
            # New prices for every row: the table shows them in the next frame, the detail
            # pane (re-wrapped and re-laid out, the costliest redraw) in the one after.
            self._show_rows(detail=False)
            self.call_after_refresh(self._settle_detail)
            return
        self._show_rows()
        if change.origin == "search":
            best = self.consult.best_match()
            if best is not None:
                self.query_one(TherapyTable).move_to(best)

    def _say_fit_not_asked(self) -> None:
        """Sorting by the fit before the patient has said what matters cannot order the list
        (no fit is scored until then; rows without a key keep id order): say so, and where
        to answer, once per such sort."""
        s = self.consult.session
        if s.sort_key != self._sorted_by:
            self._sorted_by = s.sort_key
            if s.sort_key == "fit" and not s.weights_asked:
                self.notify(FIT_SORT_NOT_ASKED, markup=False)

    def _show_all(self) -> None:
        self._show_form()
        self._show_rows()

    def _show_form(self) -> None:
        """Put the session into the form, unless the form shows it already: a sort, a mark or
        new prices arriving change nothing there, and refilling the form (its lists of plans
        and conditions) re-lays out and repaints the panel."""
        c = self.consult
        s = c.session
        shown = self._form_shown
        values = (s.profile, s.filters, s.weights, s.weights_asked)
        if shown and shown[0] is c.catalog and shown[1] is c.regions and shown[2] == values:
            return
        self._form_shown = (c.catalog, c.regions, values)
        panel = self.query_one(FilterPanel)
        panel.show(c.catalog, s.profile, s.filters, s.weights, c.regions)
        panel.show_weights_asked(s.weights_asked)

    def _visible_cells(self) -> list[DisplayRow]:
        """The display cells of the consult's visible rows, in its order.

        Found by the row object (its `id()`), through an index built once per pricing: the
        rows' `id` property reads the therapy model, 7 ms per keystroke at 10,000 rows. The
        index holds the rows, so no `id()` in it can be reused by another object. `by_id` is
        built from `rows` in their order (`view.cells_for`), so the two pair up without
        reading an id either."""
        cells = self.view.cells
        if self._cells_by_row is None or self._cells_by_row[0] is not cells:
            rows, by_id = cells.rows, cells.by_id
            if len(by_id) == len(rows):
                index = {id(row): shown for row, shown in zip(rows, by_id.values(), strict=True)}
            else:
                index = {id(row): by_id[row.id] for row in rows}
            self._cells_by_row = (cells, rows, index)
        index = self._cells_by_row[2]
        return [index[id(row)] for row in self.consult.visible_rows()]

    def _show_rows(self, *, detail: bool = True) -> None:
        view = self.view
        catalog = self.consult.catalog
        s = self.consult.session
        shown = self._visible_cells()
        table = self.query_one(TherapyTable)
        if catalog is None:
            empty = "Loading the data…" if not view.problems else "No data (see the errors above)."
        else:
            # Why the list is empty is worked out only when it is (it filters every row again).
            empty = self._empty_text() if not shown else ""
        table.set_data(
            columns(s.profile),
            shown,
            marks=frozenset(s.marks),
            sort_key=s.sort_key,
            descending=s.descending,
            empty_text=empty,
            widths=view.column_widths or None,
        )
        if catalog is None:  # not "0 of 0": nothing is known of the data yet
            parts = [Part("loading the data…" if not view.problems else "no data", "bold")]
        else:
            parts = count_parts(len(shown), len(catalog.therapies), s.filters, len(s.marks))
        if self.consult.pending is not None:
            parts.insert(1, Part("updating the figures…", "bold"))
        condition = (
            catalog.conditions.get(s.profile.condition) if catalog and s.profile.condition else None
        )
        if condition is not None:
            parts.append(Part("for " + display_safe(condition.name)))
        parts.append(Part(SYMBOLS_HINT, "dim", short=SYMBOLS_HINT_SHORT))
        self.query_one("#count", FittedLine).show(parts)
        self.query_one(ProfileBar).show(catalog, s.profile)
        banner = self.query_one(ProblemBanner)
        if view.problems:
            banner.show_problems(view.problems, have_data=catalog is not None)
        else:
            banner.clear_problems()
        stale_banner = self.query_one("#stale-banner", Static)
        stale_banner.display = view.stale.count > 0 and catalog is not None
        if stale_banner.display:
            stale_banner.update(Text(stale.banner_text(view.stale.count)))
        if detail:
            self._show_detail(table.cursor_id)

    def _empty_text(self) -> str:
        """Why the list is empty, naming the condition when it is the cause."""
        c = self.consult
        condition = c.condition_name()
        if condition is not None:
            elsewhere = c.matches_under_any_condition()
            if elsewhere:
                noun = "therapy matches" if elsewhere == 1 else "therapies match"
                return (
                    f"None for {condition}. {elsewhere} {noun} under any condition: "
                    "p, then choose the condition, or esc to clear the search."
                )
        return "No therapies match. Loosen a filter, or clear the search (esc)."

    def _show_detail(self, row_id: str | None, *, now: bool = False) -> None:
        # While the user types a search, the highlighted row changes with every key; the
        # detail pane (the costliest redraw) follows once typing pauses.
        if not now and time.monotonic() < self._typing_until:
            if self._detail_timer is not None:
                self._detail_timer.stop()
            self._detail_timer = self.set_timer(DETAIL_SETTLE, self._settle_detail)
            return
        c = self.consult
        row = c.row_by_id.get(row_id) if row_id else None
        self.query_one(DetailPane).show(
            row, c.catalog, c.session.profile, self.view.stale_lines(row), c.session.weights
        )

    def _settle_detail(self) -> None:
        self._detail_timer = None
        self._show_detail(self.query_one(TherapyTable).cursor_id, now=True)

    def set_loading(self, on: bool) -> None:
        self.query_one(TherapyTable).loading = on

    # --- input ------------------------------------------------------------------------------

    def on_therapy_table_highlighted(self, event: TherapyTable.Highlighted) -> None:
        self._show_detail(event.row_id)

    def on_therapy_table_mark_requested(self, event: TherapyTable.MarkRequested) -> None:
        refused = self.consult.toggle_mark(event.row_id)
        if refused:
            self.notify(refused, severity="warning", markup=False)

    def on_therapy_table_sort_requested(self, event: TherapyTable.SortRequested) -> None:
        self.consult.set_sort(event.key)

    def on_filter_panel_changed(self, event: FilterPanel.Changed) -> None:
        if self.consult.catalog is None:
            # Before the data arrives the form cannot show the chosen condition, plan or
            # region (no options yet): reading it would drop them.
            return
        panel = self.query_one(FilterPanel)
        s = self.consult.session
        profile, filters = panel.read(s.profile, s.filters)
        before = set(self.consult.hidden_marks())
        weights = panel.read_weights()
        # A select that merely shows its first value changes nothing: only a weight that
        # differs, or "All matter equally", says what matters.
        chosen = event.explicit or (event.weights and weights != s.weights)
        self.consult.set_form(profile, filters, weights, "panel", chosen)
        newly_hidden = [m for m in self.consult.hidden_marks() if m not in before]
        if newly_hidden:
            names = ", ".join(self.consult.name_of(m) for m in newly_hidden)
            where = self.consult.condition_name() or "this condition"
            self.notify(
                f"Marked but not used for {where}, so left out of the list and the "
                f"side-by-side: {names}.",
                markup=False,
            )

    def action_search_done(self) -> None:
        """Enter in the search: to the table at once, its cursor on the best match. A priority
        binding (like `/`), so keys typed right after Enter (`/prp`, Enter, space) reach the
        table, not the search box: `Input.Submitted` would move the focus a message later."""
        table = self.query_one(TherapyTable)
        best = self.consult.best_match()
        if best is not None:
            table.move_to(best)
        self.set_focus(table)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` in a text field is a character, not the search key, and Enter is the search's
        only outside the search box (both bindings have priority over the fields, so they are
        turned down here and the key reaches the field)."""
        if action == "search":
            return not isinstance(self.focused, Input)
        if action == "search_done":
            return self.focused is not None and self.focused.id == "search"
        return True

    def action_search(self) -> None:
        """Focus the search box now, not after a round trip (`Widget.focus` waits for the
        next idle): `/` is a priority binding, so the letters typed right after it are routed
        to whatever has the focus when each is read, and that must be the search box."""
        self.set_focus(self.query_one("#search", Input))

    def action_focus_table(self) -> None:
        """esc: a search that has text is cleared (from the search box or the table, as the
        help says); otherwise back to the table."""
        search = self.query_one("#search", Input)
        table = self.query_one(TherapyTable)
        if search.value and (search.has_focus or table.has_focus):
            search.value = ""
            return
        self.set_focus(table)

    def action_toggle_filters(self) -> None:
        """p: show the patient panel and go to it, or hide it. A panel the width opened (the
        user has not chosen) is gone to, not hidden: at 140 columns the first p goes there."""
        panel = self.query_one(FilterPanel)
        opened_by_width = self._filters_open is None and self.has_class("-filters-open")
        if opened_by_width and not panel.has_focus_within:
            self._filters_open = True
            panel.focus_first()
            return
        self._filters_open = not self.has_class("-filters-open")
        self._apply_panel()
        if self._filters_open:
            self.query_one(FilterPanel).focus_first()
        else:
            self.query_one(TherapyTable).focus()

    def open_patient(self, field: str) -> None:
        """Show the patient panel and put the cursor on one of its fields (`condition`,
        `weight-cost`, `years`…), now or once the panel's fields are built."""
        self._filters_open = True
        self._apply_panel()
        self.query_one(FilterPanel).focus_field(field)

    def action_toggle_detail(self) -> None:
        self.toggle_class("-detail-hidden")

    def action_sort_column(self, index: int) -> None:
        cols = columns(self.consult.session.profile)
        if 0 <= index < len(cols):
            self.consult.set_sort(cols[index].key)

    def action_next_sort(self) -> None:
        self.consult.next_sort([c.key for c in columns(self.consult.session.profile)])

    def action_reverse_sort(self) -> None:
        self.consult.reverse_sort()

    @property
    def table_text(self) -> list[str]:
        """The table's visible lines as plain text (for tests)."""
        table = self.query_one(TherapyTable)
        return [table.line_text(y) for y in range(table.size.height)]

    def status_text(self) -> str:
        """The count line whole, whatever the width shows of it (for tests)."""
        return self.query_one("#count", FittedLine).plain
