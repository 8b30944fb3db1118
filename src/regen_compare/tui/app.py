"""The regen-compare Textual app: screens, workers, timers, notifications and the theme.

What a consult is about — the profile, filters, sort, marks, weights and region, and every
action on them — lives in `regen_compare.consult.Consult`, which knows nothing of Textual.
The app holds one `ConsultView` (the consult plus what the terminal needs: load problems,
stale figures, display cells) and hands it to each screen; screens subscribe to its signal
and send intents to the consult. The command line loads and checks the data before the app
starts, and the app prices it before its first frame, so the first screen shows the rows and
every key works from then on. Later edits are noticed (the files are re-checked every second)
and reloaded off the event loop (a thread worker); a broken edit keeps the last good data on
screen while the problem banner says what is wrong. See docs/architecture.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from textual import events, work
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer

from regen_compare.model.problems import DataError, Problem
from regen_compare.model.text import display_safe
from regen_compare.tui import keys
from regen_compare.tui.textual_adapter import GuardedApp, page_keys_without_lines
from regen_compare.tui.themes import DARK, HIGH_CONTRAST_THEME

page_keys_without_lines()  # Textual's OptionList raises on PageUp before it has lines

if TYPE_CHECKING:
    from textual.command import Provider

    from regen_compare.consult import Consult, Session
    from regen_compare.data import regions as regions_mod
    from regen_compare.data.load import LoadResult
    from regen_compare.data.watch import Signature
    from regen_compare.engine.costs import Profile
    from regen_compare.engine.fit.score import Weights
    from regen_compare.engine.query import Filters, Row
    from regen_compare.model.catalog import Catalog
    from regen_compare.tui import stale as stale_mod
    from regen_compare.tui.flows import scenarios as scenario_flow
    from regen_compare.tui.flows.handout import ExportMemory
    from regen_compare.tui.screens.main import MainScreen
    from regen_compare.tui.view import Cells, Prepared

POLL_SECONDS = 1.0
LOADING_DELAY = 0.3
"""A load faster than this shows no spinner (no flicker on every save)."""
NO_TERMINAL_HINT = (
    "regen-compare: error: the interactive app needs a terminal (stdin and stdout are not "
    "both one); for scripts use a command such as `regen-compare list` (see --help)"
)
EXIT_NO_TERMINAL = 2


def has_terminal() -> bool:
    """stdin and stdout are a terminal, or textual-serve chose its web driver for us."""
    import os

    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _regen_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not at start)."""
    from regen_compare.tui.commands import RegenCommands

    return RegenCommands


