"""In the app, a FIFO or a device as a data file is refused at once with its message, at the
start and on a live reload, and ctrl+q leaves at once. A hang fails the test instead of
blocking the run (a rescuer thread unblocks any reader of a FIFO after a few seconds)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tui_helpers import AppFactory, loaded, toasts

from helpers import make_hazard, rescued
from regen_compare.engine.costs import Profile
from regen_compare.tui.widgets.banners import ProblemBanner

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

QUICK_SECONDS = 4.0


@pytest.mark.parametrize("kind", ["fifo", "device"])
async def test_a_regions_file_that_is_no_regular_file_is_named_at_start(
    app_factory: AppFactory, data_copy: Path, kind: str
) -> None:
    """regions.toml is optional: the app opens, says what is wrong with it, and quits."""
    make_hazard(data_copy / "regions.toml", kind)
    started = time.monotonic()
    with rescued(data_copy):
        app = app_factory(data_copy, Profile(payer="medicare"))
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            assert any("regions.toml" in t and "regular file" in t for t in toasts(app))
            await pilot.press("ctrl+q")
    assert time.monotonic() - started < QUICK_SECONDS
    assert app.return_code in (0, None)


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("name", ["therapies.toml", "payers.toml", "regions.toml"])
async def test_a_file_swapped_for_a_special_file_is_refused_on_reload(
    app_factory: AppFactory, data_copy: Path, kind: str, name: str
) -> None:
    app = app_factory(data_copy, Profile(payer="medicare"))
    started = time.monotonic()
    with rescued(data_copy):
        async with app.run_test(size=(80, 24)) as pilot:
            await loaded(pilot)
            make_hazard(data_copy / name, kind)
            app.poll_data_files()
            await loaded(pilot)
            shown = " ".join(toasts(app))
            assert name in shown and "regular file" in shown, shown
            if name != "regions.toml":
                assert app.query_one(ProblemBanner).display
            await pilot.press("ctrl+q")
    assert time.monotonic() - started < QUICK_SECONDS
