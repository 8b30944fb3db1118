"""Start regen-compare exactly as `python -m regen_compare` does, and report its first frame.

The benchmark (bench/run.py) runs this file in a pseudo-terminal instead of the app itself, so
the app carries no benchmark code. When `REGEN_COMPARE_BENCH_FIRST_FRAME` holds a file path,
the app is replaced by `ProbeApp`, which appends one JSON line
`{"first_frame": <time.time()>, "rows": <rows shown>}` to that file as soon as the first frame
showing populated table rows has been written to the terminal, then exits with code 0 (`rows`
is 0 when the data loaded with no row to show or failed to load, so a benchmark never hangs).
Without the variable this is the plain command line. The app's module is swapped when the
start itself first imports it (`_PatchOnImport`), never earlier: a probe that imported Textual
up front would time a start whose imports ran in another order than the real one's.

Relies on `App.post_display_hook` (called after every frame is written; checked against
textual 8.2.8): tests/tui/test_web_and_stale.py fails if an upgrade stops calling it.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from functools import partial
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_ENV = "REGEN_COMPARE_BENCH_FIRST_FRAME"
UNTIL_ENV = "REGEN_COMPARE_BENCH_UNTIL"
APP_MODULE = "regen_compare.tui.app"


def probe_class(app_module: ModuleType) -> type[Any]:
    """`ProbeApp`, made once the app's module is imported (by the start itself, when it
    would be: the probe imports no Textual earlier than the app does)."""
    from regen_compare.tui.widgets.therapy_table import TherapyTable

    class ProbeApp(app_module.RegenCompareApp):  # type: ignore[name-defined,misc]
        """The app, reporting its first frame with rows to `bench_file`, then exiting."""

        CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

        def __init__(self, *args: Any, bench_file: str, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._bench_file = bench_file
            self._armed = False
            self._until_live = os.environ.get(UNTIL_ENV) == "live"

        def rows_ready(self) -> None:
            super().rows_ready()
            self._armed = True

        def post_display_hook(self) -> None:
            super().post_display_hook()
            if not self._armed:
                return
            if self._until_live and (self._first is not None or self.catalog is None):
                return  # still the remembered frame, or the data is not loaded yet
            screen = self.screen_stack[0] if self.screen_stack else None
            tables = screen.query(TherapyTable) if screen is not None else None
            table = tables.first() if tables else None
            shown = table.rows_shown if table is not None else 0
            if table is not None and shown and not table.rows_painted:
                return  # the frame with the rows is still to come
            self._armed = False
            kind = type(screen).__name__
            line = json.dumps({"first_frame": time.time(), "rows": shown, "screen": kind})
            from regen_compare import atomic  # here: the probe adds no import to the start

            try:
                atomic.append_line(self._bench_file, line)  # never through a link or a FIFO
            finally:
                self._exit_once_recorded()

        def _exit_once_recorded(self, tries: int = 300) -> None:
            """Exit, but not before this start's first frame is remembered (if it asked): a
            person looks at the screen for longer than that, and the next start depends on it.
            The time is already written: waiting here is not measured."""
            recording = self._remember is not None or any(
                worker.group == "remember" and not worker.is_finished for worker in self.workers
            )
            if recording and tries:
                self.set_timer(0.01, partial(self._exit_once_recorded, tries - 1))
            else:
                self.exit(0)

    return ProbeApp


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Swaps in `ProbeApp` right after the app's module is first imported."""

    def __init__(self, bench_file: str) -> None:
        self.bench_file = bench_file

    def find_spec(self, name: str, path: Any, target: Any = None) -> ModuleSpec | None:
        if name != APP_MODULE:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        run_module: Callable[[ModuleType], None] = spec.loader.exec_module
        bench_file = self.bench_file

        def exec_module(module: ModuleType) -> None:
            run_module(module)
            setattr(module, "make_app", partial(probe_class(module), bench_file=bench_file))  # noqa: B010

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def main(argv: list[str] | None = None) -> int:
    bench_file = os.environ.get(BENCH_ENV)
    if bench_file:
        sys.meta_path.insert(0, _PatchOnImport(bench_file))
    from regen_compare.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
