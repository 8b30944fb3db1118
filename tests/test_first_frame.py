"""The remembered first frame: used only for the same start, read as untrusted, never code.

Each test removes one reason an entry may be used and checks it is then ignored; each would
pass an entry through (and fail) if its guard in `first_frame` were removed.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest

from helpers import python_output
from regen_compare import cache, first_frame
from regen_compare.table_cells import Column, DisplayRow

TODAY = date(2026, 11, 25)
WORDS = ("--payer", "medicare-original")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(path))
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    (path / "therapies.toml").write_text("# therapies\n", encoding="utf-8")
    (path / "payers.toml").write_text("# payers\n", encoding="utf-8")
    return path


def screen(**changes: object) -> first_frame.Screen:
    fields: dict[str, object] = {
        "profile_bar": ("knee OA · Medicare", ((0, 7, "bold"),)),
        "count_line": ("2 of 2 therapies", ((0, 16, "bold"),)),
        "disclaimer": "Educational estimates, not medical advice.",
        "columns": (Column("name", "Therapy"), Column("patient_cost", "You pay", right=True)),
        "rows": (
            DisplayRow("prp", ("PRP injection", "≈$1,000"), ("", "good")),
            DisplayRow("pt", ("Physical therapy", "≈$400"), ("", "")),
        ),
        "widths": (17, 8),
        "marks": ("pt",),
    }
    fields.update(changes)
    return first_frame.Screen(**fields)  # type: ignore[arg-type]


def remember(data: Path, shown: first_frame.Screen, words: tuple[str, ...] = WORDS) -> None:
    paths = [data / "therapies.toml", data / "payers.toml", data / "regions.toml"]
    pending = first_frame.Remember(
        first_frame.Request.current(words, TODAY), first_frame.digests(paths)
    )
    assert first_frame.remember(pending, shown)


def lookup(words: tuple[str, ...] = WORDS, today: date = TODAY) -> first_frame.Screen | None:
    return first_frame.lookup(first_frame.Request.current(words, today))


def entry(folder: Path) -> Path:
    [path] = folder.glob(first_frame.PREFIX + "*")
    return path


def test_the_same_start_gets_the_same_screen(folder: Path, data: Path) -> None:
    remember(data, screen())
    assert lookup() == screen()
    assert os.stat(entry(folder)).st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "other",
    [
        {"words": ("--payer", "medicaid")},
        {"today": date(2026, 11, 26)},
    ],
    ids=["other words", "another day"],
)
def test_another_request_misses(folder: Path, data: Path, other: dict[str, object]) -> None:
    remember(data, screen())
    assert lookup(**other) is None  # type: ignore[arg-type]


def test_another_folder_or_environment_misses(
    folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    remember(data, screen())
    monkeypatch.setenv("REGEN_COMPARE_DATA", str(tmp_path))
    assert lookup() is None
    monkeypatch.delenv("REGEN_COMPARE_DATA")
    monkeypatch.chdir(tmp_path)
    assert lookup() is None


def test_the_benchmark_marker_chooses_nothing(
    folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    remember(data, screen())
    monkeypatch.setenv("REGEN_COMPARE_BENCH_FIRST_FRAME", str(tmp_path / "x.jsonl"))
    assert lookup() == screen()


@pytest.mark.parametrize("name", ["therapies.toml", "payers.toml", "regions.toml"])
def test_a_changed_or_new_input_file_misses(folder: Path, data: Path, name: str) -> None:
    remember(data, screen())
    with open(data / name, "a", encoding="utf-8") as handle:
        handle.write("# edited\n")
    assert lookup() is None


def test_changed_code_misses(folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remember(data, screen())
    monkeypatch.setattr(first_frame, "code_version", lambda: "another build")
    assert lookup() is None


def test_code_version_follows_every_module() -> None:
    before = first_frame.code_version()
    module = Path(first_frame.__file__)
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    try:
        assert first_frame.code_version() != before
    finally:
        os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_files_changed_while_loading_are_not_recorded(folder: Path, data: Path) -> None:
    paths = [data / "therapies.toml", data / "payers.toml"]
    pending = first_frame.Remember(
        first_frame.Request.current(WORDS, TODAY), first_frame.digests(paths)
    )
    (data / "payers.toml").write_text("# changed after the digest\n", encoding="utf-8")
    assert not first_frame.remember(pending, screen())
    assert not list(folder.glob(first_frame.PREFIX + "*"))


def test_an_entry_others_could_write_is_ignored(folder: Path, data: Path) -> None:
    remember(data, screen())
    os.chmod(entry(folder), 0o644)
    assert lookup() is None
    os.chmod(entry(folder), 0o600)
    os.chmod(folder, 0o777)
    assert lookup() is None


def test_a_link_at_the_entry_is_not_followed(folder: Path, data: Path, tmp_path: Path) -> None:
    remember(data, screen())
    path = entry(folder)
    target = tmp_path / "elsewhere.json"
    path.rename(target)
    path.symlink_to(target)
    assert lookup() is None


def test_an_oversized_entry_is_ignored(
    folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember(data, screen())
    monkeypatch.setattr(first_frame, "MAX_ENTRY_BYTES", 100)
    assert lookup() is None


def _rewrite(folder: Path, change: object) -> None:
    path = entry(folder)
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document["screen"])  # type: ignore[operator]
    path.write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.update(count_line=["x", [[0, 1, "link https://example.com"]]]),
        lambda s: s.update(count_line=["x", [[0, 1, "red on white"]]]),
        lambda s: s["rows"][0].__setitem__(2, ["", "blink"]),
        lambda s: s["rows"][0].__setitem__(1, ["only one cell"]),
        lambda s: s.update(widths=[17, 10_000]),
        lambda s: s.update(columns="not a list"),
    ],
    ids=["link style", "colour style", "unknown tone", "short row", "huge width", "bad shape"],
)
def test_a_tampered_entry_is_ignored(folder: Path, data: Path, change: object) -> None:
    remember(data, screen())
    _rewrite(folder, change)
    assert lookup() is None


def test_text_from_an_entry_is_made_display_safe(folder: Path, data: Path) -> None:
    remember(data, screen())
    _rewrite(folder, lambda s: s["rows"][0][1].__setitem__(0, "PRP\x1b]52;c;aGk=\x07 [b]x[/b]"))
    shown = lookup()
    assert shown is not None
    cell = shown.rows[0].cells[0]
    assert "\x1b" not in cell and "\x07" not in cell
    assert "[b]x[/b]" in cell  # kept as written: drawn as plain text, never as markup


def test_only_the_newest_entries_are_kept(
    folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_frame, "MAX_ENTRIES", 3)
    for n in range(5):
        remember(data, screen(), words=("--years", str(n + 1)))
    assert len(list(folder.glob(first_frame.PREFIX + "*"))) == 3
    assert lookup(("--years", "5")) is not None
    assert lookup(("--years", "1")) is None


def test_no_cache_means_no_first_frame(
    folder: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remember(data, screen())
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert lookup() is None


def test_the_first_frame_path_imports_no_model_no_parser_and_no_engine() -> None:
    """What a remembered start imports before drawing: Textual and the table, nothing else
    of weight (the issue: no pydantic model classes on the path to the first frame)."""
    code = (
        "import sys\n"
        "import regen_compare.cli, regen_compare.cli_first, regen_compare.tui.app\n"
        "import regen_compare.tui.screens.first_frame\n"
        "regen_compare.cli_first.remembered([])\n"
        "heavy = ['pydantic', 'argparse', 'regen_compare.model', 'regen_compare.costs',\n"
        "         'regen_compare.consult', 'regen_compare.cli_parser', 'regen_compare.load',\n"
        "         'regen_compare.tui.screens.main', 'textual_plotext', 'tomli',\n"
        "         'secrets']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    output = python_output(code)
    assert output.strip() == "[]", output
