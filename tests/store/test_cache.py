"""The validated-data cache: used only on an exact match, ignored when in doubt."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import stat
from datetime import date
from pathlib import Path

import pytest

from helpers import SMALL_PAYERS, make_data
from regen_compare.data.load import load_catalog
from regen_compare.model.problems import DataError
from regen_compare.store import cache

TODAY = date(2026, 11, 22)


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.entry")) if folder.exists() else []


def test_hit_gives_the_same_catalog(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_data(tmp_path / "data")
    first = load_catalog(data, today=TODAY, use_cache=True)
    [entry] = _entries(cache_folder)
    assert os.stat(entry).st_mode & 0o777 == 0o600
    assert os.stat(cache_folder).st_mode & 0o777 == 0o700

    def no_parse(text: str) -> object:
        raise AssertionError("a warm cache must not parse")

    from regen_compare.data import load as load_module

    monkeypatch.setattr(load_module, "_toml_loads", no_parse)
    second = load_catalog(data, today=TODAY, use_cache=True)
    assert second.catalog.therapies == first.catalog.therapies
    assert second.catalog.payers == first.catalog.payers


def test_any_change_misses(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    load_catalog(data, today=TODAY, use_cache=True)
    (data / "payers.toml").write_text(SMALL_PAYERS.replace("deductible = 283", "deductible = 300"))
    assert (
        load_catalog(data, today=TODAY, use_cache=True).catalog.payers["medicare"].deductible == 300
    )
    # A different day may change staleness warnings: it misses too.
    later = load_catalog(data, today=date(2026, 11, 23), use_cache=True)
    assert later.catalog.payers["medicare"].deductible == 300


def test_broken_data_is_never_served_from_cache(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    load_catalog(data, today=TODAY, use_cache=True)
    (data / "payers.toml").write_text(
        SMALL_PAYERS.replace('status = "not_covered"', 'status = "x"')
    )
    with pytest.raises(DataError):
        load_catalog(data, today=TODAY, use_cache=True)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "world-writable", "wrong-key"])
def test_damaged_or_untrusted_entries_are_ignored(
    tmp_path: Path, cache_folder: Path, damage: str
) -> None:
    data = make_data(tmp_path / "data")
    expected = load_catalog(data, today=TODAY, use_cache=True).catalog
    [entry] = _entries(cache_folder)
    raw = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"not a cache at all")
    elif damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "world-writable":
        os.chmod(entry, 0o666)
    else:
        entry.write_bytes(raw[:22] + b"0" * 64 + raw[86:])
    again = load_catalog(data, today=TODAY, use_cache=True)
    assert again.catalog.therapies == expected.therapies


def test_switched_off(tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    load_catalog(make_data(tmp_path / "data"), today=TODAY, use_cache=True)
    assert _entries(cache_folder) == []


def test_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert load_catalog(make_data(tmp_path / "data"), today=TODAY, use_cache=True).catalog


# --- every trust check, proven by a planted entry whose content differs from the data ---------
#
# `_plant` writes an entry with the *right* key for the real data but a catalog in which
# Medicare's deductible is 999 (the data says 283). A load that returns 999 used the planted
# entry. The positive control shows a planted entry is served when nothing is wrong with it, so
# each refusal test below fails if its one check is removed.

REAL_DEDUCTIBLE = 283
PLANTED_DEDUCTIBLE = 999
needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing an owner needs root"
)
OTHER_UID = 4242


def _planted_value(tmp_path: Path) -> object:
    other = make_data(
        tmp_path / "other",
        payers=SMALL_PAYERS.replace(
            f"deductible = {REAL_DEDUCTIBLE}", f"deductible = {PLANTED_DEDUCTIBLE}"
        ),
    )
    return load_catalog(other, today=TODAY)


def _key(data: Path, today: date = TODAY) -> str:
    return cache.make_key(
        today, (data / "therapies.toml").read_bytes(), (data / "payers.toml").read_bytes()
    )


def _payload(key: str, value: object, *, entry: bytes | None = None) -> bytes:
    from regen_compare.data.load import LoadResult, to_entry

    assert isinstance(value, LoadResult)
    body = to_entry(value) if entry is None else entry
    return cache._MAGIC + key.encode("ascii") + cache._crc(body) + body


def _plant(
    folder: Path,
    data: Path,
    payload: bytes,
    *,
    mode: int = 0o600,
    folder_mode: int = 0o700,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, folder_mode)
    entry = folder / cache.entry_name(data)
    entry.write_bytes(payload)
    os.chmod(entry, mode)
    return entry


def _served(data: Path) -> int:
    deductible = load_catalog(data, today=TODAY, use_cache=True).catalog.payers["medicare"]
    return int(deductible.deductible)


def test_positive_control_a_sound_planted_entry_is_served(
    tmp_path: Path, cache_folder: Path
) -> None:
    data = make_data(tmp_path / "data")
    _plant(cache_folder, data, _payload(_key(data), _planted_value(tmp_path)))
    assert _served(data) == PLANTED_DEDUCTIBLE


@pytest.mark.parametrize("folder_mode", [0o770, 0o707, 0o1777])
def test_folder_writable_by_others_is_not_used(
    tmp_path: Path, cache_folder: Path, folder_mode: int
) -> None:
    data = make_data(tmp_path / "data")
    entry = _plant(
        cache_folder,
        data,
        _payload(_key(data), _planted_value(tmp_path)),
        folder_mode=folder_mode,
    )
    planted = entry.read_bytes()
    assert _served(data) == REAL_DEDUCTIBLE
    # Nor is anything written there: the planted entry is left as it was.
    assert entry.read_bytes() == planted


@needs_root
def test_folder_owned_by_someone_else_is_not_used(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    _plant(cache_folder, data, _payload(_key(data), _planted_value(tmp_path)))
    os.chown(cache_folder, OTHER_UID, -1)
    assert _served(data) == REAL_DEDUCTIBLE


@needs_root
def test_entry_owned_by_someone_else_is_refused(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    entry = _plant(cache_folder, data, _payload(_key(data), _planted_value(tmp_path)))
    os.chown(entry, OTHER_UID, -1)
    assert _served(data) == REAL_DEDUCTIBLE


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o666, 0o400, 0o700])
def test_entry_with_any_mode_but_0600_is_refused(
    tmp_path: Path, cache_folder: Path, mode: int
) -> None:
    data = make_data(tmp_path / "data")
    _plant(cache_folder, data, _payload(_key(data), _planted_value(tmp_path)), mode=mode)
    assert _served(data) == REAL_DEDUCTIBLE


def test_entry_that_is_a_link_is_not_followed(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere"
    real = _plant(elsewhere, data, _payload(_key(data), _planted_value(tmp_path)))
    cache_folder.mkdir(mode=0o700)
    link = cache_folder / cache.entry_name(data)
    link.symlink_to(real)
    assert _served(data) == REAL_DEDUCTIBLE
    # The store that follows replaced the link itself; what it pointed to is untouched.
    assert not link.is_symlink()
    assert real.read_bytes() == _payload(_key(data), _planted_value(tmp_path))


def test_entry_that_is_a_fifo_is_refused_on_the_open_file(
    tmp_path: Path, cache_folder: Path
) -> None:
    """A FIFO whose writer already wrote a planted entry: only the regular-file check on the
    open descriptor stops it being read (and O_NONBLOCK keeps the open from hanging)."""
    data = make_data(tmp_path / "data")
    cache_folder.mkdir(mode=0o700)
    fifo = cache_folder / cache.entry_name(data)
    os.mkfifo(fifo, 0o600)
    payload = _payload(_key(data), _planted_value(tmp_path))
    assert len(payload) < 60_000  # fits in the pipe's buffer
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    try:
        os.write(writer, payload)
        assert _served(data) == REAL_DEDUCTIBLE
    finally:
        os.close(writer)
        os.close(reader)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # not replaced either: only regular files are


def test_entry_under_another_key_is_refused(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    _plant(
        cache_folder,
        data,
        _payload(_key(data, date(2026, 11, 21)), _planted_value(tmp_path)),
    )
    assert _served(data) == REAL_DEDUCTIBLE


def test_entry_from_another_code_version_is_refused(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_data(tmp_path / "data")
    monkeypatch.setattr(cache, "structure_version", lambda: "an older model")
    stale_key = _key(data)
    monkeypatch.undo()
    monkeypatch.setenv(cache.CACHE_ENV, str(cache_folder))
    _plant(cache_folder, data, _payload(stale_key, _planted_value(tmp_path)))
    assert _served(data) == REAL_DEDUCTIBLE


def _copied_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the whole package, with `cache` reading its sources there."""
    import shutil

    package = tmp_path / "regen_compare"
    real = Path(cache.__file__).resolve().parents[1]
    shutil.copytree(real, package, ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(package / "store" / "cache.py"))
    cache.structure_version.cache_clear()
    return package


