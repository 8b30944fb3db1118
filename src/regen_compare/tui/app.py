"""The regen-compare Textual app: owns the data and the session, screens only show them.

One place holds what a consult is about (`Session`), the loaded `Catalog` and the rows priced
for the current profile; screens subscribe to `state_changed` and repaint. Data loads in a
thread worker (TOML parsing must not freeze the keyboard), is re-checked every second, and
a broken edit keeps the last good data on screen while the problem banner says what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer

from regen_compare.catalog import Catalog
from regen_compare.costs import Profile
from regen_compare.load import LoadResult, load_catalog
from regen_compare.problems import DataError, Problem
from regen_compare.query import Filters, Row, build_rows, filter_rows, sort_rows
from regen_compare.safe_text import display_safe
from regen_compare.tui import session as sess
from regen_compare.tui.commands import RegenCommands
from regen_compare.tui.datafiles import Signature, signature
from regen_compare.tui.display import DisplayRow, columns, display_row, measure
from regen_compare.tui.screens.main import MainScreen
from regen_compare.tui.themes import CHOICES, DARK, HIGH_CONTRAST_THEME, next_theme

POLL_SECONDS = 1.0
LOADING_DELAY = 0.3
"""A load faster than this shows no spinner (no flicker on every save)."""


@dataclass(frozen=True)
class Change:
    """What `state_changed` carries: where the change came from, so the widget that made it
    is not overwritten mid-typing."""

    origin: str = ""
    data: bool = False
    """The catalog itself changed (new options for the selects)."""


class RegenCompareApp(App[int]):
    """Compare regenerative and traditional pain therapies for one patient."""

    CSS_PATH = "app.tcss"
    TITLE = "regen-compare"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Textual declares it without ClassVar)
        (0, "-narrow"),
        (100, "-medium"),
        (220, "-wide"),
    ]
    COMMANDS = App.COMMANDS | {RegenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("ctrl+n", "clear_session", "New patient", id="clear-session"),
        Binding("t", "cycle_theme", "Theme", show=False, id="theme"),
    ]

    def __init__(
        self,
        data_dir: Path,
        profile: Profile | None = None,
        filters: Filters | None = None,
        *,
        theme: str = DARK,
        watch_files: bool = True,
        today: date | None = None,
        cursor_blink: bool = True,
        marked: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme = theme
        self.data_dir = Path(data_dir)
        self.session = sess.Session(
            profile or Profile(), filters or Filters(), marks=tuple(marked)[: sess.MAX_MARKS]
        )
        self.catalog: Catalog | None = None
        self.rows: list[Row] = []
        self.row_by_id: dict[str, Row] = {}
        self.display_by_id: dict[str, DisplayRow] = {}
        self.column_widths: list[int] = []
        self.problems: list[Problem] = []
        """The errors of the latest load; empty when the data on screen is current."""
        self.load_warnings: list[Problem] = []
        self.state_changed: Signal[Change] = Signal(self, "state-changed")
        self.cursor_blink = cursor_blink
        self._today = today
        self._watch_files = watch_files
        self._seen: Signature | None = None
        self._generation = 0
        self._loading_timer: Timer | None = None
        self.loading_data = False

    @property
    def today(self) -> date:
        return self._today or date.today()

    def get_default_screen(self) -> Screen[None]:
        return MainScreen()

    def on_mount(self) -> None:
        self.reload_data()
        if self._watch_files:
            self.set_interval(POLL_SECONDS, self.poll_data_files)

    # --- loading ----------------------------------------------------------------------------

    def poll_data_files(self) -> None:
        """Reload when either data file changed since the last load started."""
        if signature(self.data_dir) != self._seen:
            self.reload_data()

    def reload_data(self) -> None:
        self._seen = signature(self.data_dir)
        self._generation += 1
        self.loading_data = True
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(LOADING_DELAY, self._show_loading)
        self._load(self._generation)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, generation: int) -> None:
        try:
            result = load_catalog(self.data_dir, today=self.today)
        except DataError as exc:
            problems = exc.errors or exc.problems
            self.call_from_thread(self._load_failed, generation, problems)
        except Exception as exc:  # a traceback shown to a user is a bug: report, keep going
            problem = Problem(str(self.data_dir), None, f"cannot load the data: {exc}")
            self.call_from_thread(self._load_failed, generation, [problem])
        else:
            self.call_from_thread(self._loaded, generation, result)

    def _show_loading(self) -> None:
        self._loading_timer = None
        if self.loading_data and self._main is not None:
            self._main.set_loading(True)

    def _load_done(self) -> None:
        self.loading_data = False
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        if self._main is not None:
            self._main.set_loading(False)

    def _loaded(self, generation: int, result: LoadResult) -> None:
        if generation != self._generation:
            return
        recovered = bool(self.problems)
        self._load_done()
        self.catalog = result.catalog
        self.load_warnings = result.warnings
        self.problems = []
        profile = self.session.profile
        fixes = []
        if profile.condition is not None and profile.condition not in result.catalog.conditions:
            fixes.append(f"condition '{display_safe(profile.condition)}'")
            profile = replace(profile, condition=None)
        if profile.payer is not None and profile.payer not in result.catalog.payers:
            fixes.append(f"payer '{display_safe(profile.payer)}'")
            profile = replace(profile, payer=None)
        marks = sess.prune_marks(self.session.marks, result.catalog)
        self.session = replace(self.session, profile=profile, marks=marks)
        self._reprice()
        self._publish(Change(data=True))
        if fixes:
            self.notify(
                "Not in the data any more: " + ", ".join(fixes), severity="warning", markup=False
            )
        if recovered:
            self.notify("Data fixed and reloaded.", markup=False)

    def _load_failed(self, generation: int, problems: list[Problem]) -> None:
        if generation != self._generation:
            return
        self._load_done()
        self.problems = list(problems)
        self._publish(Change(data=True))
        first = display_safe(str(problems[0]), limit=200) if problems else "unknown problem"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        self.notify(first + more, title="Data has errors", severity="error", markup=False)

    @property
    def _main(self) -> MainScreen | None:
        """The main screen, or None while it is not installed yet (a fast first load)."""
        screen = self.screen_stack[0] if self.screen_stack else None
        return screen if isinstance(screen, MainScreen) and screen.is_mounted else None

    # --- session ----------------------------------------------------------------------------

    def _reprice(self) -> None:
        """Price every therapy for the profile: once per profile or data change."""
        if self.catalog is None:
            self.rows = []
        else:
            self.rows = build_rows(self.catalog, self.session.profile)
        self.row_by_id = {r.id: r for r in self.rows}
        self.display_by_id = {r.id: display_row(r) for r in self.rows}
        self.column_widths = measure(columns(self.session.profile), self.display_by_id.values())

    def _publish(self, change: Change) -> None:
        self.state_changed.publish(change)

    def update_session(self, session: sess.Session, origin: str = "") -> None:
        reprice = session.profile != self.session.profile
        if session == self.session:
            return
        self.session = session
        if reprice:
            self._reprice()
        self._publish(Change(origin))

    def visible_rows(self) -> list[Row]:
        s = self.session
        rows = filter_rows(self.rows, s.filters, s.profile.condition)
        return sort_rows(rows, s.sort_key, s.descending)

    def marked_rows(self) -> list[Row]:
        return [self.row_by_id[m] for m in self.session.marks if m in self.row_by_id]

    def set_profile(self, profile: Profile, origin: str = "") -> None:
        self.update_session(replace(self.session, profile=profile), origin)

    def set_filters(self, filters: Filters, origin: str = "") -> None:
        self.update_session(replace(self.session, filters=filters), origin)

    def set_condition(self, condition: str | None) -> None:
        self.set_profile(replace(self.session.profile, condition=condition))

    def set_payer(self, payer: str | None) -> None:
        self.set_profile(replace(self.session.profile, payer=payer))

    def set_sort(self, key: str) -> None:
        self.update_session(self.session.with_sort(key))

    def toggle_mark(self, therapy_id: str) -> None:
        change = sess.toggle_mark(self.session.marks, therapy_id)
        if change.message:
            self.notify(change.message, severity="warning", markup=False)
        self.update_session(replace(self.session, marks=change.marks))

    def action_usual_care(self) -> None:
        """Mark the usual traditional care for the chosen condition, in the data's order."""
        if self.catalog is None:
            return
        condition = self.session.profile.condition
        change = sess.add_usual_care(self.session.marks, self.catalog, condition)
        if change is None:
            self.notify("Choose a condition first: usual care depends on it.", markup=False)
            return
        names = [display_safe(self.catalog.therapies[t].name) for t in change.added]
        if names:
            message = "Added usual care: " + ", ".join(names)
        else:
            message = "The usual care for this condition is already marked."
        if change.left_out:
            message += f" ({len(change.left_out)} left out: at most {sess.MAX_MARKS} marks)"
        self.notify(message, markup=False)
        self.update_session(replace(self.session, marks=change.marks))

    def action_clear_marks(self) -> None:
        self.update_session(replace(self.session, marks=()))

    def action_clear_session(self) -> None:
        """Between patients: reset the profile, filters, sort and marks; nothing is kept."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.update_session(sess.Session())
        self.notify("Session cleared: profile, filters and marks reset.", markup=False)

    # --- screens, themes, export ------------------------------------------------------------

    def action_help(self) -> None:
        from regen_compare.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_compare(self) -> None:
        from regen_compare.tui.screens.compare import CompareScreen

        if isinstance(self.screen, CompareScreen):
            return
        if not self.session.marks:
            self.notify(
                "Mark therapies first (space, or click [ ]), or press u for usual care.",
                markup=False,
            )
            return
        self.push_screen(CompareScreen())

    def action_cycle_theme(self) -> None:
        self.theme = next_theme(self.theme)
        self.notify(f"Theme: {CHOICES.get(self.theme, self.theme)}", markup=False, timeout=2)

    def set_theme(self, name: str) -> None:
        self.theme = name

    def action_export_handout(self) -> None:
        from regen_compare.tui import handout

        handout.start_export(self)

    def action_copy_markdown(self) -> None:
        from regen_compare.tui import handout

        handout.copy_markdown(self)


def make_app(
    data_dir: Path,
    profile: Profile | None = None,
    filters: Filters | None = None,
    *,
    theme: str = DARK,
    watch_files: bool = True,
    today: date | None = None,
    cursor_blink: bool = True,
    marked: Sequence[str] = (),
) -> RegenCompareApp:
    """Build the app (tests use this with a fixed theme, no file watching and no blinking).

    `marked`: therapy ids to start with in the side-by-side (e.g. from a saved scenario).
    """
    return RegenCompareApp(
        data_dir,
        profile or Profile(),
        filters or Filters(),
        theme=theme,
        watch_files=watch_files,
        today=today,
        cursor_blink=cursor_blink,
        marked=marked,
    )


def run_tui(data_dir: Path, profile: Profile, filters: Filters, marked: Sequence[str] = ()) -> int:
    """Run the TUI until the user quits; the exit code for the command line."""
    app = make_app(data_dir, profile, filters, marked=marked)
    result = app.run()
    return result if isinstance(result, int) else 0
