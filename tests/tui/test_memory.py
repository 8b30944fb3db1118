"""The TUI's memory stays flat over reloads: nothing is frozen out of the collector's reach.

100 reloads of the data, each with the side-by-side and help screens opened while the load
runs and closed after it: the number of live objects after the first 10 cycles and after all
100 stays within a small bound, every closed screen is freed, and `gc.freeze()` was never
called (an earlier version froze every loaded catalog, and whatever screen was open with it).
"""

from __future__ import annotations

import gc
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.tui.app import make_app

pytestmark = pytest.mark.slow  # 100 reloads and 100 screens: ~40 s; .ci/run runs it (-m slow)

SMALL = Path(__file__).parents[1] / "fixtures" / "small"
TODAY = date(2026, 11, 22)
WARM_UP = 10
CYCLES = 100
GROWTH_BOUND = 5_000
"""Live objects the last 90 cycles may add (caches, logs). One reload's catalog of the small
data is ~2,000 objects, so keeping one per reload would add ~180,000."""


def _live_objects(app: Any) -> int:
    """Live objects once Textual's bounded memo of styles (an `lru_cache(1024)` keyed by
    each widget's styles cache: it fills up over the first ~35 screens and then stays at its
    size) is emptied, so it is not counted as growth."""
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()
    gc.collect()
    gc.collect()
    return len(gc.get_objects())


async def test_memory_is_flat_over_100_reloads_with_screens_opened_and_closed() -> None:
    from regen_compare.tui.screens.compare import CompareScreen
    from regen_compare.tui.screens.help import HelpScreen

    app = make_app(
        SMALL,
        Profile(payer="medicare"),
        Filters(),
        theme="textual-dark",
        watch_files=False,
        today=TODAY,
        cursor_blink=False,
        marked=("prp-injection", "steroid-injection"),
    )
    closed: list[weakref.ref[Any]] = []
    catalogs: list[weakref.ref[Any]] = []
    frozen_before = gc.get_freeze_count()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

        async def cycle(index: int) -> None:
            screen = CompareScreen(app.view) if index % 2 else HelpScreen()
            await app.push_screen(screen)
            app.reload_data()  # the load finishes while the screen is open
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.catalog is not None and not app.problems
            catalogs.append(weakref.ref(app.catalog))
            app.pop_screen()
            await pilot.pause()
            closed.append(weakref.ref(screen))

        for index in range(WARM_UP):
            await cycle(index)
        await pilot.pause()
        baseline = _live_objects(app)
        for index in range(WARM_UP, CYCLES):
            await cycle(index)
        await pilot.pause()
        final = _live_objects(app)
        assert gc.get_freeze_count() == frozen_before, "a load froze objects out of the GC"
        # Every replaced catalog is freed (the current one is alive, of course).
        assert sum(ref() is not None for ref in catalogs[:-1]) == 0
        # Every closed screen is freed.
        still_alive = [ref for ref in closed if ref() is not None]
        assert len(still_alive) <= 1, f"{len(still_alive)} closed screens never freed"
        assert final - baseline < GROWTH_BOUND, (baseline, final)
        assert gc.isenabled()
