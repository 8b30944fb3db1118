"""How the App starts: only in a terminal, and from a remembered first frame when there is
one (`regen_compare.first_frame`).

The App draws `FirstFrameScreen` from the record, and once that frame is on the terminal
(`post_display_hook`) runs the command line's usual start (`FirstStart.prepare`), builds the
consult and moves to the live main screen. After the first load of any start that asked for
it (`first_frame.Remember`), the screen is recorded for the next identical start.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App

from regen_compare import first_frame

if TYPE_CHECKING:
    from textual.driver import Driver

    from regen_compare.consult import Consult, Session
    from regen_compare.painted_frame import Paint
    from regen_compare.tui.children import Children
    from regen_compare.tui.screens.main import MainScreen
    from regen_compare.tui.view import ConsultView

NO_TERMINAL_HINT = (
    "regen-compare: error: the interactive app needs a terminal (stdin and stdout are not "
    "both one); for scripts use a command such as `regen-compare list` (see --help)"
)
EXIT_NO_TERMINAL = 2


def has_terminal() -> bool:
    """stdin and stdout are a terminal, or textual-serve chose its web driver for us."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


LIVE_MODE = "live"
"""The screen stack the app moves to after a remembered first frame."""


class FirstStart(NamedTuple):
    """A start that draws a remembered first frame before anything else is loaded."""

    shown: first_frame.Screen
    prepare: Callable[[], dict[str, Any]]
    """What the command line does before a plain start (parse, load, check), run once the
    first frame is on screen; returns the app's keyword arguments (`RegenCompareApp._begin`)
    or raises the command line's own errors, which end the app and are reported by it."""
    paint: Paint | None = None
    """This terminal's painted frame (`painted_frame`): shown already, or to be captured."""
    note: str = ""
    """What the pane beside the table says meanwhile (a preview's: `preview_frame`)."""


def first_driver(first: FirstStart | None) -> type[Driver] | None:
    """The terminal driver for a start (None: Textual's own choice)."""
    if first is None or first.paint is None:
        return None
    from regen_compare.tui.paint_driver import driver_for

    return driver_for(first.paint)


class FirstFrameApp(App[int]):
    """The part of the App that starts from a remembered frame and records the next one."""

    view: ConsultView
    _generation: int
    loader_children: Children

    def _init_first(self, first: FirstStart | None) -> None:
        self._first = first
        self._first_started = False
        self._exiting = False
        self._remember: first_frame.Remember | None = None
        self.start_error: BaseException | None = None
        """What `first.prepare()` raised: the app ended and the command line reports it."""

    # --- what the App provides --------------------------------------------------------------

    def _begin_from(self, arguments: dict[str, Any]) -> None:
        raise NotImplementedError

    def _main_screen(self) -> MainScreen:
        raise NotImplementedError

    def _start(self) -> None:
        raise NotImplementedError

    @property
    def _main(self) -> MainScreen | None:
        raise NotImplementedError

    @property
    def consult(self) -> Consult:
        raise NotImplementedError

    # --- the start --------------------------------------------------------------------------

    def post_display_hook(self) -> None:
        """Once the remembered first frame has been written to the terminal, do the rest of
        the start (the command line's checks, the data, the live screen)."""
        if self._first is not None and not self._first_started:
            self._first_started = True
            self._keep_painted_frame(self._first.paint)
            self.call_later(self._finish_first_start)

    def _keep_painted_frame(self, paint: Paint | None) -> None:
        """Keep what Textual just wrote for the remembered frame, for the next start in this
        terminal to paint (`painted_frame`), unless this start painted it already."""
        captured = paint.take() if paint is not None else None
        if paint is None or captured is None:
            return
        if (self.size.width, self.size.height) != (paint.terminal.columns, paint.terminal.lines):
            return  # drawn for another size than the one this start was keyed on
        import textual

        from regen_compare import painted_frame

        def write() -> None:
            painted_frame.remember(paint.terminal, paint.drawn_from, captured, textual.__file__)

        self.run_worker(write, thread=True, group="remember", exit_on_error=False)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._exiting = True  # (Textual's own flag is private)
        self.loader_children.stop()  # Textual's loop waits for the load's thread when it closes
        super().exit(*args, **kwargs)

    def _finish_first_start(self) -> None:
        first = self._first
        if first is None or self._exiting:
            return  # quit on the remembered frame: no live screen to build while closing
        try:
            arguments = first.prepare()
        except BaseException as exc:  # re-raised by `run_tui` once the app has ended
            self.start_error = exc
            self.exit(0)
            return
        self._begin_from(arguments)
        self._start()  # the remembered frame stays until the data is there (`_go_live`)

    def _go_live(self) -> None:
        """Once the first load is done (loaded or failed): the live screen replaces the
        remembered frame. Not before: at 10,000 therapies pricing takes seconds, and the
        remembered rows would give way to an empty "Loading" table meanwhile."""
        if self._first is None or not self._first_started or self._exiting:
            return  # no remembered frame, already live, or closing (no screen to add then)
        self._first = None
        # The live screen gets a stack of its own (a mode): the remembered frame, the base of
        # the default stack, cannot be switched away (Textual pops its result callback).
        self.add_mode(LIVE_MODE, self._main_screen)
        self.switch_mode(LIVE_MODE)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the live screen is there, only quitting: every other action needs the data
        (None: its key stays in the footer, shown disabled, so the footer does not change)."""
        if self._first is not None and action not in ("quit", "help_quit"):
            return None
        return super().check_action(action, parameters)

    def _remember_first_frame(self, session: Session, tries: int = 5) -> None:
        """After the first load is on screen: record the screen for the next identical start
        (in a thread: it hashes the data files again). Not when the session is no longer
        `session`, the one its data was shown with (a change before the data came is caught
        where it arrives: `RegenCompareApp._loaded`)."""
        main = self._main
        if main is None and tries:  # the main screen is still mounting: after its frame
            self.call_after_refresh(self._remember_first_frame, session, tries - 1)
            return
        remember, self._remember = self._remember, None
        changed = self.consult.session != session or self._generation != 1
        if remember is None or main is None or self.view.problems or changed:
            return
        from regen_compare.tui.screens.first_frame import capture

        shown = capture(main)
        if shown is None:
            return

        def write() -> None:
            first_frame.remember(remember, shown)

        self.run_worker(write, thread=True, group="remember", exit_on_error=False)

    def rows_ready(self) -> None:
        """Called when rows can be shown: a remembered first frame, or a finished load
        (loaded or failed). The benchmark probe hooks it."""
