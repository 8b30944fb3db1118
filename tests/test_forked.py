"""Work done by a forked child beside this process's own: its bytes come back only when it
finished; otherwise none, and no child is left behind."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from helpers import no_children_left
from regen_compare import forked

pytestmark = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="forking helps only on Linux with two cores or more",
)


@pytest.fixture(autouse=True)
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread another test left running must not turn these tests into no-ops."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert forked.available()


def test_each_part_gives_what_it_made() -> None:
    parent = os.getpid()
    mine, theirs = forked.beside(lambda: str(os.getpid()).encode(), lambda: os.getpid())
    assert mine == parent
    assert theirs is not None and int(theirs) != parent  # made in another process
    assert no_children_left()


def test_a_child_that_raises_gives_nothing() -> None:
    def fails() -> bytes:
        raise RuntimeError("in the child")

    assert forked.beside(fails, lambda: 1) == (1, None)
    assert no_children_left()


def test_a_child_killed_while_writing_gives_nothing_not_a_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pipe holds what was written before it died: without its exit status that part
    would pass for the whole."""
    children: list[int] = []
    fork = os.fork

    def noted_fork() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", noted_fork)

    def kill_it_mid_write() -> None:
        time.sleep(0.3)  # the child has filled the pipe and waits to write the rest
        os.kill(children[0], signal.SIGKILL)

    _, theirs = forked.beside(lambda: b"x" * (4 << 20), kill_it_mid_write)
    assert theirs is None
    assert no_children_left()


def test_no_pipe_or_no_process_means_this_process_does_its_part_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise OSError("no process to spare")

    monkeypatch.setattr(os, "fork", no_fork)
    assert forked.beside(lambda: b"never", lambda: "mine") == ("mine", None)


def test_an_error_in_this_process_kills_and_reaps_the_child() -> None:
    def fails() -> None:
        raise KeyError("here")

    started = time.monotonic()
    with pytest.raises(KeyError):
        forked.beside(lambda: time.sleep(60) or b"", fails)
    assert time.monotonic() - started < 30  # killed, not waited for (it sleeps 60 s)
    assert no_children_left()
