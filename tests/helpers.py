"""Small helpers for building data folders in tests."""

from __future__ import annotations

from pathlib import Path

from conftest import SMALL_DATA

SMALL_THERAPIES = (SMALL_DATA / "therapies.toml").read_text(encoding="utf-8")
SMALL_PAYERS = (SMALL_DATA / "payers.toml").read_text(encoding="utf-8")


def make_data(
    folder: Path,
    therapies: str | bytes | None = None,
    payers: str | bytes | None = None,
) -> Path:
    """A data folder holding the small fixture, with either file replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content, default in (
        ("therapies.toml", therapies, SMALL_THERAPIES),
        ("payers.toml", payers, SMALL_PAYERS),
    ):
        value = default if content is None else content
        data = value.encode("utf-8") if isinstance(value, str) else value
        (folder / name).write_bytes(data)
    return folder


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")
