"""A large data set never stalls the interface: the first start prices it before the event
loop runs, and a reload (an edit on disk) loads and prices it in a worker thread.

The guard is structural, not a stopwatch (timings belong to bench/run.py): the test records
when the rows were priced. A 50 ms heartbeat runs from mount; its longest gap is checked only
against a generous bound that pricing on the loop (seconds) would break, since on a shared
2-core machine a full garbage collection and other processes can each take a few hundred ms.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from bigdata import write_big
from tui_helpers import TODAY, loaded

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.tui import app as app_module
from regen_compare.tui.app import RegenCompareApp
from regen_compare.tui.widgets.therapy_table import TherapyTable

pytestmark = pytest.mark.slow  # a generated large catalog: .ci/run runs it

BIG = 3000
MAX_GAP = 1.5
"""Seconds: pricing 3,000 therapies on the loop takes longer than this; see the docstring."""
BEAT = 0.05


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_big(tmp_path_factory.mktemp("big") / "data", BIG)


class HeartbeatApp(RegenCompareApp):
    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.beats: list[float] = []

    def on_mount(self) -> None:  # runs before the app's own on_mount (which starts the load)
        self.beats.append(time.perf_counter())
        self.set_interval(BEAT, lambda: self.beats.append(time.perf_counter()))

    @property
    def max_gap(self) -> float:
        return max(b - a for a, b in zip(self.beats, self.beats[1:], strict=False))


async def test_a_large_start_is_priced_before_the_loop_runs_and_never_stalls_it(
    big_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line loads the data and the app prices it before its first frame: from the
    first frame on, the rows are there and the loop never waits on them."""
    from regen_compare import consult as consult_module

    priced_at: list[float] = []
    real_build = consult_module.build_rows

    def build_rows(*args: Any, **kwargs: Any) -> Any:
        priced_at.append(time.perf_counter())
        return real_build(*args, **kwargs)

    monkeypatch.setattr(consult_module, "build_rows", build_rows)
    result = load_catalog(big_data, today=TODAY)
    app = HeartbeatApp(
        big_data,
        Profile(payer="medicare"),
        watch_files=False,
        today=TODAY,
        cursor_blink=False,
        preloaded=result,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.query_one(TherapyTable)
        assert len(table.row_ids) == BIG  # from the first frame
        await pilot.press("t")  # keys work at once
        assert app.theme == "textual-light"
        await pilot.pause(0.3)
        assert table.rows_painted
        gap = app.max_gap
    assert len(priced_at) == 1 and priced_at[0] < app.beats[0]
    assert gap < MAX_GAP, f"the event loop stalled for {gap * 1000:.0f} ms"


async def test_reloading_a_large_file_keeps_the_keys_working(big_data: Path) -> None:
    """A reload (an edit on disk) of the large file: keys still work while it loads."""
    app = HeartbeatApp(big_data, watch_files=False, today=TODAY, cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.beats.clear()
        app.reload_data()
        await pilot.press("t")  # the theme changes at once, mid-load
        assert app.theme == "textual-light"
        await loaded(pilot)
        assert app.max_gap < MAX_GAP
