"""Quitting never waits for a load nobody wants: the app's loader children are killed, with
what they forked, and the waiting thread is told at once."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import build_app, hold

from regen_compare.tui.children import Children, Stopped

ENV = dict(os.environ)
SLEEPS = [sys.executable, "-c", "import time\ntime.sleep(30)"]
FORKS = """import os, sys, time
if os.fork() == 0:
    open(sys.argv[1], "w").write(str(os.getpid()))
time.sleep(30)
"""


def test_a_child_runs_to_its_end() -> None:
    code, out = Children().run([sys.executable, "-c", "print('entry')"], ENV)
    assert (code, out) == (0, b"entry\n")


def run_in_thread(children: Children, argv: list[str]) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def wait() -> None:
        try:
            outcome.append(children.run(argv, ENV))
        except Stopped as exc:
            outcome.append(exc)

    thread = threading.Thread(target=wait)
    thread.start()
    return thread, outcome


def alive(pid: int) -> bool:
    """Running (a zombie is not: only its parent, killed, could have reaped it)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_stop_kills_the_child_and_what_it_forked_and_the_waiter_is_told(tmp_path: Path) -> None:
    noted = tmp_path / "forked.pid"
    children = Children()
    thread, outcome = run_in_thread(children, [sys.executable, "-c", FORKS, str(noted)])
    for _ in range(200):
        if noted.exists() and noted.read_text():
            break
        time.sleep(0.02)
    forked = int(noted.read_text())
    started = time.monotonic()
    children.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 2
    assert isinstance(outcome[0], Stopped)
    for _ in range(100):  # the process it forked too (it was in the child's group)
        if not alive(forked):
            break
        time.sleep(0.02)
    assert not alive(forked)


def test_nothing_starts_once_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("started a child after the app stopped its children")

    children = Children()
    children.stop()
    monkeypatch.setattr(subprocess, "Popen", no_process)
    with pytest.raises(Stopped):
        children.run(SLEEPS, ENV)


async def test_the_app_kills_its_running_children_when_it_exits() -> None:
    app = build_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        thread, outcome = run_in_thread(app.loader_children, SLEEPS)
        await pilot.pause(0.3)  # it is running
        app.exit()
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(outcome[0], Stopped)  # killed, not waited for (it sleeps 30 s)
    with pytest.raises(Stopped):
        app.loader_children.check()  # and the load's worker prices nothing more


async def test_a_load_that_ends_after_quitting_prices_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pricing 10,000 therapies takes seconds, and Textual's loop would wait for it."""
    from regen_compare.tui import loader
    from regen_compare.tui import view as view_module

    asked = threading.Event()
    priced: list[int] = []
    real_prepare = view_module.prepare

    def prepare(*args: Any, **kwargs: Any) -> Any:
        priced.append(1)
        return real_prepare(*args, **kwargs)

    release = hold(monkeypatch, loader, "load_data")
    monkeypatch.setattr(view_module, "prepare", prepare)
    app = build_app()
    real_check = app.loader_children.check

    def check() -> None:
        try:
            real_check()
        finally:
            asked.set()

    monkeypatch.setattr(app.loader_children, "check", check)
    async with app.run_test() as pilot:
        await pilot.pause(0.1)
        app.exit()
        release.set()
    assert asked.wait(5), "the load never asked whether the app was closing"
    assert not priced


@pytest.mark.parametrize("reaped", [False, True], ids=["running", "reaped"])
def test_a_child_already_reaped_is_never_signalled(
    monkeypatch: pytest.MonkeyPatch, reaped: bool
) -> None:
    """Between its end and being let go, a child's pid may already be another process's."""
    started, release = threading.Event(), threading.Event()

    class Child:
        pid = 4_000_000  # never signalled for real: `killpg` is recorded below
        returncode: int | None = None

        def communicate(self) -> tuple[bytes, bytes]:
            started.set()
            release.wait(5)
            return b"", b""

    child = Child()

    def popen(*args: Any, **kwargs: Any) -> Child:
        return child

    signalled: list[int] = []
    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(os, "killpg", lambda pid, sig: signalled.append(pid))
    children = Children()
    thread, outcome = run_in_thread(children, SLEEPS)
    assert started.wait(5)
    if reaped:
        child.returncode = 0  # `communicate` has reaped it and is about to return
    children.stop()
    release.set()
    thread.join(5)
    assert signalled == ([] if reaped else [Child.pid])
    assert isinstance(outcome[0], Stopped)
