"""Every file the app writes is whole or untouched, even when the writer is killed.

The harness forks a child that performs one real write path (a handout export, a saved
scenario, the schema files) over an existing target, and SIGKILLs it at a random moment —
200 points per path — and at every step boundary of the writer. After each kill the target
must be byte for byte the old or the new content, and the cleanup the app runs at its next
start must leave no temp file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import resource
import signal
import stat
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from regen_compare import scenarios
from regen_compare.cli.main import main as cli_main
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters, build_rows
from regen_compare.present import export
from regen_compare.store import atomic
from regen_compare.store.atomic import WriteError, remove_stale_temp_files, write_atomic

TODAY = date(2026, 11, 22)
TRIALS = 200

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill harness needs fork")


def _run_child(action: Callable[[], object], delay: float | None) -> None:
    """Fork; the child runs `action`; the parent kills it after `delay` (None: let it finish)."""
    pid = os.fork()
    if pid == 0:  # child
        try:
            action()
        finally:
            os._exit(0)
    if delay is not None:
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _duration(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    _run_child(action, None)
    return time.perf_counter() - start


def _kill_trials(
    target: Path, old: bytes, new: bytes, action: Callable[[], object], trials: int = TRIALS
) -> None:
    rng = random.Random(7)
    span = max(_duration(action), 0.002) * 1.3
    outcomes = {"old": 0, "new": 0}
    for _ in range(trials):
        target.write_bytes(old)
        _run_child(action, rng.uniform(0, span))
        content = target.read_bytes()
        assert content in (old, new), "the target was left half-written"
        outcomes["old" if content == old else "new"] += 1
        remove_stale_temp_files(target.parent, older_than=0)
        leftovers = [p.name for p in target.parent.iterdir() if p.name.endswith(".rc-tmp")]
        assert leftovers == []
    # The kills really landed on both sides of the switch.
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes


def _step_kills(target: Path, old: bytes, new: bytes, action: Callable[[], object]) -> None:
    """Kill the child at each step of the writer: after the data fsync, before and after the
    replace, before the folder fsync."""
    for step, after_calls in (
        ("fsync", 1),
        ("fchmod", 1),
        ("replace", 0),
        ("replace", 1),
        ("fsync", 2),
    ):
        target.write_bytes(old)

        def killing_action(step: str = step, after_calls: int = after_calls) -> None:
            real = getattr(os, step)
            calls = {"n": 0}

            def hooked(*args: object, **kwargs: object) -> object:
                if calls["n"] == after_calls and after_calls == 0:
                    os.kill(os.getpid(), signal.SIGKILL)
                result = real(*args, **kwargs)
                calls["n"] += 1
                if calls["n"] == after_calls:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

            setattr(os, step, hooked)
            action()

        _run_child(killing_action, None)
        assert target.read_bytes() in (old, new), f"half-written after a kill at {step}"
        remove_stale_temp_files(target.parent, older_than=0)
        assert not [p for p in target.parent.iterdir() if p.name.endswith(".rc-tmp")]


@pytest.fixture
def catalog(small_data: Path):  # type: ignore[no-untyped-def]
    return load_catalog(small_data, today=TODAY).catalog


KILLS = [
    "at_each_step",
    # Kills at random moments: statistical, and the slowest tests of the default run; the
    # kills at each step of the writer are exact and stay in it.
    pytest.param("at_random_moments", marks=pytest.mark.slow),
]


def _kill(how: str, target: Path, old: bytes, new: bytes, action: Callable[[], object]) -> None:
    if how == "at_each_step":
        _step_kills(target, old, new, action)
    else:
        _kill_trials(target, old, new, action)


@pytest.mark.parametrize("how", KILLS)
def test_export_survives_kills(tmp_path: Path, catalog, how: str) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "handout.html"
    profiles = (Profile(payer="medicare", years=1), Profile(payer="medicare", years=5))
    texts = []
    for profile in profiles:
        rows = build_rows(catalog, profile)
        texts.append(export.render_handout("html", rows, profile, catalog, today=TODAY).encode())
    old, new = texts
    rows = build_rows(catalog, profiles[1])

    def action() -> None:
        export.write_handout(target, "html", rows, profiles[1], catalog, today=TODAY, force=True)

    _kill(how, target, old, new, action)


@pytest.mark.parametrize("how", KILLS)
def test_scenario_save_survives_kills(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "scenarios"
    first = scenarios.Scenario("Ms C", Profile(payer="medicare"), Filters(search="x" * 100))
    second = scenarios.Scenario("Ms C", Profile(payer="ppo", years=4), Filters())
    old_path = scenarios.save(first, folder=folder, today=TODAY)
    old = old_path.read_bytes()
    scenarios.save(second, folder=folder, overwrite=True, today=TODAY)
    new = old_path.read_bytes()

    def action() -> None:
        scenarios.save(second, folder=folder, overwrite=True, today=TODAY)

    _kill(how, old_path, old, new, action)
    assert stat.S_IMODE(os.stat(old_path).st_mode) == 0o600


@pytest.mark.parametrize("how", KILLS)
def test_schema_output_survives_kills(tmp_path: Path, how: str) -> None:
    out = tmp_path / "schema"
    cli_main(["schema", "--out", str(out)])
    target = out / "therapies.schema.json"
    new = target.read_bytes()
    old = b'{"old": true}\n'
    devnull = os.open(os.devnull, os.O_WRONLY)

    def action() -> None:
        os.dup2(devnull, 1)
        cli_main(["schema", "--out", str(out)])

    _kill(how, target, old, new, action)


# --- modes, links, errors -------------------------------------------------------------------


def test_mode_of_an_existing_file_is_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old")
    os.chmod(real, 0o640)
    write_atomic(real, "new")
    assert real.read_text() == "new"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


def test_a_link_is_refused_and_with_force_replaced_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    real = outside / "precious.md"
    real.write_text("keep me")
    os.chmod(real, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(WriteError, match="symbolic link"):
        write_atomic(link, "new", overwrite=False)
    with pytest.raises(WriteError, match="symbolic link"):
        write_atomic(link, "new", overwrite=True, replace_link=False)
    assert link.is_symlink() and real.read_text() == "keep me"
    write_atomic(link, "new", overwrite=True)
    assert not link.is_symlink() and link.read_text() == "new"
    assert real.read_text() == "keep me"
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640


def test_requested_mode_wins_over_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    target.write_text("old")
    os.chmod(target, 0o644)
    write_atomic(target, "new", mode=0o600)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_new_file_gets_umask_mode_or_the_requested_one(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)
    try:
        assert stat.S_IMODE(os.stat(write_atomic(tmp_path / "a", "x")).st_mode) == 0o644
        assert stat.S_IMODE(os.stat(write_atomic(tmp_path / "b", "x", mode=0o600)).st_mode) == 0o600
    finally:
        os.umask(old_umask)


def test_full_disk_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "handout.md"
    target.write_text("old content")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))
        try:
            write_atomic(target, "x" * 100_000)
            message = "no error"
        except WriteError as exc:
            message = str(exc)
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    message = os.read(read_end, 4096).decode()
    os.close(read_end)
    assert "not enough disk space" in message
    assert target.read_text() == "old content"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.md"]


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_read_only_folder_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    target = tmp_path / "scenario.toml"
    target.write_text("old")

    def refuse(*args: object, **kwargs: object) -> object:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic, "_written_temp", refuse)
    with pytest.raises(WriteError, match="read-only"):
        write_atomic(target, "new")
    assert target.read_text() == "old"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_folder_for_real(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("old")
    os.chmod(tmp_path, 0o555)
    try:
        with pytest.raises(WriteError, match="read-only"):
            write_atomic(target, "new")
    finally:
        os.chmod(tmp_path, 0o755)
    assert target.read_text() == "old"


def test_existing_target_refused_without_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("old")
    with pytest.raises(WriteError, match="already exists"):
        write_atomic(target, "new", overwrite=False)
    assert target.read_text() == "old"


def test_data_is_synced_before_the_switch_and_the_folder_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        calls.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(*args: object, **kwargs: object) -> None:
        calls.append("replace")
        real_replace(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(tmp_path / "x.md", "new")
    assert calls == ["fsync file", "replace", "fsync folder"]


def test_a_stale_temp_name_that_is_not_our_regular_file_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only our own regular files (or links) are removed: a FIFO under a temp name, or a
    file another user owns, stays."""
    fifo = tmp_path / f".a{atomic.TEMP_SUFFIX}"
    os.mkfifo(fifo)
    assert remove_stale_temp_files(tmp_path, older_than=0) == []
    assert fifo.exists()
    fifo.unlink()
    theirs = tmp_path / f".b{atomic.TEMP_SUFFIX}"
    theirs.write_text("x")
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 12345)
    assert remove_stale_temp_files(tmp_path, older_than=0) == []
    assert theirs.exists()
