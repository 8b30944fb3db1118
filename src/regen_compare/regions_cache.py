"""regions.toml through the cache: a start whose regions file, date and code are unchanged
reads the regions as plain data and validates nothing.

Why it matters: on a cached start, checking regions.toml was the only pydantic validation
left, and building its validator loads pydantic's plugin machinery (`importlib.metadata` and
a scan of every installed package's metadata). Those hundreds of small file reads ran in the
loading thread while the event loop's thread was drawing the screen, and each read waited for
the loop to hand back the GIL: the live screen of the bundled data came ~0.7 s later.

The entry is written only from a `RegionSet` that was just checked, keyed (`cache.make_key`)
on the very bytes that were checked, today's date (its warnings depend on it) and the code
that shapes it; `cache` refuses anything foreign, damaged or untrusted, and `load_entry`
builds the models from plain values only. Anything else reads the file as if there were no
cache.
"""

from __future__ import annotations

import marshal
from datetime import date
from pathlib import Path

from regen_compare import cache, load_entry, regions
from regen_compare.problems import DataError
from regen_compare.regions import Region, RegionSet

FORMAT = 1
"""The layout of an entry; bumped when it changes (the key covers this file's code too)."""


def load(path: Path, today: date) -> RegionSet:
    """`regions.load_regions(path)`, from the cache when it holds the same file checked
    today; raises `DataError` as it does."""
    data = regions.read_bytes(path)
    key = cache.make_key(today, data) if isinstance(data, bytes) else None
    if key is not None:
        found = decode(cache.load(path, key), path)
        if found is not None:
            return found
    checked = regions.regions_from(path, data, today=today)
    if key is not None:
        cache.store(path, key, encode(checked))
    return checked


def encode(found: RegionSet) -> bytes:
    models = load_entry.encode_models(Region, found.regions.values())
    warnings = tuple(load_entry.problem_fields(p) for p in found.warnings)
    return marshal.dumps((FORMAT, models, warnings))


def decode(payload: bytes | None, path: Path) -> RegionSet | None:
    """The regions an entry holds, or None when there is none or it is not one we wrote."""
    if payload is None:
        return None
    try:
        parts = marshal.loads(payload)
        if type(parts) is not tuple or len(parts) != 3 or parts[0] != FORMAT:
            return None
        found = load_entry.decode_models(Region, parts[1])
        warnings = [load_entry.problem(p) for p in parts[2]]
    except Exception:  # anything an entry we did not write can raise: read the file instead
        return None
    return RegionSet({region.code: region for region in found}, path, warnings)


def load_beside(data_dir: Path, today: date) -> tuple[RegionSet | None, str | None]:
    """The regions data next to the therapies, through the cache, or None (no file: no region
    picker); the second value is what was wrong with a file that exists but does not load."""
    path = regions.regions_path(data_dir)
    if not path.exists():
        return None, None
    try:
        return load(path, today), None
    except DataError as exc:
        problems = exc.errors or exc.problems
        return None, str(problems[0]) if problems else "cannot load the regions data"
