"""The one guarded read of a file the program did not write (`store.regular`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from regen_compare.store import regular
from regen_compare.store.regular import Refusal, read_regular


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_regular(path, 100) == b"x" * 100


def test_a_device_a_fifo_and_a_folder_are_refused_by_name(tmp_path: Path) -> None:
    device = read_regular(Path("/dev/null"), 100)
    assert device == Refusal("is not a regular file (a pipe, socket or device); refused")
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # data waiting: still never read
    try:
        os.write(writer, b'{"export": {}}')
        assert isinstance(read_regular(fifo, 100), Refusal)
    finally:
        os.close(writer)
    assert read_regular(tmp_path, 100) == Refusal("is a folder, not a file")
    assert read_regular(tmp_path / "none", 100) == Refusal("file not found")


def test_a_link_is_refused_only_when_asked(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.write_bytes(b"abc")
    link = tmp_path / "link"
    link.symlink_to(real)
    assert read_regular(link, 100) == b"abc"
    assert isinstance(read_regular(link, 100, follow_links=False), Refusal)


def test_an_oversized_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 200)
    calls: list[int] = []
    real_read = os.read
    monkeypatch.setattr(regular.os, "read", lambda fd, n: calls.append(n) or real_read(fd, n))
    assert read_regular(big, 100) == Refusal("is 200 bytes; files over 100 bytes are refused")
    assert calls == []


def test_a_file_that_grows_past_the_limit_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked on the open file, then the read stops one byte past the limit:
    a file that grew after the check is refused, never read whole."""
    grown = tmp_path / "grown"
    grown.write_bytes(b"x" * 200)
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, 0, 0, 0, 0, 0, 10, 0, 0, 0))

    monkeypatch.setattr(regular.os, "fstat", small)
    refused = read_regular(grown, 100)
    assert isinstance(refused, Refusal) and refused.reason.startswith("grew past")