class RegenCompareApp(GuardedApp):
    """Compare regenerative and traditional pain therapies for one patient.

    An unhandled exception ends it at once with nothing on screen (`GuardedApp`); `run_tui`
    hands it to the command line, which reports it in one line (exit 70)."""

    CSS_PATH = "app.tcss"
    TITLE = "regen-compare"
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012 (Textual declares it without ClassVar)
        (0, "-narrow"),
        (100, "-medium"),
        (220, "-wide"),
    ]
    COMMANDS = {_regen_commands}  # noqa: RUF012 (Textual declares it without ClassVar)
    """Only the app's own commands, in the words people use: Textual's (screenshot, maximize,
    keys panel) came first in the palette and meant nothing to a patient; theme, help and
    quit are among ours."""
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.APP)

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
        **start: Any,
    ) -> None:
        """Build the app (tests use this with a fixed theme, no file watching and no blinking).

        `data_dir` and the keyword arguments of `_begin` say what to show.
        """
        super().__init__()
        self.register_theme(HIGH_CONTRAST_THEME)
        self.theme = theme
        self.cursor_blink = cursor_blink
        self._today = today
        self._watch_files = watch_files
        self._seen: Signature | None = None
        self._generation = 0
        self._loading_timer: Timer | None = None
        self.loading_data = False
        self._held_keys: list[events.Key] | None = []
        """Keys typed before the main screen took the focus (None once it has)."""
        self._begin(data_dir, profile, filters, **start)

    def _begin(
        self,
        data_dir: Path,
        profile: Profile | None = None,
        filters: Filters | None = None,
        marked: Sequence[str] = (),
        *,
        scenario: str | None = None,
        scenario_notes: Sequence[str] = (),
        preloaded: LoadResult | None = None,
        weights: Weights | None = None,
        region: str | None = None,
        weights_asked: bool | None = None,
    ) -> None:
        """What the app shows and for whom. `marked`: therapy ids to start with in the
        side-by-side (e.g. a saved scenario's). `scenario`: the saved scenario the profile came
        from (`--scenario NAME`), the default name for the next save. `scenario_notes`: what
        `side_by_side.resolve` dropped, shown in a toast at start. `preloaded`: the data as the
        caller already loaded and checked it from `data_dir`: priced here, before the first
        frame, so the first screen shows its rows and answers keys at once (later edits
        reload off the event loop). Without it the data loads in a worker once the app runs.
        `weights` / `region` (`--weights`, `--region`): what matters to the patient and where
        they live (overrides the profile's). `weights_asked`: whether the patient said what
        matters (default: whether `weights` were given); until then no fit is shown.
        """
        from regen_compare.consult import Session
        from regen_compare.engine.costs import Profile
        from regen_compare.engine.fit.score import BALANCED
        from regen_compare.engine.query import Filters
        from regen_compare.tui.view import ConsultView

        self.data_dir = Path(data_dir)
        profile = profile or Profile()
        if region is not None:
            profile = replace(profile, region=region.strip().upper())
        session = Session(
            profile,
            filters or Filters(),
            marks=tuple(marked),
            weights=weights or BALANCED,
            weights_asked=weights is not None if weights_asked is None else weights_asked,
        )
        self.view = ConsultView(self, session, scenario=scenario, background=self._in_background)
        self._last_export: ExportMemory | None = None
        self._scenario_notes = list(scenario_notes)
        self._first_notes: list[tuple[str, str]] = []
        if preloaded is not None:
            self._first_load(preloaded)

    def _first_load(self, result: LoadResult) -> None:
        """Price data the command line loaded and checked, before the app runs (no event
        loop yet: nothing waits on it), so the first frame shows the rows."""
        from regen_compare.data.watch import signature

        self._seen = signature(self.data_dir)
        self._generation = 1
        loaded = _priced(self.data_dir, self.today, result, self.consult.session, keep=True)
        self._first_notes = self._apply(loaded)  # toasts once the app runs (`on_mount`)

    @property
    def last_export(self) -> ExportMemory:
        """The handout's last folder and format, kept from the last run (made when first
        asked: the export's dialogs are imported with the first export, not at start)."""
        if self._last_export is None:
            from regen_compare.tui.flows.handout import ExportMemory

            self._last_export = ExportMemory.from_settings()
        return self._last_export

    @property
    def consult(self) -> Consult:
        return self.view.consult

    @property
    def catalog(self) -> Catalog | None:
        """The data on screen (read-only; the consult holds it)."""
        return self.consult.catalog

    @property
    def problems(self) -> list[Problem]:
        """The errors of the latest load (read-only; the view holds them)."""
        return self.view.problems

    @property
    def today(self) -> date:
        return self._today or date.today()

    def get_default_screen(self) -> Screen[None]:
        from regen_compare.tui.screens.main import MainScreen

        return MainScreen(self.view, cursor_blink=self.cursor_blink)

    async def on_event(self, event: events.Event) -> None:
        """Keys read before the main screen can take them (typed while the app started) are
        held, then handled in the order they were typed (`on_main_screen_keys_ready`)."""
        if isinstance(event, events.Key) and not event.is_forwarded and self._held_keys is not None:
            self._held_keys.append(event)
            return
        await super().on_event(event)

    async def on_main_screen_keys_ready(self) -> None:
        held, self._held_keys = self._held_keys or [], None
        for event in held:
            await super().on_event(event)

    def on_ready(self) -> None:
        """The first frame is on screen: the start's pause of the collector ends, what the
        start built frozen out of its sight (`gcpause.start_over`)."""
        from regen_compare.data.gcpause import start_over

        start_over(keep=True)

    def on_mount(self) -> None:
        if self._generation == 0:
            self.reload_data()
        if self._watch_files:
            self.set_interval(POLL_SECONDS, self.poll_data_files)
        if self._scenario_notes:
            self.notify(
                "\n".join(display_safe(n, limit=200) for n in self._scenario_notes),
                title="Scenario: not in the data any more",
                severity="warning",
                markup=False,
                timeout=10,
            )
        for title, message in self._first_notes:
            self.notify(message, title=title, severity="warning", markup=False)
        self._first_notes = []

    # --- loading ----------------------------------------------------------------------------

    def poll_data_files(self) -> None:
        """Reload when a data file changed since the last load started."""
        from regen_compare.data.watch import signature

        if signature(self.data_dir) != self._seen:
            self.reload_data()

    def reload_data(self) -> None:
        from regen_compare.data.watch import signature

        self._seen = signature(self.data_dir)
        self._generation += 1
        self.loading_data = True
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(LOADING_DELAY, self._show_loading)
        session = self.consult.session
        self._load(self._generation, session)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, generation: int, session: Session) -> None:
        """Read, check and price the data off the event loop (see `_priced`)."""
        from regen_compare.data.gcpause import thaw
        from regen_compare.data.load import load_catalog

        try:
            thaw()
            result = load_catalog(self.data_dir, today=self.today, use_cache=True)
            loaded = _priced(self.data_dir, self.today, result, session, keep=generation == 1)
        except DataError as exc:
            self.call_from_thread(self._load_failed, generation, exc.errors or exc.problems)
        except Exception as exc:  # a traceback shown to a user is a bug: report, keep going
            problem = Problem(str(self.data_dir), None, f"cannot load the data: {exc}")
            self.call_from_thread(self._load_failed, generation, [problem])
        else:
            self.call_from_thread(self._loaded, generation, loaded)

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

    def _loaded(self, generation: int, loaded: Loaded) -> None:
        if generation != self._generation:
            return
        recovered = bool(self.view.problems)
        self._load_done()
        for title, message in self._apply(loaded):
            self.notify(message, title=title, severity="warning", markup=False)
        if recovered:
            self.notify("Data fixed and reloaded.", markup=False)

    def _apply(self, loaded: Loaded) -> list[tuple[str, str]]:
        """Show a load: its warnings, cells and rows; returns the toasts it calls for."""
        self.view.loaded(loaded.result.warnings, loaded.stale)
        self.view.use_cells(loaded.prepared.cells)
        fixes = self.consult.load(loaded.result.catalog, loaded.regions, loaded.prepared.priced)
        notes: list[tuple[str, str]] = []
        if fixes:
            notes.append(("Not in the data any more", ", ".join(fixes)))
        if loaded.regions_error:
            message = display_safe(loaded.regions_error, limit=200) + " (prices stay national)"
            notes.append(("Regions data has errors", message))
        return notes

    def _load_failed(self, generation: int, problems: list[Problem]) -> None:
        if generation != self._generation:
            return
        from regen_compare.consult import Change

        self._load_done()
        self.view.problems = list(problems)
        self.view.changed.publish(Change(data=True))
        first = display_safe(str(problems[0]), limit=200) if problems else "unknown problem"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        self.notify(first + more, title="Data has errors", severity="error", markup=False)

    def _in_background(
        self, compute: Callable[[], list[Row]], done: Callable[[list[Row]], bool]
    ) -> None:
        """The consult's runner for large data: price or re-score, and build the display
        cells, in a thread; hand them over on the event loop."""
        from regen_compare.data.gcpause import paused
        from regen_compare.tui.view import cells_for

        profile = self.consult.session.profile
        asked = self.consult.session.weights_asked

        def work() -> None:
            with paused(keep=True):
                rows = compute()
                cells = cells_for(rows, profile, asked)
            self.call_from_thread(finish, rows, cells)

        def finish(rows: list[Row], cells: Cells) -> None:
            previous = self.view.use_cells(cells)
            if not done(rows):  # overtaken by a newer change
                self.view.use_cells(previous)

        self.run_worker(work, thread=True, group="pricing", exclusive=True, exit_on_error=False)

    @property
    def _main(self) -> MainScreen | None:
        """The main screen, or None while it is not mounted yet."""
        from regen_compare.tui.screens.main import MainScreen

        screen = self.screen_stack[0] if self.screen_stack else None
        return screen if isinstance(screen, MainScreen) and screen.is_mounted else None

    # --- actions: the consult ---------------------------------------------------------------

    def say(self, message: str | None) -> None:
        """A toast with the consult's sentence, when it has one."""
        if message:
            self.notify(message, markup=False)

    def action_usual_care(self) -> None:
        """Mark the usual traditional care for the chosen condition, in the data's order."""
        self.say(self.consult.usual_care())

    def action_clear_marks(self) -> None:
        self.consult.clear_marks()

    def action_clear_session(self) -> None:
        """Between patients: asks, then resets everything; nothing is kept."""
        from regen_compare.tui.screens.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return  # already asking

        def answered(yes: bool | None) -> None:
            if yes:
                self.clear_session()

        self.push_screen(
            ConfirmDialog(
                "Start a new patient? This clears the profile, filters, marks, weights and the "
                "detail pane (saved scenarios are kept).",
                yes="Clear (y)",
            ),
            answered,
        )

    def clear_session(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.consult.clear()
        self.notify("Session cleared: profile, filters, marks and weights reset.", markup=False)

    # --- screens, themes, export ------------------------------------------------------------

    def action_save_scenario(self) -> None:
        """Save the profile, filters, marks and weights under a name (asks; asks to replace)."""
        self._scenarios().start_save()

    def action_open_scenarios(self) -> None:
        self._scenarios().open_list()

    def action_compare_scenarios(self) -> None:
        self._scenarios().open_list(compare_mode=True)

    def open_scenario(self, name: str) -> bool:
        return self._scenarios().open_scenario(name)

    def _scenarios(self) -> scenario_flow.ScenarioFlow:
        from regen_compare.tui.flows import scenarios as scenario_flow

        return scenario_flow.ScenarioFlow(self.consult, self, self.today)

    def action_help(self) -> None:
        from regen_compare.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.view.load_warnings))

    def action_compare(self) -> None:
        from regen_compare.tui.screens.compare import CompareScreen

        if isinstance(self.screen, CompareScreen):
            return
        if not self.consult.session.marks:
            self.notify(
                "Mark therapies first (space, or click [ ]), or press u for usual care.",
                markup=False,
            )
            return
        self.push_screen(CompareScreen(self.view))

    def action_edit_units(self) -> None:
        """Ask how many units the patient expects for the therapy under the cursor (the
        palette offers it too)."""
        from regen_compare.engine.costs import MAX_UNITS
        from regen_compare.present.chances import units_sentence
        from regen_compare.tui.screens.dialogs import UnitsDialog
        from regen_compare.tui.widgets.therapy_table import TherapyTable

        c = self.consult
        main = self._main
        cursor = main.query_one(TherapyTable).cursor_id if main is not None else None
        row = c.row_by_id.get(cursor or "")
        price = row.therapy.price if row is not None else None
        if row is None or price is None:
            self.notify("No price to count units for: choose a therapy with a price.", markup=False)
            return
        therapy = row.therapy
        chosen = c.session.profile.units_for(therapy.id)
        dialog = UnitsDialog(
            display_safe(therapy.name),
            price.unit.value,
            units_sentence(therapy, c.session.profile),
            first_year=chosen.first_year if chosen else None,
            later_years=chosen.later_years if chosen else None,
            limit=MAX_UNITS,
        )

        def answered(choice: object) -> None:
            from regen_compare.tui.screens.dialogs import UnitsChoice

            if not isinstance(choice, UnitsChoice):
                return
            if choice.reset:
                c.set_units(therapy.id, None, None)
            else:
                c.set_units(therapy.id, choice.first_year, choice.later_years)

        self.push_screen(dialog, answered)

    def action_patient_field(self, field: str) -> None:
        """The patient panel, the cursor on `field` (the palette's "horizon", "weights"…)."""
        main = self._back_to_main()
        if main is not None:
            main.open_patient(field)

    def action_toggle_filters(self) -> None:
        """Show or hide the patient panel (the key works on the main screen; the palette
        reaches it from anywhere, back on the main screen)."""
        main = self._back_to_main()
        if main is not None:
            main.action_toggle_filters()

    def _back_to_main(self) -> MainScreen | None:
        """The main screen, every screen above it closed (the panel is on it)."""
        main = self._main
        if main is not None:
            while self.screen is not main and len(self.screen_stack) > 1:
                self.pop_screen()
        return main

    def action_cycle_theme(self) -> None:
        from regen_compare.tui.themes import CHOICES, next_theme

        self.theme = next_theme(self.theme)
        self.notify(f"Theme: {CHOICES.get(self.theme, self.theme)}", markup=False, timeout=2)

    def action_export_handout(self) -> None:
        from regen_compare.tui.flows import handout

        handout.Handout(self.consult, self, self.today, self.last_export).start_export()

    def action_copy_markdown(self) -> None:
        from regen_compare.tui.flows import handout

        handout.Handout(self.consult, self, self.today, self.last_export).copy_markdown()


