"""`gcpause.paused`: the one way a load keeps the cyclic GC out, and puts it back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from regen_compare.consult import price
from regen_compare.data.gcpause import hold_for_start, paused, start_over
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)  # the bundled data was last checked on this day


def test_pauses_and_restores_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused():
        assert not gc.isenabled()
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_and_overlapping_pauses_restore_once_at_the_end() -> None:
    started, release = threading.Event(), threading.Event()

    def other_load() -> None:
        with paused():
            started.set()
            release.wait(5)

    worker = threading.Thread(target=other_load)
    with paused():
        worker.start()
        started.wait(5)
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other load is still running
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezes_only_what_is_asked_to_be_kept(unfrozen: None) -> None:
    with paused():
        _ = [object() for _ in range(1000)]
    assert gc.get_freeze_count() == 0
    with paused(keep=True):
        kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == 0  # at the end, not before
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()


def test_an_inner_keep_freezes_when_the_last_pause_ends(unfrozen: None) -> None:
    with paused():
        with paused(keep=True):
            kept = [[i] for i in range(100)]
        assert gc.get_freeze_count() == 0 and not gc.isenabled()
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()


def test_a_failed_block_keeps_nothing(unfrozen: None) -> None:
    with pytest.raises(RuntimeError), paused(keep=True):
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0
    with paused():
        pass
    assert gc.get_freeze_count() == 0  # the failed keep is not carried to the next pause


def test_kept_data_and_its_prices_are_freed_when_replaced(unfrozen: None) -> None:
    """Frozen objects are still freed by reference counting: a catalog and its priced rows
    (no cycles in them) go when a reload replaces them, they do not pile up."""

    def load_and_price() -> tuple[object, list[object]]:
        catalog = load_catalog(REPO / "data", today=TODAY).catalog
        return catalog, list(price(catalog, Profile(payer="medicare"), BALANCED))

    load_and_price()  # imports and the code's own caches: not the data
    gc.collect()
    before = len(gc.get_objects())
    with paused(keep=True):
        catalog, rows = load_and_price()
    kept = gc.get_freeze_count() - before
    assert kept > 1000 and rows
    del catalog, rows
    left = gc.get_freeze_count() - before
    assert left < kept // 20, f"{left} of {kept} kept objects were not freed"


def test_a_start_holds_the_collector_until_it_is_over(unfrozen: None) -> None:
    """One hold at a time; a load's pause inside it ends without switching it back on; the
    start's end freezes what was kept, once."""
    hold_for_start()
    hold_for_start()  # a second hold is the same one
    assert not gc.isenabled()
    with paused(keep=True):
        kept = [[i] for i in range(100)]
    assert not gc.isenabled() and gc.get_freeze_count() == 0
    start_over(keep=True)
    assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    gc.unfreeze()
    start_over(keep=True)  # over already: nothing happens
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_start_over_without_keep_freezes_nothing(unfrozen: None) -> None:
    hold_for_start()
    _ = [[i] for i in range(100)]
    start_over(keep=False)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_command_runs_with_the_collector_on_and_leaves_it_on(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the app's start keeps the collector off (until its first frame): a command gets
    it back once parsed, and nothing is frozen."""
    from regen_compare.cli import commands
    from regen_compare.cli.main import main

    seen: list[bool] = []
    real = commands.cmd_validate

    def validate(args: object) -> int:
        seen.append(gc.isenabled())
        return real(args)  # type: ignore[arg-type]

    monkeypatch.setattr(commands, "cmd_validate", validate)
    assert main(["validate"]) == 0
    assert seen == [True] and gc.isenabled() and gc.get_freeze_count() == 0


def test_a_command_line_that_ends_early_gives_the_collector_back(unfrozen: None) -> None:
    """A usage error ends `main` before any command runs: the start's hold still ends."""
    from regen_compare.cli.main import main

    with pytest.raises(SystemExit):
        main(["--no-such-option"])
    assert gc.isenabled() and gc.get_freeze_count() == 0