def test_structure_version_covers_the_validator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another pydantic may accept other data: its version file is part of the key (read
    without importing pydantic, which a start from the cache never does)."""
    _copied_package(tmp_path, monkeypatch)
    fake = tmp_path / "fake-pydantic"
    fake.mkdir()
    (fake / "version.py").write_text("VERSION = '0.0.0'\n")
    spec = importlib.machinery.ModuleSpec("pydantic", None, is_package=True)
    spec.submodule_search_locations = [str(fake)]
    try:
        before = cache.structure_version()
        monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
        cache.structure_version.cache_clear()
        after = cache.structure_version()
    finally:
        monkeypatch.undo()
        cache.structure_version.cache_clear()
    assert before != after


def test_entry_holding_anything_but_plain_values_is_refused(
    tmp_path: Path, cache_folder: Path
) -> None:
    """`marshal` can carry a code object. One planted where a warning's text belongs (with a
    sound key and checksum) refuses the whole entry: it is never run, nor even kept."""
    import marshal

    from regen_compare.data.load import to_entry

    data = make_data(tmp_path / "data")
    planted = _planted_value(tmp_path)
    code = compile("import os; os.environ['RC_CACHE_PWNED'] = '1'", "planted", "exec")
    parts = marshal.loads(to_entry(planted))  # type: ignore[arg-type]
    warning = (code, 1, "a warning", "", None, "warning", None)
    entry = marshal.dumps((*parts[:-1], (warning,)))
    _plant(cache_folder, data, _payload(_key(data), planted, entry=entry))
    try:
        assert _served(data) == REAL_DEDUCTIBLE
        assert "RC_CACHE_PWNED" not in os.environ
    finally:
        os.environ.pop("RC_CACHE_PWNED", None)


def test_entry_whose_checksum_does_not_match_is_refused(tmp_path: Path, cache_folder: Path) -> None:
    """A sound planted entry with one changed checksum byte: the checksum alone refuses it (a
    damaged therapy deep in an entry would otherwise only fail when that therapy is built)."""
    data = make_data(tmp_path / "data")
    payload = bytearray(_payload(_key(data), _planted_value(tmp_path)))
    payload[len(cache._MAGIC) + 64] ^= 0xFF
    _plant(cache_folder, data, bytes(payload))
    assert _served(data) == REAL_DEDUCTIBLE


def test_entries_are_always_written_0600(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    cache_folder.mkdir(mode=0o700)
    entry = cache_folder / cache.entry_name(data)
    entry.write_bytes(b"an old entry, readable by all")
    os.chmod(entry, 0o644)
    old_umask = os.umask(0)
    try:
        load_catalog(data, today=TODAY, use_cache=True)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600
    assert entry.read_bytes().startswith(cache._MAGIC)


def test_a_killed_store_leaves_nothing_behind_for_long(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    cache_folder.mkdir(mode=0o700)
    old = cache_folder / ".x.entry.dead.rc-tmp"
    young = cache_folder / ".x.entry.busy.rc-tmp"
    for leftover in (old, young):
        leftover.write_bytes(b"half an entry")
    os.utime(old, (0, 0))
    load_catalog(data, today=TODAY, use_cache=True)
    assert not old.exists()
    assert young.exists()  # another process may still be writing it


@pytest.mark.parametrize(
    "source",
    ["model/entities.py", "data/regions.py", "data/checks.py", "store/entry.py", "tui/app.py"],
)
def test_structure_version_covers_every_source_of_the_package(
    source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No hand-kept list: a change to any source file (a stricter rule in regions.py, a new
    layout) misses yesterday's entry instead of being skipped by it until the date changes."""
    package = _copied_package(tmp_path, monkeypatch)
    try:
        before = cache.structure_version()
        with (package / source).open("a") as handle:
            handle.write("\n# a changed rule\n")
        cache.structure_version.cache_clear()
        after = cache.structure_version()
        (package / "model" / "new_module.py").write_text("X = 1\n")
        cache.structure_version.cache_clear()
        added = cache.structure_version()
    finally:
        monkeypatch.undo()
        cache.structure_version.cache_clear()
    assert len({before, after, added}) == 3


