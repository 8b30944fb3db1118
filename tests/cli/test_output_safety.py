"""Every output format escapes text from the data the same way, even text no validation ever
saw: a forged cache entry (a valid key, hostile names) is listed and compared in every format
without one raw control character, and Markdown never turns an address into a link. What a
command echoes (a path, a host) is display-safe too."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from helpers import SMALL_DATA, make_data, run_cli
from regen_compare.data.load import LoadResult, load_catalog, to_entry
from regen_compare.model.catalog import Catalog
from regen_compare.store import cache

sys.path.insert(0, str(Path(__file__).parents[1] / "tui"))
from payloads import hostile

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ADDRESS = "PRP at www.clinic-offers.com or sales@clinic-offers.com"


def _forged(data: Path) -> None:
    """A cache entry with the right key for `data` holding hostile text (never validated)."""
    clean = load_catalog(data, today=date.today())
    catalog = hostile(clean.catalog)
    therapies = dict(catalog.therapies)
    therapies["gene-therapy"] = therapies["gene-therapy"].model_copy(update={"name": ADDRESS})
    catalog = Catalog.build(
        list(catalog.conditions.values()),
        list(therapies.values()),
        list(catalog.payers.values()),
        catalog.files,
    )
    body = to_entry(LoadResult(catalog, clean.warnings))
    key = cache.make_key(
        date.today(), (data / "therapies.toml").read_bytes(), (data / "payers.toml").read_bytes()
    )
    folder = cache.cache_dir()
    assert folder is not None
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    entry = folder / cache.entry_name(data)
    entry.write_bytes(cache._MAGIC + key.encode("ascii") + cache._crc(body) + body)
    entry.chmod(0o600)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
@pytest.mark.parametrize("command", ["list", "compare"])
def test_no_format_writes_a_raw_control_character_from_the_data(
    tmp_path: Path,
    cache_folder: Path,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    command: str,
) -> None:
    data = make_data(tmp_path / "data")
    _forged(data)
    ids = ["prp-injection", "gene-therapy", "steroid-injection"] if command == "compare" else []
    code, out, err = run_cli(
        capsys, command, *ids, "--payer", "medicare", "--format", fmt, "--data-dir", str(data)
    )
    assert code == 0, err
    # The forged entry is what got listed: its escapes are there, as visible text.
    assert any(shown in out for shown in ("\\x1b", "\\u001b", "\\x9b", "\\u202e", "\\u009b"))
    found = RAW.findall(out)
    assert not found, f"raw control characters in {fmt}: {found[:5]}"
    if fmt == "markdown":
        rendered = MarkdownIt("gfm-like", {"linkify": True}).render(out)
        assert "<a href" not in rendered
        assert "clinic" in out


def test_success_lines_show_paths_display_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_dir = tmp_path / "out\x1b]0;PWNED\x07"
    hostile_dir.mkdir()
    target = hostile_dir / "h\x1b[2J.md"
    code, out, err = run_cli(
        capsys, "export", "prp-injection", "gene-therapy", "--to", str(target),
        "--data-dir", str(SMALL_DATA),
    )  # fmt: skip
    assert code == 0, err
    assert target.exists()
    assert "\x1b" not in out and "\\x1b]0;PWNED" in out
    code, out, err = run_cli(capsys, "schema", "--out", str(hostile_dir / "s\x9b1m"))
    assert code == 0, err
    assert "\x9b" not in out and "\\x9b1m" in out


def test_schema_onto_a_link_does_not_suggest_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`schema` has no --force: its refusal of a link says what to do instead."""
    out = tmp_path / "schema"
    out.mkdir()
    (out / "therapies.schema.json").symlink_to(tmp_path / "elsewhere.json")
    code, _, err = run_cli(capsys, "schema", "--out", str(out))
    assert code == 1
    assert "symbolic link" in err and "--force" not in err
    code, _, err = run_cli(capsys, "schema", "--force")
    assert code == 2  # there is no such option to suggest
