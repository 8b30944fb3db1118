"""The settings file: the export dialog's folder and format between runs, nothing else; written
atomically with mode 0600; read bounded, and a file that cannot be trusted gives the defaults."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from regen_compare.store import settings
from regen_compare.store.settings import ExportSettings, load_export, save_export


def test_in_the_users_config_folder() -> None:
    # conftest points XDG_CONFIG_HOME at a folder of this test's own
    assert settings.settings_path() == Path(os.environ["XDG_CONFIG_HOME"]) / (
        "regen-compare/settings.json"
    )


def test_round_trip_mode_0600_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    assert save_export(ExportSettings(str(tmp_path), "md"), path)
    assert load_export(path) == ExportSettings(str(tmp_path), "md")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "version": 1,
        "export": {"folder": str(tmp_path), "format": "md"},
    }
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp left


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_export(tmp_path / "none.json") == ExportSettings(None, "html")


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"\xff\xfe garbage",
        b"[1, 2]",
        b'{"export": "html"}',
        b'{"export": {"folder": 3, "format": 4}}',
        b"[" * 5000 + b"]" * 5000,
    ],
)
def test_a_damaged_file_gives_the_defaults(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    assert load_export(path) == ExportSettings()


@pytest.mark.parametrize(
    "folder",
    ["relative/folder", "/home/me/\x1b]52;c;AAAA\x07", "/" + "x" * 5000, ""],
)
def test_an_untrustworthy_folder_is_dropped(tmp_path: Path, folder: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"export": {"folder": folder, "format": "md"}}), encoding="utf-8")
    assert load_export(path) == ExportSettings(None, "md")


def test_an_unknown_format_is_the_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"export": {"folder": "/tmp", "format": "pdf"}}', encoding="utf-8")
    assert load_export(path) == ExportSettings("/tmp", "html")


def test_an_oversized_file_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    body = json.dumps({"export": {"folder": "/tmp", "format": "md"}, "pad": "x" * 20000})
    path.write_text(body, encoding="utf-8")
    assert path.stat().st_size > settings.MAX_BYTES
    assert load_export(path) == ExportSettings()


def test_a_link_a_folder_or_a_pipe_is_not_read(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text('{"export": {"folder": "/tmp", "format": "md"}}', encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert load_export(link) == ExportSettings()
    folder = tmp_path / "folder.json"
    folder.mkdir()
    assert load_export(folder) == ExportSettings()
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    assert load_export(fifo) == ExportSettings()  # returns at once: never blocks on a pipe


def test_a_failed_write_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    assert not save_export(ExportSettings("/tmp", "md"), blocker / "settings.json")
    link_target = tmp_path / "elsewhere.json"
    link_target.write_text("keep", encoding="utf-8")
    link = tmp_path / "settings.json"
    link.symlink_to(link_target)
    assert not save_export(ExportSettings("/tmp", "md"), link)  # a link is never written through
    assert link_target.read_text(encoding="utf-8") == "keep"


def test_a_relative_folder_is_never_stored(tmp_path: Path) -> None:
    from regen_compare.store import settings

    path = tmp_path / "settings.json"
    assert settings.save_export(settings.ExportSettings("relative/x", "md"), path)
    assert json.loads(path.read_text())["export"]["folder"] is None
