"""Read the two data files into a `Catalog`, or explain every problem with its file and line.

The path from bytes to catalog is guarded at each step, because the files are hand-edited and
sometimes hostile: refuse what is not a small regular file before reading it, decode ourselves
(so a bad byte gets a line), pre-scan for input that would make the parser run away, parse,
validate each entity on its own (so one bad therapy does not hide the others), then check
references across files. Only `DataError` leaves this module.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from regen_compare import freshness, toml_scan
from regen_compare.catalog import Catalog
from regen_compare.model import (
    SCHEMA_VERSIONS,
    Category,
    Condition,
    Payer,
    PayerKind,
    Source,
    Therapy,
)
from regen_compare.problems import DataError, Problem, Severity, did_you_mean
from regen_compare.safe_text import display_safe, quote


def _toml_loads(text: str) -> dict[str, Any]:
    """Parse TOML with the compiled `tomli` (~3× faster than tomllib, same messages).

    Imported on first use: a start-up served from the cache never pays its import (~35 ms).
    """
    document: dict[str, Any] = _parser().loads(text)
    return document


def _parser() -> Any:
    try:
        import tomli

        return tomli
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is the fallback
        import tomllib

        return tomllib


# A line holding 32 dots may be a run-away dotted key (quadratic in the parser): only then is
# the exact scanner run before parsing. A regex anchored on '.' costs ~2 ms per MB.
_MANY_DOTS = re.compile(r"\.(?:[^\n.]*\.){" + str(toml_scan.MAX_KEY_PARTS - 1) + "}")

MAX_FILE_BYTES = 16 * 1024 * 1024
STALE_AFTER = timedelta(days=730)
THERAPIES_FILE = "therapies.toml"
PAYERS_FILE = "payers.toml"
DATA_ENV = "REGEN_COMPARE_DATA"


@functools.cache
def _adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    """Built on first use, like the models' own validators (see `model.Strict`)."""
    return TypeAdapter(model)


# --- finding the data -----------------------------------------------------------------------


def bundled_data_dir() -> Path:
    """The data that ships with the package (a wheel) or sits in the source tree (editable)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled"
    if (packaged / THERAPIES_FILE).is_file():
        return packaged
    return here.parent.parent / "data"


def resolve_data_dir(explicit: str | os.PathLike[str] | None) -> Path:
    """`--data-dir` wins, then `$REGEN_COMPARE_DATA`, then the bundled copy."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    return bundled_data_dir()


# --- reading bytes safely -------------------------------------------------------------------


@dataclass
class _Context:
    """Problems collected for one file, and the positions its keys were written at.

    Positions come from a scan of the text that is only run when a problem needs a line:
    valid files (the common case) never pay for it.
    """

    label: str
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    _scan: toml_scan.ScanResult | None = None

    @property
    def scan(self) -> toml_scan.ScanResult:
        if self._scan is None:
            self._scan = toml_scan.scan(self.text)
        return self._scan

    def add(
        self,
        message: str,
        *,
        path: toml_scan.Path = (),
        where: str = "",
        line: int | None = None,
        severity: Severity = "error",
    ) -> None:
        if line is None and path:
            line = self.scan.line_of(path)
        self.problems.append(Problem(self.label, line, message, where=where, severity=severity))