make_app = RegenCompareApp
"""The app factory used by the command line, Pilot and snapshot tests (see `__init__`)."""


def run_tui(data_dir: Path, **start: Any) -> int:
    """Run the TUI until the user quits; the exit code for the command line.

    `start`: the keyword arguments of `RegenCompareApp._begin` (`preloaded`: the
    `LoadResult` the command line already loaded and checked from `data_dir`).

    Without a terminal on stdin and stdout the app would never end (nothing can quit it):
    it refuses to start with a one-line hint and exit code 2 instead.
    """
    if not has_terminal():
        print(NO_TERMINAL_HINT, file=sys.stderr)
        return EXIT_NO_TERMINAL
    app = make_app(data_dir, **start)
    result = app.run()
    if app.crash is not None:
        # The terminal is back to normal: the command line reports it in one line, exit 70.
        raise app.crash
    return result if isinstance(result, int) else 0


class Loaded(NamedTuple):
    """One load, priced: what `_apply` shows."""

    result: LoadResult
    regions: regions_mod.RegionSet | None
    regions_error: str | None
    prepared: Prepared
    stale: stale_mod.StaleIndex


def _priced(
    data_dir: Path, today: date, result: LoadResult, session: Session, *, keep: bool
) -> Loaded:
    """The regions beside the data, and the rows priced for `session`, with the cyclic GC
    paused (`keep`: the first load, frozen out of it afterwards: see `gcpause`)."""
    from regen_compare.data.gcpause import paused
    from regen_compare.data.regions import load_beside
    from regen_compare.tui import stale as stale_mod
    from regen_compare.tui.view import prepare

    with paused(keep=keep):
        regions, regions_error = load_beside(data_dir, today)
        prepared = prepare(
            result.catalog, session.profile, session.weights, regions, session.weights_asked
        )
        stale = stale_mod.index(result.warnings)
    return Loaded(result, regions, regions_error, prepared, stale)
