"""Writes running at the same time, and writes killed half-way, lose nothing and leave nothing.

Two or twelve `scenario save`s of different names at once (40 rounds) all succeed: a save
removes only temp files that are old and ours, never another process's write in progress.
A write killed before its file is complete leaves no temp file at all (it is written without
a name, O_TMPFILE), and one killed in the instant between naming and switching is removed by
the next write of that name once it is old.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from regen_compare import scenarios
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.store import atomic

TODAY = date(2026, 11, 22)
ROUNDS = 40


def _children_at_once(actions: list[Callable[[], None]]) -> list[tuple[int, str]]:
    """Fork one child per action, release them together, return (exit code, message) each."""
    gate_read, gate_write = os.pipe()
    children: list[tuple[int, int]] = []
    for action in actions:
        report_read, report_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: wait at the gate, run, report
            os.close(gate_write)
            os.close(report_read)
            os.read(gate_read, 1)
            code, message = 0, ""
            try:
                action()
            except BaseException as exc:  # everything the save raises is the finding
                code, message = 1, f"{type(exc).__name__}: {exc}"
            os.write(report_write, message.encode()[:4000])
            os._exit(code)
        os.close(report_write)
        children.append((pid, report_read))
    os.close(gate_read)
    os.close(gate_write)  # every child's read returns at once
    results = []
    for pid, report in children:
        message = os.read(report, 4096).decode()
        os.close(report)
        _, status = os.waitpid(pid, 0)
        results.append((os.waitstatus_to_exitcode(status), message))
    return results


def _save(folder: Path, name: str) -> Callable[[], None]:
    def action() -> None:
        scenarios.save(
            scenarios.Scenario(name, Profile(years=2), Filters()), folder=folder, today=TODAY
        )

    return action


@pytest.mark.parametrize(
    ("at_once", "rounds"),
    [
        (2, ROUNDS),
        (12, 8),  # without the fix, every run so far failed within 5 rounds
        pytest.param(12, ROUNDS, marks=pytest.mark.slow),  # ~9 s: 480 saves
    ],
)
def test_saves_of_different_names_at_once_all_succeed(
    tmp_path: Path, at_once: int, rounds: int
) -> None:
    folder = tmp_path / "scenarios"
    for round_ in range(rounds):
        names = [f"{chr(ord('a') + i)}{round_}" for i in range(at_once)]
        results = _children_at_once([_save(folder, name) for name in names])
        failed = [message for code, message in results if code != 0]
        assert not failed, f"round {round_}: {failed}"
    assert len(scenarios.list_names(folder)) == rounds * at_once
    assert not [p for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]


def _kill_self_after(step: str, calls: int) -> Callable[..., object]:
    real = getattr(os, step)
    seen = {"n": 0}

    def hooked(*args: object, **kwargs: object) -> object:
        if calls == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        seen["n"] += 1
        if seen["n"] == calls:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    return hooked


def _killed_write(target: Path, step: str, calls: int) -> None:
    pid = os.fork()
    if pid == 0:
        setattr(os, step, _kill_self_after(step, calls))
        try:
            atomic.write_atomic(target, "the patient's handout\n" * 200)
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status), "the write was not killed where the test meant"


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]


@pytest.mark.parametrize(("step", "calls"), [("write", 1), ("fchmod", 1), ("fsync", 1)])
def test_an_export_killed_before_it_is_complete_leaves_nothing(
    tmp_path: Path, step: str, calls: int
) -> None:
    target = tmp_path / "handout.md"
    _killed_write(target, step, calls)
    assert not target.exists()
    assert _temps(tmp_path) == [], "a killed write left a copy of the handout behind"


def test_a_temp_left_at_the_switch_is_removed_by_the_next_write_once_old(tmp_path: Path) -> None:
    target = tmp_path / "handout.md"
    _killed_write(target, "replace", 0)  # named, not yet switched: the one window left
    [left] = _temps(tmp_path)
    atomic.write_atomic(target, "again")  # young: perhaps another process's write; kept
    assert _temps(tmp_path) == [left]
    old = time.time() - 2 * atomic.STALE_SECONDS
    os.utime(left, (old, old))
    atomic.write_atomic(target, "once more")
    assert _temps(tmp_path) == []
    assert target.read_text() == "once more"