def _read_bytes(path: Path, label: str) -> bytes | Problem:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Problem(label, None, "file not found")
    except OSError as exc:
        return Problem(label, None, f"cannot be read: {display_safe(exc.strerror or str(exc))}")
    if stat.S_ISDIR(info.st_mode):
        return Problem(label, None, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(label, None, "is not a regular file (a pipe, socket or device); refused")
    if info.st_size > MAX_FILE_BYTES:
        return Problem(
            label, None, f"is {info.st_size / 1048576:.1f} MiB; files over 16 MiB are refused"
        )
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Problem(label, None, f"cannot be read: {display_safe(exc.strerror or str(exc))}")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a pipe since the stat
            return Problem(label, None, "is not a regular file; refused")
        chunks = []
        remaining = MAX_FILE_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        return Problem(label, None, f"cannot be read: {display_safe(exc.strerror or str(exc))}")
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > MAX_FILE_BYTES:
        return Problem(label, None, "grew past 16 MiB while being read; refused")
    return data


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def _decode(data: bytes, label: str) -> str | Problem:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(label, 1, "is UTF-16 text; save it as UTF-8 (without a byte-order mark)")
    nul = data.find(b"\x00")
    if nul != -1:
        sample = data[:200]
        if sample and sample.count(b"\x00") * 3 >= len(sample):
            return Problem(label, 1, "looks like UTF-16 text; save it as UTF-8")
        line, col = _line_col(data, nul)
        return Problem(
            label, line, "contains a NUL byte: this is not a text file (binary data?)", column=col
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        return Problem(
            label,
            line,
            f"is not valid UTF-8 (byte 0x{bad}); save the file as UTF-8",
            column=col,
        )


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def _refuse_guarded(ctx: _Context) -> bool:
    for guard_line, message in ctx.scan.guard_errors:
        ctx.add(f"refused: {message}", line=guard_line)
    return bool(ctx.scan.guard_errors)


def _parse(text: str, ctx: _Context) -> dict[str, Any] | None:
    ctx.text = text
    if _MANY_DOTS.search(text) and _refuse_guarded(ctx):
        return None
    parser = _parser()
    try:
        return _toml_loads(text)
    except parser.TOMLDecodeError as exc:
        lines = text.splitlines()
        message = str(exc)
        line: int | None = None
        column: int | None = None
        match = _AT.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = message[: match.start()]
        elif _AT_END.search(message):
            line = max(len(lines), 1)
            message = _AT_END.sub("", message)
        excerpt = None
        if line is not None and 0 < line <= len(lines):
            excerpt = display_safe(lines[line - 1].rstrip("\r"), limit=120)
        ctx.problems.append(
            Problem(
                ctx.label,
                line,
                f"TOML syntax error: {display_safe(message)}",
                column=column,
                excerpt=excerpt,
            )
        )
    except RecursionError:
        if not _refuse_guarded(ctx):  # the scan names the line when it can
            ctx.add("refused: arrays, tables or keys are nested too deep")
    except MemoryError:
        ctx.add("refused: the file is too complex to parse")
    except ValueError as exc:  # e.g. an integer with thousands of digits
        long_number = re.search(r"\d{1000,}", text)
        where = text.count("\n", 0, long_number.start()) + 1 if long_number else None
        ctx.add(f"a value cannot be read: {display_safe(str(exc), limit=160)}", line=where)
    return None


def _read_document(path: Path, ctx: _Context) -> dict[str, Any] | None:
    data = _read_bytes(path, ctx.label)
    if isinstance(data, Problem):
        ctx.problems.append(data)
        return None
    return _document_from_bytes(data, ctx)


def _document_from_bytes(data: bytes, ctx: _Context) -> dict[str, Any] | None:
    text = _decode(data, ctx.label)
    if isinstance(text, Problem):
        ctx.problems.append(text)
        return None
    return _parse(text, ctx)


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """One TOML file through every guard of the data loader (size, file kind, encoding,
    run-away input), for files other than the data (saved scenarios). Raises `DataError`."""
    ctx = _Context(str(path))
    document = _read_document(Path(path), ctx)
    if document is None:
        raise DataError(ctx.problems)
    return document


# --- turning pydantic errors into maintainer messages ---------------------------------------

_TYPE_WORDS = {
    "string_type": "must be text (a quoted string)",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "decimal_type": "must be a number",
    "bool_type": "must be true or false",
    "date_type": "must be a TOML date such as 2026-11-22 (without quotes)",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "tuple_type": "must be an array",
    "list_type": "must be an array",
}


def _type_name(value: Any) -> str:
    names = {str: "text", bool: "a boolean", int: "a number", float: "a number", dict: "a table"}
    for kind, word in names.items():
        if type(value) is kind:
            return word
    if isinstance(value, list):
        return "an array"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def _describe(err: Any, model: type[BaseModel] | None) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(err["loc"][-1]) if err["loc"] else ""
        known = list(model.model_fields) if model is not None else []
        return f"unknown key {quote(key)}{did_you_mean(key, known)}"
    if kind == "missing":
        return "required key is missing"
    if kind in ("enum", "literal_error"):
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        if not expected:
            expected = [str(x) for x in re.findall(r"(\d+)", str(err.get("ctx", {})))]
        suggestion = did_you_mean(value, expected) if isinstance(value, str) else ""
        return f"{quote(value)} is not one of {', '.join(expected)}{suggestion}"
    if kind == "string_pattern_mismatch":
        return (
            f"{quote(value)} is not a valid id: use lowercase ASCII letters, digits and single "
            "hyphens (e.g. 'prp-injection')"
        )
    if kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        return f"is longer than {limit} characters"
    if kind == "too_short":
        return "must list at least one item"
    if kind in _TYPE_WORDS:
        return f"{_TYPE_WORDS[kind]}, not {_type_name(value)} {quote(value, limit=40)}"
    message = str(err.get("msg", kind))
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    if isinstance(value, str | int | float) and not isinstance(value, bool) and err["loc"]:
        return f"{display_safe(message)} (got {quote(value, limit=60)})"
    return display_safe(message)


def _model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the last key of `loc` (for 'did you mean' on unknown keys)."""
    current: type[BaseModel] | None = root
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _entity_label(kind: str, raw: Any, index: int, id_key: str = "id") -> str:
    ident = raw.get(id_key) if isinstance(raw, dict) else None
    if isinstance(ident, str) and ident:
        return f"{kind}[{display_safe(ident, limit=60)}]"
    return f"{kind}#{index + 1}"


def _key_path(label: str, loc: tuple[Any, ...], raw: Any) -> str:
    text = label
    node = raw
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int):
            if i > 0 and loc[i - 1] == "coverage" and isinstance(node, list):
                entry = node[part] if part < len(node) else None
                text += _entity_label("", entry, part, "therapy")
            else:
                text += f"[{part + 1}]"
        else:
            text += f".{display_safe(str(part), limit=60)}"
        if isinstance(node, dict):
            node = node.get(part) if not isinstance(part, int) else None
        elif isinstance(node, list) and isinstance(part, int):
            node = node[part] if part < len(node) else None
        else:
            node = None
    return text


def _validate_entities(
    ctx: _Context,
    doc: dict[str, Any],
    key: str,
    adapter: TypeAdapter[Any],
    model: type[BaseModel],
) -> Iterator[tuple[int, Any, Any]]:
    """Validate each entry of an array of tables; yield (index, raw, model or None)."""
    entries = doc.get(key, [])
    if not isinstance(entries, list):
        ctx.add(
            f"must be an array of tables ([[{key}]]), not {_type_name(entries)}",
            path=(key,),
            where=key,
        )
        return
    for index, raw in enumerate(entries):
        label = _entity_label(key, raw, index)
        try:
            yield index, raw, adapter.validate_python(raw)
        except ValidationError as exc:
            errors = exc.errors()
            nested = {tuple(e["loc"][:-1]) for e in errors if len(e["loc"]) > 1}
            for err in errors:
                loc = tuple(err["loc"])
                if err["type"] == "too_short" and any(n[: len(loc)] == loc for n in nested):
                    continue  # pydantic adds this when an element failed; the element says why
                ctx.add(
                    _describe(err, _model_at(model, loc)),
                    path=(key, index, *[p for p in loc if p != "[key]"]),
                    where=_key_path(label, loc, raw),
                )
            yield index, raw, None


def _check_top_level(ctx: _Context, doc: dict[str, Any], allowed: tuple[str, ...]) -> bool:
    """Check schema_version and unknown top-level keys; False when the file cannot be read on."""
    for key in doc:
        if key not in allowed:
            ctx.add(
                f"unknown top-level key {quote(key)}{did_you_mean(key, allowed)}",
                path=(key,),
                where=display_safe(key, limit=60),
            )
    version = doc.get("schema_version")
    if version is None:
        ctx.add("required key is missing", where="schema_version", line=1)
        return False
    if isinstance(version, bool) or not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        known = ", ".join(str(v) for v in sorted(SCHEMA_VERSIONS))
        ctx.add(
            f"{quote(version)} is not a schema version this program knows ({known}); "
            "upgrade regen-compare or fix the number",
            path=("schema_version",),
            where="schema_version",
        )
        return False
    return True


# --- cross-checks ---------------------------------------------------------------------------


def _check_dates(
    ctx: _Context,
    path: toml_scan.Path,
    where: str,
    as_of: date | None,
    sources: tuple[Source, ...],
    today: date,
) -> None:
    """Future dates are errors, dates over two years old warnings: `as_of` (when the entity
    has one) and every source's `accessed`."""

    def check(value: date, key_path: toml_scan.Path, key_where: str, what: str) -> None:
        if value > today:
            ctx.add(f"{what} {value} is in the future", path=key_path, where=key_where)
        elif today - value > STALE_AFTER:
            ctx.add(
                f"{what} {value} is more than 2 years old: check the figures and update it",
                path=key_path,
                where=key_where,
                severity="warning",
            )

    if as_of is not None:
        check(as_of, (*path, "as_of"), f"{where}.as_of", "as_of")
    for n, source in enumerate(sources):
        check(
            source.accessed,
            (*path, "sources", n, "accessed"),
            f"{where}.sources[{n + 1}].accessed",
            "accessed date",
        )


def _duplicates(ctx: _Context, kind: str, entries: list[tuple[int, Any]]) -> None:
    first_index: dict[str, int] = {}
    for index, raw in entries:
        ident = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in first_index:
            # Lines are looked up only now: valid files never pay for the position scan.
            earlier = ctx.scan.line_of((kind, first_index[ident]))
            at = f" (first defined on line {earlier})" if earlier else ""
            ctx.add(
                f"duplicate id {quote(ident)}{at}",
                path=(kind, index, "id"),
                where=f"{kind}[{display_safe(ident, limit=60)}].id",
            )
        else:
            first_index[ident] = index


def _raw_ids(doc: dict[str, Any] | None, key: str) -> list[str]:
    if doc is None or not isinstance(doc.get(key), list):
        return []
    return [e["id"] for e in doc[key] if isinstance(e, dict) and isinstance(e.get("id"), str)]


@dataclass
class LoadResult:
    catalog: Catalog
    warnings: list[Problem]


def load_catalog(
    data_dir: str | os.PathLike[str], *, today: date | None = None, use_cache: bool = False
) -> LoadResult:
    """Load and check both files in `data_dir`. Raises `DataError` listing every problem.

    With `use_cache`, a valid result is kept in the user's cache folder and reused while
    the files' bytes (and the date) are unchanged; see `cache.py`.
    """
    today = today or date.today()
    folder = Path(data_dir)
    t_ctx = _Context(str(folder / THERAPIES_FILE))
    p_ctx = _Context(str(folder / PAYERS_FILE))
    # Parsing and validating allocate hundreds of thousands of small objects and no cycles:
    # the cyclic GC would triple the time at 10,000 therapies, so it waits until we are done.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(folder, t_ctx, p_ctx, today, use_cache)
    except RecursionError:
        raise DataError([Problem(str(folder), None, "refused: data nested too deep")]) from None
    except MemoryError:
        raise DataError([Problem(str(folder), None, "refused: data too large to check")]) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _load(
    folder: Path, t_ctx: _Context, p_ctx: _Context, today: date, use_cache: bool
) -> LoadResult:
    t_bytes = _read_bytes(folder / THERAPIES_FILE, t_ctx.label)
    p_bytes = _read_bytes(folder / PAYERS_FILE, p_ctx.label)
    key = None
    if use_cache and isinstance(t_bytes, bytes) and isinstance(p_bytes, bytes):
        from regen_compare import cache

        key = cache.make_key(t_bytes, p_bytes, today)
        cached = cache.load(folder, key)
        if isinstance(cached, LoadResult):
            return cached
    result = _load_bytes(folder, t_ctx, p_ctx, today, t_bytes, p_bytes)
    if key is not None:
        from regen_compare import cache

        cache.store(folder, key, result)
    return result


def load_cached(
    data_dir: str | os.PathLike[str], *, today: date | None = None
) -> LoadResult | None:
    """The cached result for exactly these files (and date), or None; never parses."""
    from regen_compare import cache

    folder = Path(data_dir)
    today = today or date.today()
    t_bytes = _read_bytes(folder / THERAPIES_FILE, THERAPIES_FILE)
    p_bytes = _read_bytes(folder / PAYERS_FILE, PAYERS_FILE)
    if not isinstance(t_bytes, bytes) or not isinstance(p_bytes, bytes):
        return None
    cached = cache.load(folder, cache.make_key(t_bytes, p_bytes, today))
    return cached if isinstance(cached, LoadResult) else None


def _load_bytes(
    folder: Path,
    t_ctx: _Context,
    p_ctx: _Context,
    today: date,
    t_bytes: bytes | Problem,
    p_bytes: bytes | Problem,
) -> LoadResult:
    documents: list[dict[str, Any] | None] = []
    for data, ctx in ((t_bytes, t_ctx), (p_bytes, p_ctx)):
        if isinstance(data, Problem):
            ctx.problems.append(data)
            documents.append(None)
        else:
            documents.append(_document_from_bytes(data, ctx))
    t_doc, p_doc = documents
    t_ok = t_doc is not None and _check_top_level(
        t_ctx, t_doc, ("schema_version", "condition", "therapy")
    )
    p_ok = p_doc is not None and _check_top_level(p_ctx, p_doc, ("schema_version", "payer"))

    conditions: list[Condition] = []
    therapies: list[Therapy] = []
    payers: list[Payer] = []
    raw_conditions: list[tuple[int, Any]] = []
    raw_therapies: list[tuple[int, Any]] = []
    raw_payers: list[tuple[int, Any]] = []
    valid_therapy_at: dict[int, Therapy] = {}
    valid_condition_at: dict[int, Condition] = {}
    valid_payer_at: dict[int, Payer] = {}

    if t_ok and t_doc is not None:
        for i, raw, cond in _validate_entities(
            t_ctx, t_doc, "condition", _adapter(Condition), Condition
        ):
            raw_conditions.append((i, raw))
            if cond is not None:
                conditions.append(cond)
                valid_condition_at[i] = cond
        for i, raw, therapy in _validate_entities(
            t_ctx, t_doc, "therapy", _adapter(Therapy), Therapy
        ):
            raw_therapies.append((i, raw))
            if therapy is not None:
                therapies.append(therapy)
                valid_therapy_at[i] = therapy
        _duplicates(t_ctx, "condition", raw_conditions)
        _duplicates(t_ctx, "therapy", raw_therapies)
    if p_ok and p_doc is not None:
        for i, raw, payer in _validate_entities(p_ctx, p_doc, "payer", _adapter(Payer), Payer):
            raw_payers.append((i, raw))
            if payer is not None:
                payers.append(payer)
                valid_payer_at[i] = payer
        _duplicates(p_ctx, "payer", raw_payers)

    condition_ids = set(_raw_ids(t_doc, "condition")) if t_ok else set()
    therapy_ids = set(_raw_ids(t_doc, "therapy")) if t_ok else set()
    therapy_by_id = {t.id: t for t in therapies}

    for i, raw in raw_therapies:
        _check_empty_text(t_ctx, ("therapy", i), _entity_label("therapy", raw, i), raw)
    for i, raw in raw_payers:
        payer_where = _entity_label("payer", raw, i)
        _check_empty_text(p_ctx, ("payer", i), payer_where, raw)
        rules = raw.get("coverage") if isinstance(raw, dict) else None
        for j, rule in enumerate(rules if isinstance(rules, list) else []):
            rule_where = payer_where + ".coverage" + _entity_label("", rule, j, "therapy")
            _check_empty_text(p_ctx, ("payer", i, "coverage", j), rule_where, rule)

    if t_ok:
        _check_therapy_references(t_ctx, raw_therapies, condition_ids)
        _check_therapies(t_ctx, valid_therapy_at, today)
        _check_conditions(t_ctx, valid_condition_at, therapy_ids, therapy_by_id)
    if p_ok:
        if t_ok:  # when therapies.toml is unreadable, every reference would look wrong
            _check_coverage_references(p_ctx, raw_payers, condition_ids, therapy_ids)
        _check_payers(p_ctx, valid_payer_at, today=today)

    problems = sorted(t_ctx.problems, key=lambda p: p.sort_key) + sorted(
        p_ctx.problems, key=lambda p: p.sort_key
    )
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    catalog = Catalog.build(
        conditions, therapies, payers, files=(folder / THERAPIES_FILE, folder / PAYERS_FILE)
    )
    return LoadResult(catalog, problems)


def _strings(raw: Any, key: str) -> list[tuple[int, str]]:
    """The text entries of raw[key] with their index; checked even when the entity is invalid."""
    values = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(values, list):
        return []
    return [(n, v) for n, v in enumerate(values) if isinstance(v, str)]


def _check_therapy_references(
    ctx: _Context, raw_therapies: list[tuple[int, Any]], condition_ids: set[str]
) -> None:
    for i, raw in raw_therapies:
        where = _entity_label("therapy", raw, i)
        for n, cid in _strings(raw, "conditions"):
            if cid not in condition_ids:
                ctx.add(
                    f"unknown condition id {quote(cid)}{did_you_mean(cid, condition_ids)}",
                    path=("therapy", i, "conditions", n),
                    where=f"{where}.conditions[{n + 1}]",
                )


def _check_coverage_references(
    ctx: _Context,
    raw_payers: list[tuple[int, Any]],
    condition_ids: set[str],
    therapy_ids: set[str],
) -> None:
    for i, raw in raw_payers:
        rules = raw.get("coverage") if isinstance(raw, dict) else None
        if not isinstance(rules, list):
            continue
        for j, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            tid = rule.get("therapy")
            known = not isinstance(tid, str) or tid in therapy_ids
            strings = _strings(rule, "conditions")
            if known and all(cid in condition_ids for _, cid in strings):
                continue  # the common case: no labels to build
            payer_where = _entity_label("payer", raw, i)
            rule_where = payer_where + ".coverage" + _entity_label("", rule, j, "therapy")
            rule_path = ("payer", i, "coverage", j)
            if not known and isinstance(tid, str):
                ctx.add(
                    f"unknown therapy id {quote(tid)}{did_you_mean(tid, therapy_ids)}",
                    path=(*rule_path, "therapy"),
                    where=f"{rule_where}.therapy",
                )
            for n, cid in strings:
                if cid not in condition_ids:
                    ctx.add(
                        f"unknown condition id {quote(cid)}{did_you_mean(cid, condition_ids)}",
                        path=(*rule_path, "conditions", n),
                        where=f"{rule_where}.conditions[{n + 1}]",
                    )


def _check_sources(
    ctx: _Context, path: toml_scan.Path, where: str, sources: tuple[Source, ...]
) -> None:
    """A source that points at a site's home page cannot be traced to the figure: warn."""
    for n, source in enumerate(sources):
        if freshness.is_home_page(source.url):
            ctx.add(
                f"{quote(source.url)} is a site's home page: cite the page that gives the figure",
                path=(*path, "sources", n, "url"),
                where=f"{where}.sources[{n + 1}].url",
                severity="warning",
            )


def _check_old_figures(ctx: _Context, i: int, therapy: Therapy) -> None:
    for old in freshness.old_figures(therapy):
        n = therapy.sources.index(old.source)
        ctx.add(
            f"the newest source for {old.support.value} was published in {old.year}, more than "
            f"{freshness.OLD_AFTER_YEARS} years before as_of {therapy.as_of}: shown as "
            f"'{old.year} figures'; find a newer source",
            path=("therapy", i, "sources", n, "published"),
            where=f"therapy[{therapy.id}].{old.support.value}",
            severity="warning",
        )


_OPTIONAL_TEXT = ("notes", "evidence_notes", "regulatory_notes", "price_unknown", "policy")


def _check_empty_text(ctx: _Context, path: toml_scan.Path, where: str, raw: Any) -> None:
    """Empty optional text is read as absent (harmless), but it is probably a slip: warn."""
    if not isinstance(raw, dict):
        return
    for key in _OPTIONAL_TEXT:
        value = raw.get(key)
        if isinstance(value, str) and not value.strip():
            ctx.add(
                "is empty, so it is read as absent: remove the key or write the text",
                path=(*path, key),
                where=f"{where}.{key}",
                severity="warning",
            )


def _check_therapies(ctx: _Context, therapies: dict[int, Therapy], today: date) -> None:
    for i, therapy in therapies.items():
        where = f"therapy[{therapy.id}]"
        _check_sources(ctx, ("therapy", i), where, therapy.sources)
        _check_old_figures(ctx, i, therapy)
        for cid in therapy.evidence_by_condition:
            if cid not in therapy.conditions:
                ctx.add(
                    f"{quote(cid)} is not one of this therapy's conditions"
                    f"{did_you_mean(cid, therapy.conditions)}",
                    path=("therapy", i, "evidence_by_condition", cid),
                    where=f"{where}.evidence_by_condition.{cid}",
                )
        _check_dates(ctx, ("therapy", i), where, therapy.as_of, therapy.sources, today)


def _check_conditions(
    ctx: _Context,
    conditions: dict[int, Condition],
    therapy_ids: set[str],
    therapy_by_id: dict[str, Therapy],
) -> None:
    for i, cond in conditions.items():
        for n, tid in enumerate(cond.usual_care):
            where = f"condition[{cond.id}].usual_care[{n + 1}]"
            path = ("condition", i, "usual_care", n)
            if tid not in therapy_ids:
                ctx.add(
                    f"unknown therapy id {quote(tid)}{did_you_mean(tid, therapy_ids)}",
                    path=path,
                    where=where,
                )
                continue
            therapy = therapy_by_id.get(tid)
            if therapy is None:
                continue  # its own errors are reported where it is defined
            if therapy.category is not Category.TRADITIONAL:
                ctx.add(f"{quote(tid)} is not a traditional therapy", path=path, where=where)
            elif cond.id not in therapy.conditions:
                ctx.add(
                    f"{quote(tid)} does not list {quote(cond.id)} in its conditions",
                    path=path,
                    where=where,
                )


def _check_payers(ctx: _Context, payers: dict[int, Payer], *, today: date) -> None:
    for i, payer in payers.items():
        where = f"payer[{payer.id}]"
        _check_dates(ctx, ("payer", i), where, payer.as_of, payer.sources, today)
        _check_sources(ctx, ("payer", i), where, payer.sources)
        if payer.kind is PayerKind.SELF_PAY and payer.coverage:
            ctx.add(
                "a self_pay payer pays nothing, so it cannot have coverage rules",
                path=("payer", i, "coverage"),
                where=f"{where}.coverage",
            )
        seen: dict[str, int] = {}
        for j, rule in enumerate(payer.coverage):
            rule_where = f"{where}.coverage[{rule.therapy}]"
            rule_path = ("payer", i, "coverage", j)
            if rule.therapy in seen:
                earlier = ctx.scan.line_of(("payer", i, "coverage", seen[rule.therapy]))
                at = f" (first rule on line {earlier})" if earlier else ""
                ctx.add(
                    f"a second coverage rule for {quote(rule.therapy)}{at}: one rule per "
                    "payer and therapy",
                    path=rule_path,
                    where=rule_where,
                )
            else:
                seen[rule.therapy] = j
            _check_dates(ctx, rule_path, rule_where, None, rule.sources, today)
            _check_sources(ctx, rule_path, rule_where, rule.sources)
