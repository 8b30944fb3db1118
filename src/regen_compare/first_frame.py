"""The first frame, remembered: what the app's main screen showed the last time it started
the same way, so the next start can draw it before the data model is even imported.

Why: a start-up that imports pydantic, reads the cache, prices every therapy and builds the
whole main screen before drawing anything shows a blank terminal for ~0.5 s (several seconds
at 10,000 therapies). Instead, after a start has loaded and shown its data, the app records
the screen's texts and table cells here; the next identical start draws them at once, then
loads everything behind them and replaces them with the live screen.

An entry is a memo of a pure function, never a second source of truth. It is used only when
all of these are the same as when it was written (else it is ignored):

* the command line (every argument), the working folder and the environment variables that
  choose what is read (`REGEN_COMPARE_*`, `HOME`, `XDG_*`): together the *request*;
* today's date (staleness marks and "as of" wording depend on it);
* our code: the size and modification time of every module of the package, and the Python
  version (a changed engine or wording misses);
* the bytes of every file the start read (both data files, the regions file, a saved
  scenario): each is listed in the entry with its SHA-256 and hashed again on use.

Entries live in the data cache's folder and get the same trust checks (`cache.py`: a folder
of ours not writable by others; a regular 0600 file of ours opened without following links),
are JSON (reading one cannot run code), are size-capped, and every text in them passes
`display_safe` and every style is checked (no links) before it is drawn. This module imports
no Textual, pydantic or model code: it runs before any of them is loaded.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from regen_compare import cache
from regen_compare.safe_text import display_safe
from regen_compare.table_cells import TONES, Column, DisplayRow, Tone

if TYPE_CHECKING:
    from rich.text import Text

FORMAT = 1
PREFIX = "frame-"
SUFFIX = ".json"
MAX_ENTRY_BYTES = 1 << 20
MAX_ROWS = 200
"""Rows kept: more than any terminal shows at once (the live table follows in a moment)."""
MAX_ENTRIES = 20
"""Entries kept (one per distinct command line); the oldest are removed on write."""
ENV_PREFIXES = ("REGEN_COMPARE_", "XDG_")
ENV_NAMES = ("HOME",)
ENV_IGNORED_PREFIX = "REGEN_COMPARE_BENCH_"
"""The benchmark's own markers (a fresh temporary path each run) choose nothing."""

Styled = tuple[str, tuple[tuple[int, int, str], ...]]
"""A line of text and its style spans (start, end, style) — a Rich `Text` without Rich."""


def styled(text: Text) -> Styled:
    """A Rich `Text` as plain data (only style names survive; they are checked when read)."""
    return text.plain, tuple((span.start, span.end, str(span.style)) for span in text.spans)


class Screen(NamedTuple):
    """What the main screen showed: every text is display-safe, every cell pre-measured."""

    profile_bar: Styled
    count_line: Styled
    disclaimer: str
    columns: tuple[Column, ...]
    rows: tuple[DisplayRow, ...]
    """At most `MAX_ROWS`, in the order shown."""
    widths: tuple[int, ...]
    marks: tuple[str, ...] = ()
    sort_key: str = "name"
    descending: bool = False
    empty_text: str = ""
    search: str = ""
    stale: str | None = None


class Request(NamedTuple):
    """How the app was started: the key of an entry (see the module docstring)."""

    argv: tuple[str, ...]
    cwd: str
    env: tuple[tuple[str, str], ...]
    today: date

    @classmethod
    def current(cls, argv: Sequence[str], today: date | None = None) -> Request:
        env = tuple(
            sorted(
                (k, v)
                for k, v in os.environ.items()
                if (k.startswith(ENV_PREFIXES) or k in ENV_NAMES)
                and not k.startswith(ENV_IGNORED_PREFIX)
            )
        )
        return cls(tuple(argv), os.getcwd(), env, today or date.today())

    def key(self) -> str:
        parts = [FORMAT, code_version(), list(self.argv), self.cwd, self.env, str(self.today)]
        return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class Remember(NamedTuple):
    """Where a start records its first frame once it shows its data."""

    request: Request
    inputs: tuple[tuple[str, str | None], ...]
    """The digests of the files the start reads, taken before it reads them."""


def code_version() -> str:
    """Our code and the interpreter, cheaply: every module's size and modification time."""
    package = Path(__file__).resolve().parent
    stamp = [sys.version]
    for folder, _dirs, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                stamp.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(stamp).encode()).hexdigest()


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes; None when it does not exist (absence is an input too)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return None


def digests(paths: Iterable[Path]) -> tuple[tuple[str, str | None], ...]:
    return tuple((str(p), file_digest(p)) for p in paths)


# --- reading --------------------------------------------------------------------------------


class Found(NamedTuple):
    """A remembered first frame and the entry it came from (`painted_frame` is keyed on it)."""

    screen: Screen
    entry: str
    """The entry's file name and the SHA-256 of its bytes: what exactly was drawn from."""


def lookup(request: Request) -> Screen | None:
    """The remembered first frame for this request, or None (missing, stale or untrusted)."""
    found = find(request)
    return found.screen if found is not None else None


def find(request: Request) -> Found | None:
    """`lookup`, with the entry it came from."""
    name = PREFIX + request.key()[:40] + SUFFIX
    raw = read_entry(name, MAX_ENTRY_BYTES)
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
        if entry.get("format") != FORMAT:
            return None
        for path, digest in entry["inputs"]:
            if file_digest(Path(path)) != digest:
                return None
        return Found(_screen(entry["screen"]), name + ":" + hashlib.sha256(raw).hexdigest())
    except (ValueError, KeyError, TypeError, AttributeError, OSError):
        return None


