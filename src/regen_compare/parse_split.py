"""Parse large TOML files on two cores, giving the very documents one parse of each would.

At 10,000 therapies the parse is two thirds of a load (~2.1 s of ~3.3 s with tomli's compiled
parser), and it runs on one core. Where a second core is free, a forked child parses the tail
of the largest file (from a `[[key]]` header on) and every other file, while this process
parses the head; the child hands its tables back pickled through a pipe.

Why a head and a tail give exactly the whole file's document, or nothing:

- The head is parsed with a `[[key]]` header appended (the probe). That parses only if the
  parser, reading the whole file, would be between two statements at the cut with a new
  `[[key]]` element allowed there: not inside a multi-line string or array (the cut line is
  then not a header at all), not after `key = [...]` (a static array takes no new element),
  not after `[key]` (a table). The probe's empty element is then taken off.
- The tail starts with that header, and its document must hold that key alone. Every header
  in it then names `key` or a table under it, which TOML resolves to the elements the tail
  itself appended (each new `[[key]]` element clears what the tables under `key` have
  declared), so nothing in it reads or changes what the head defined.
- Anything else (a part that does not parse, a child that fails or is killed, tables that do
  not come back whole) gives None for that file: the caller parses it whole, as it always
  did, and reports its problems with the whole file's lines.

The child is forked (`forked`: only on Linux, from a process with one thread, with two CPUs
or more), and only for files large enough to pay for the fork (a few milliseconds). A pipe
or a process that cannot be made leaves every file to the caller too.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Callable, Sequence
from typing import Any

from regen_compare import forked

Loads = Callable[[str], dict[str, Any]]
Job = tuple[str, str]
"""A file's text and the array of tables it may be cut at (`therapy`, `payer`)."""

MIN_CHARS = 1 << 20
"""Below this many characters in all, one process parses faster than two (fork, pickle)."""
CHILD_COST = 1.1
"""The child's work per character (parse, then pickle) against a parse alone: the largest file
is cut where both processes finish together."""
MAX_SHARE = 0.95
"""When the other files are nearly as large, the largest is not cut: this process parses it
whole while the child parses the others."""


def header_at(text: str, key: str, start: int) -> int | None:
    """The first line from `start` on that reads `[[key]]` (and maybe a comment); never the
    first line. Whether it really is a header is for the probe to say."""
    pattern = re.compile(rf"^\[\[{re.escape(key)}\]\][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
    match = pattern.search(text, max(start, 1))
    return match.start() if match else None


def head_document(head: str, key: str, loads: Loads) -> dict[str, Any] | None:
    """The head's document, if a `[[key]]` element may follow it (else None; may raise what
    the parser raises)."""
    document = loads(head + f"[[{key}]]\n")
    entries = document.get(key)
    if not isinstance(entries, list) or entries[-1:] != [{}]:
        return None  # pragma: no cover - the probe always adds one empty element
    entries.pop()
    return document


def tail_entries(tail: str, key: str, loads: Loads) -> list[Any] | None:
    """The tail's elements of `key`, if that is all the tail defines."""
    document = loads(tail)
    entries = document.get(key)
    if list(document) != [key] or not isinstance(entries, list):
        return None
    return entries


def joined(head: dict[str, Any] | None, key: str, tail: list[Any] | None) -> dict[str, Any] | None:
    """The whole file's document from its two parts, or None when either is missing."""
    if head is None or tail is None:
        return None
    head[key].extend(tail)
    return head


def documents(
    jobs: Sequence[Job], loads: Loads, *, min_chars: int | None = None
) -> list[dict[str, Any] | None]:
    """Each file's document, parsed on two processes; None for a file that could not be
    parsed that way (the caller parses it whole)."""
    results: list[dict[str, Any] | None] = [None] * len(jobs)
    least = MIN_CHARS if min_chars is None else min_chars
    if not jobs or sum(len(text) for text, _ in jobs) < least or not forked.available():
        return results
    big = max(range(len(jobs)), key=lambda i: len(jobs[i][0]))
    text, key = jobs[big]
    others = [i for i in range(len(jobs)) if i != big]
    rest = sum(len(jobs[i][0]) for i in others)
    share = CHILD_COST * (len(text) + rest) / ((1 + CHILD_COST) * len(text))
    cut = header_at(text, key, int(len(text) * share)) if share < MAX_SHARE else None
    work: list[tuple[str, str | None]] = [(jobs[i][0], None) for i in others]
    if cut is not None:
        work.append((text[cut:], key))
    if not work:
        return results  # nothing to share: the caller parses the one file whole

    def own_part() -> dict[str, Any] | None:
        if cut is None:
            return loads(text)
        return head_document(text[:cut], key, loads)

    mine, theirs = _with_child(work, loads, own_part)
    for i, found in zip(others, theirs[: len(others)], strict=True):
        results[i] = found
    if cut is None:
        results[big] = mine
    else:
        results[big] = joined(mine, key, theirs[-1])
    return results


def _child_work(work: Sequence[tuple[str, str | None]], loads: Loads) -> bytes:
    found: list[Any] = []
    for text, key in work:
        try:
            found.append(loads(text) if key is None else tail_entries(text, key, loads))
        except Exception:  # the parser's error, RecursionError, MemoryError...: parse whole
            found.append(None)
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: parsed TOML is a tree (no shared or cyclic parts); 2× faster
    pickler.dump(found)
    return out.getvalue()


def _with_child(
    work: Sequence[tuple[str, str | None]],
    loads: Loads,
    own_part: Callable[[], dict[str, Any] | None],
) -> tuple[dict[str, Any] | None, list[Any]]:
    """`own_part()` here while a forked child does `work`; what each found (None for what
    failed, every part of `work` None when the child did not finish or could not start)."""

    def mine() -> dict[str, Any] | None:
        try:
            return own_part()
        except Exception:  # the parser's error and the like: the caller parses the file whole
            return None

    found, data = forked.beside(lambda: _child_work(work, loads), mine)
    return found, _unpickled(data or b"", len(work))


def _unpickled(data: bytes, count: int) -> list[Any]:
    """What the child found, or None for each part (it died before writing, or was cut off)."""
    try:
        found = pickle.loads(data)
    except Exception:
        return [None] * count
    if not isinstance(found, list) or len(found) != count:
        return [None] * count  # pragma: no cover - our own child wrote it
    return found
