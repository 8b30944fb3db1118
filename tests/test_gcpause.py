"""`gcpause.paused`: the one way a load keeps the cyclic GC out, and puts it back."""

from __future__ import annotations

import gc
import threading

import pytest

from regen_compare.gcpause import paused


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


def test_never_freezes() -> None:
    before = gc.get_freeze_count()
    with paused():
        _ = [object() for _ in range(1000)]
    assert gc.get_freeze_count() == before