def read_entry(name: str, limit: int) -> bytes | None:
    """The bytes of entry `name` in the cache folder, if trusted (`cache.py`) and ≤ `limit`."""
    folder = cache.cache_dir()
    if folder is None:
        return None
    dir_fd = cache._open_folder(folder)
    if dir_fd is None:
        return None
    try:
        fd = os.open(
            name,
            os.O_RDONLY | cache._O_NOFOLLOW | cache._O_NONBLOCK | cache._O_CLOEXEC,
            dir_fd=dir_fd,
        )
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not cache._entry_trusted(info) or info.st_size > limit:
            return None
        return handle.read(limit + 1)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("text expected")
    return display_safe(value)


def _styled(value: Any) -> Styled:
    plain, spans = value
    text = _text(plain)
    checked = []
    for start, end, style in spans:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
            raise ValueError("bad span")
        checked.append((start, end, _style(style)))
    return text, tuple(checked)


def _tone(value: Any) -> Tone:
    for tone in TONES:
        if value == tone:
            return tone
    raise ValueError("unknown tone")


SAFE_STYLE_WORDS = frozenset({"bold", "dim", "italic", "reverse", "underline", "not"})


def _style(value: Any) -> str:
    """Only plain attribute words: no colours, links or anything a terminal would act on."""
    words = _text(value).split()
    if not all(word in SAFE_STYLE_WORDS for word in words):
        raise ValueError("style not allowed")
    return " ".join(words)


def _screen(data: Mapping[str, Any]) -> Screen:
    columns = tuple(Column(_text(k), _text(t), bool(r)) for k, t, r in data["columns"])
    rows = tuple(
        DisplayRow(_text(rid), tuple(_text(c) for c in cells), tuple(_tone(t) for t in tones))
        for rid, cells, tones in data["rows"][:MAX_ROWS]
    )
    if any(len(r.cells) != len(columns) or len(r.tones) != len(columns) for r in rows):
        raise ValueError("row width")
    widths = tuple(int(w) for w in data["widths"])
    if len(widths) != len(columns) or any(not 0 <= w <= 500 for w in widths):
        raise ValueError("widths")
    stale = data.get("stale")
    return Screen(
        profile_bar=_styled(data["profile_bar"]),
        count_line=_styled(data["count_line"]),
        disclaimer=_text(data["disclaimer"]),
        columns=columns,
        rows=rows,
        widths=widths,
        marks=tuple(_text(m) for m in data.get("marks", ())),
        sort_key=_text(data.get("sort_key", "name")),
        descending=bool(data.get("descending", False)),
        empty_text=_text(data.get("empty_text", "")),
        search=_text(data.get("search", "")),
        stale=_text(stale) if stale is not None else None,
    )


# --- writing --------------------------------------------------------------------------------


def remember(pending: Remember, screen: Screen) -> bool:
    """Write the entry for `pending.request` (atomically, 0600); False when not written.

    `pending.inputs` are the digests taken *before* the data was read; they are taken again
    here and nothing is written if any file changed meanwhile (the screen may show either)."""
    request, inputs = pending.request, pending.inputs
    if inputs != digests(Path(p) for p, _ in inputs):
        return False
    entry = {"format": FORMAT, "inputs": [list(i) for i in inputs], "screen": _plain(screen)}
    payload = json.dumps(entry, ensure_ascii=False).encode()
    if len(payload) > MAX_ENTRY_BYTES:
        return False
    return write_entry(PREFIX + request.key()[:40] + SUFFIX, payload, PREFIX, SUFFIX)


def write_entry(name: str, payload: bytes, prefix: str, suffix: str) -> bool:
    """Write entry `name` into the cache folder (atomically, 0600), then keep only the newest
    `MAX_ENTRIES` of the entries named `prefix…suffix`; False when not written."""
    folder = cache.cache_dir()
    if folder is None or not hasattr(os, "getuid"):
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return False
    from regen_compare.atomic import WriteError, write_in_folder  # only when writing

    dir_fd = cache._open_folder(folder)
    if dir_fd is None:
        return False
    try:
        write_in_folder(
            dir_fd, folder, name, payload, mode=cache.ENTRY_MODE, overwrite=True, replace_link=True
        )
    except WriteError:
        return False
    finally:
        os.close(dir_fd)
    _prune(folder, prefix, suffix)
    return True


def _plain(screen: Screen) -> dict[str, Any]:
    return {
        "profile_bar": screen.profile_bar,
        "count_line": screen.count_line,
        "disclaimer": screen.disclaimer,
        "columns": [(c.key, c.title, c.right) for c in screen.columns],
        "rows": [(r.id, r.cells, r.tones) for r in screen.rows[:MAX_ROWS]],
        "widths": screen.widths,
        "marks": screen.marks,
        "sort_key": screen.sort_key,
        "descending": screen.descending,
        "empty_text": screen.empty_text,
        "search": screen.search,
        "stale": screen.stale,
    }


def _prune(folder: Path, prefix: str, suffix: str) -> None:
    """Keep the newest `MAX_ENTRIES` entries named `prefix…suffix`."""
    try:
        entries = sorted(
            (p for p in folder.iterdir() if p.name.startswith(prefix) and p.suffix == suffix),
            key=lambda p: p.lstat().st_mtime_ns,
            reverse=True,
        )
        for old in entries[MAX_ENTRIES:]:
            old.unlink()
    except OSError:
        return