# --- entries that do not decode are ignored as a whole, at once ------------------------------


def _forged_parts(tmp_path: Path, damage: str) -> bytes:
    """An entry of the planted catalog with one model's blob damaged (key and checksum are
    made right by `_payload`, as a forger would)."""
    import marshal

    from regen_compare.data.load import to_entry

    parts = list(marshal.loads(to_entry(_planted_value(tmp_path))))  # type: ignore[arg-type]
    index = 2 if damage.startswith("therapy") else 3
    ids, blobs = parts[index]
    model = list(marshal.loads(blobs[0]))
    if damage.endswith("short"):
        model = model[:-1]
    elif damage.endswith("enum"):  # the category, or the payer's kind
        known = ("regenerative", "traditional", "commercial", "medicare")
        model = ["no-such-value" if v in known else v for v in model]
    elif damage.endswith("money"):
        model = [
            ("1e9999999999" if type(v) is str and v.replace(".", "").isdigit() else v)
            for v in model
        ]
    elif damage.endswith("garbage"):
        parts[index] = (ids, (b"\x00not marshal", *blobs[1:]))
        return marshal.dumps(tuple(parts))
    parts[index] = (ids, (marshal.dumps(tuple(model)), *blobs[1:]))
    return marshal.dumps(tuple(parts))


@pytest.mark.parametrize(
    "damage",
    ["therapy-short", "therapy-enum", "therapy-garbage", "payer-short", "payer-enum",
     "payer-money", "payer-garbage"],
)  # fmt: skip
def test_a_forged_entry_with_a_valid_key_is_discarded_and_rebuilt(
    tmp_path: Path, cache_folder: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    """A forger can write the right key and checksum; a model that does not decode then
    refuses the whole entry when it is read, never a traceback (`internal error (EntryError…)`)
    on every run, nor a catalog that fails half-way through a consult."""
    from helpers import run_cli
    from regen_compare.store import entry as load_entry

    data = make_data(tmp_path / "data")
    today = date.today()  # the command line's key
    forged = _forged_parts(tmp_path, damage)
    _plant(cache_folder, data, _payload(_key(data, today), _planted_value(tmp_path), entry=forged))
    code, _, err = run_cli(capsys, "list", "--payer", "medicare", "--data-dir", str(data))
    assert code == 0, err
    assert "internal error" not in err and "Traceback" not in err
    # The forged entry was replaced by a sound one (every model decodes), which the next
    # start reads.
    payload = cache.load(data, _key(data, today))
    assert payload is not None
    rebuilt, _ = load_entry.decode(payload, (Path("t"), Path("p")))  # no recovery here
    for models in (rebuilt.conditions, rebuilt.therapies, rebuilt.payers):
        assert all(models[key] is not None for key in models)
    served = load_catalog(data, today=today, use_cache=True).catalog.payers["medicare"]
    assert served.deductible == REAL_DEDUCTIBLE


def test_a_huge_entry_is_not_read(tmp_path: Path, cache_folder: Path) -> None:
    """A sparse 1 GiB file at the entry's name, with a sound header: refused on its size
    before a byte of the payload is read (no stall, no memory blow-up)."""
    import time

    data = make_data(tmp_path / "data")
    entry = _plant(cache_folder, data, _payload(_key(data), _planted_value(tmp_path)))
    with entry.open("r+b") as handle:
        handle.truncate(1 << 30)
    started = time.perf_counter()
    assert cache.load(data, _key(data)) is None
    assert time.perf_counter() - started < 1.0
    assert _served(data) == REAL_DEDUCTIBLE


def test_a_fifo_among_the_sources_does_not_hang_the_cache_key(tmp_path: Path) -> None:
    fifo = tmp_path / "planted.py"
    os.mkfifo(fifo)
    assert cache._source_bytes(fifo) == b"is not a regular file (a pipe, socket or device); refused"
    (tmp_path / "big.py").write_bytes(b"#" * (cache.MAX_SOURCE_BYTES + 1))
    assert cache._source_bytes(tmp_path / "big.py").endswith(b"are refused")
    (tmp_path / "ok.py").write_bytes(b"x = 1\n")
    assert cache._source_bytes(tmp_path / "ok.py") == b"x = 1\n"
