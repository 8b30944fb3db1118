"""A validated catalog as plain data: what the cache keeps, and what every run's catalog is
built from (`data.load`).

An entry holds only values `marshal` writes and reads (tuples, str, int, None, bytes): reading
one cannot import anything or call any function. Money and every other `Decimal` are kept as
their exact text (`str(Decimal)` reads back to the same value and exponent), dates as ordinals,
enums as their values. Each model is a tuple of its fields in declaration order. The codecs
are derived from the models' field annotations once, so a new field is cached without touching
this module.

Reading is lazy: `decode` reads the small index (ids, search text, payer names, warnings) and
keeps each condition, therapy and payer as its own marshal blob until someone looks it up (a
list of plans reads the names alone: a payer holds a rule per therapy). A model is then built
without validation (it is a copy of data that was validated before it was written: see
`cache.py`) and built compactly: equal `Decimal`s, dates and strings shared, each model's
fields in its slots. The catalog of 10,000 therapies is ready in a few milliseconds, and a
payer's coverage rules are only built when that payer is chosen (building every model at once
costs a warm start at 10,000 therapies ~0.5 s more).

So a blob that does not decode (an entry damaged or forged past its key and checksum) is only
found when it is looked up. It never surfaces as an error: the map asks its `recover` for
models read afresh from the data files, and serves those from then on (`LazyModels`).
"""

from __future__ import annotations

import enum
import functools
import marshal
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Condition, Coverage, Payer, Supplement, Therapy
from regen_compare.model.problems import Problem
from regen_compare.model.types import Strict, field_types

FORMAT = 4
"""The layout of an entry; bumped when it changes (the cache key covers this file too)."""

M = TypeVar("M", bound=Strict)
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]

_new = object.__new__
_set = object.__setattr__


_MAX_DECIMAL = Decimal(10) ** 9


class EntryError(ValueError):
    """The entry is not one this code wrote (wrong shape or type): it is ignored."""


# --- what each field holds, from the model's annotations --------------------------------------


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _shape(annotation: Any) -> tuple[Any, ...]:
    """("model", cls) | ("enum", cls) | ("decimal",) | ("date",) | ("str",) | ("int",) | ("bool",)
    | ("tuple", inner) | ("dict", inner, key) | ("optional", inner); `inner` and `key` are
    shapes too (a table's keys are text or an enum's values)."""
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError(f"cannot cache a union of {args}")
        return ("optional", _shape(args[0]))
    if origin is tuple:
        return ("tuple", _shape(typing.get_args(annotation)[0]))
    if origin is dict:
        key, value = typing.get_args(annotation)
        return ("dict", _shape(value), _shape(key))
    if origin is typing.Literal:
        kinds = {type(a) for a in typing.get_args(annotation)}
        return ("int",) if kinds == {int} else ("str",)
    if annotation in _PLAIN:
        return _PLAIN[annotation]
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return ("model", annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return ("enum", annotation)
    raise TypeError(f"cannot cache a field of type {annotation!r}")


_PLAIN: dict[Any, tuple[str]] = {
    str: ("str",),
    int: ("int",),
    bool: ("bool",),
    Decimal: ("decimal",),
    date: ("date",),
}


def _fields(cls: type[Strict]) -> list[tuple[str, tuple[Any, ...]]]:
    return [(name, _shape(annotation)) for name, annotation in field_types(cls).items()]


# --- encoding ---------------------------------------------------------------------------------


def _encoder(shape: tuple[Any, ...], models: dict[type, Encode]) -> Encode | None:
    """A function turning a value of `shape` into plain data; None when it already is."""
    kind = shape[0]
    if kind in ("str", "int", "bool"):
        return None
    if kind == "decimal":
        return str
    if kind == "date":
        return date.toordinal
    if kind == "enum":
        return lambda value: value.value
    if kind == "model":
        return _model_encoder(shape[1], models)
    inner = _encoder(shape[1], models)
    if kind == "optional":
        return None if inner is None else (lambda value: None if value is None else inner(value))
    if kind == "tuple":
        return tuple if inner is None else (lambda value: tuple([inner(item) for item in value]))
    key = _encoder(shape[2], models)
    if key is None:
        return dict if inner is None else (lambda value: {k: inner(v) for k, v in value.items()})
    if inner is None:
        return lambda value: {key(k): v for k, v in value.items()}
    return lambda value: {key(k): inner(v) for k, v in value.items()}


def _model_encoder(cls: type[Strict], models: dict[type, Encode]) -> Encode:
    if cls in models:
        return models[cls]
    fields = _fields(cls)
    names = [name for name, _ in fields]
    encoders: list[Encode | None] = []

    def encode(model: Strict) -> tuple[Any, ...]:
        if type(model) is not cls:
            raise EntryError(f"expected {cls.__name__}, got {type(model).__name__}")
        return tuple(
            [
                value if code is None else code(value)
                for code, value in zip(encoders, [getattr(model, n) for n in names], strict=True)
            ]
        )

    models[cls] = encode
    encoders.extend(_encoder(shape, models) for _, shape in fields)
    return encode


# --- decoding ---------------------------------------------------------------------------------


class _Shared:
    """Equal leaves read from many entities, kept once (strings, decimals, dates)."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.decimals: dict[str, Decimal] = {}
        self.dates: dict[int, date] = {}

    def string(self, value: str) -> str:
        if type(value) is not str:
            raise EntryError("expected text")
        return self.strings.setdefault(value, value)

    def decimal(self, value: str) -> Decimal:
        found = self.decimals.get(value)
        if found is None:
            if type(value) is not str:
                raise EntryError("expected a decimal's text")
            found = Decimal(value)
            # What the models allow (money up to 10,000,000 to the cent, shares, counts):
            # an infinite, huge or finely cut number was not written by us.
            exponent = found.as_tuple().exponent
            if not isinstance(exponent, int) or exponent < -12 or abs(found) > _MAX_DECIMAL:
                raise EntryError("a number out of any field's range")
            self.decimals[value] = found
        return found

    def date(self, value: int) -> date:
        found = self.dates.get(value)
        if found is None:
            if type(value) is not int:
                raise EntryError("expected a date's ordinal")
            found = self.dates[value] = date.fromordinal(value)
        return found


def _whole_number(value: Any) -> int:
    if type(value) is not int:
        raise EntryError("expected a whole number")
    return value


def _truth(value: Any) -> bool:
    if type(value) is not bool:
        raise EntryError("expected true or false")
    return value


def _decoder(shape: tuple[Any, ...], shared: _Shared, models: dict[type, Decode]) -> Decode:
    kind = shape[0]
    if kind == "str":
        return shared.string
    if kind == "int":
        return _whole_number
    if kind == "bool":
        return _truth
    if kind == "decimal":
        return shared.decimal
    if kind == "date":
        return shared.date
    if kind == "enum":
        return shape[1]._value2member_map_.__getitem__  # type: ignore[no-any-return]
    if kind == "model":
        return _model_decoder(shape[1], shared, models)
    inner = _decoder(shape[1], shared, models)
    if kind == "optional":
        return lambda value: None if value is None else inner(value)
    if kind == "tuple":
        return lambda value: tuple([inner(item) for item in value])

    key = _decoder(shape[2], shared, models)

    def mapping(value: dict[str, Any]) -> dict[Any, Any]:
        if type(value) is not dict:
            raise EntryError("expected a table")
        return {key(shared.string(k)): inner(v) for k, v in value.items()}

    return mapping


def _model_decoder(cls: type[Strict], shared: _Shared, models: dict[type, Decode]) -> Decode:
    """Builds `cls` from its tuple without validating (the data was validated when written)."""
    if cls in models:
        return models[cls]
    fields = _fields(cls)
    names = [name for name, _ in fields]
    decoders: list[Decode] = []
    width = len(fields)

    def decode(values: tuple[Any, ...]) -> Strict:
        if type(values) is not tuple or len(values) != width:
            raise EntryError(f"expected the {len(fields)} fields of {cls.__name__}")
        model = _new(cls)
        for name, code, value in zip(names, decoders, values, strict=True):
            _set(model, name, code(value))
        return model

    models[cls] = decode
    decoders.extend(_decoder(shape, shared, models) for _, shape in fields)
    return decode


# --- the lazy mappings the catalog is made of -------------------------------------------------


Recover = Callable[[], Mapping[str, Any]]


class LazyModels(Mapping[str, M]):
    """Models by id, each built from its blob the first time it is looked up (then kept).

    A blob that does not decode makes the map serve `recover()`'s models (the same kind, read
    afresh from the data files) for every id from then on; without `recover` it is
    `EntryError`. Safe to share between threads: two threads building the same model keep
    the first one."""

    __slots__ = ("_built", "_decode", "_keys", "_pending", "_recover")

    def __init__(
        self,
        keys: tuple[str, ...],
        blobs: tuple[bytes, ...],
        decode: Decode,
        recover: Recover | None = None,
    ) -> None:
        self._keys = keys
        self._pending = dict(zip(keys, blobs, strict=True))
        self._built: dict[str, M] = {}
        self._decode = decode
        self._recover = recover

    def __getitem__(self, key: str) -> M:
        built = self._built.get(key)
        if built is not None:
            return built
        blob = self._pending.get(key)
        if blob is None:
            return self._built[key]  # another thread may just have built it; else KeyError
        try:
            decoded = self._decode(marshal.loads(blob))
        except Exception as exc:  # anything a blob we did not write can raise
            return self._recovered(key, exc)
        model: M = self._built.setdefault(key, decoded)
        self._pending.pop(key, None)
        return model

    def _recovered(self, key: str, exc: Exception) -> M:
        if self._recover is None:
            raise EntryError(f"{key}: does not decode ({type(exc).__name__})") from None
        fresh: dict[str, M] = dict(self._recover())
        self._built, self._pending = fresh, {}
        return fresh[key]

    def __contains__(self, key: object) -> bool:
        return key in self._pending or key in self._built

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"<{len(self._keys)} models, {len(self._built)} built>"


class LazyCoverage(Mapping[tuple[str, str], Coverage]):
    """(payer id, therapy id) → the payer's rule; a payer's rules are indexed when first asked."""

    __slots__ = ("_by_payer", "_count", "_payers")

    def __init__(self, payers: Mapping[str, Payer], count: int) -> None:
        self._payers = payers
        self._count = count
        self._by_payer: dict[str, dict[str, Coverage]] = {}

    def _rules(self, payer_id: str) -> dict[str, Coverage]:
        rules = self._by_payer.get(payer_id)
        if rules is None:
            payer = self._payers.get(payer_id)
            rules = {} if payer is None else {rule.therapy: rule for rule in payer.coverage}
            rules = self._by_payer.setdefault(payer_id, rules)
        return rules

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        return self._rules(key[0]).get(key[1], default)

    def __getitem__(self, key: tuple[str, str]) -> Coverage:
        return self._rules(key[0])[key[1]]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for payer_id in self._payers:
            for therapy_id in self._rules(payer_id):
                yield (payer_id, therapy_id)

    def __len__(self) -> int:
        return self._count


# --- the entry ------------------------------------------------------------------------------

_KINDS: tuple[tuple[str, type[Strict]], ...] = (
    ("conditions", Condition),
    ("therapies", Therapy),
    ("payers", Payer),
    ("supplements", Supplement),
)


class EntryWriter:
    """Builds an entry one model at a time, so a caller can let each model go once written."""

    def __init__(self) -> None:
        encoders: dict[type, Encode] = {}
        self._codes = {attribute: _model_encoder(cls, encoders) for attribute, cls in _KINDS}
        self._ids: dict[str, list[str]] = {attribute: [] for attribute, _ in _KINDS}
        self._blobs: dict[str, list[bytes]] = {attribute: [] for attribute, _ in _KINDS}
        self._search: list[str] = []
        self._payer_names: list[str] = []
        self._rules = 0
        self._oldest: date | None = None

    def add(self, attribute: str, model: Any, search: str = "") -> None:
        """Write one model of `catalog.<attribute>`; a therapy with its search text."""
        self._ids[attribute].append(model.id)
        self._blobs[attribute].append(marshal.dumps(self._codes[attribute](model)))
        if attribute == "therapies":
            self._search.append(search)
        elif attribute == "payers":
            self._rules += len({rule.therapy for rule in model.coverage})
            self._payer_names.append(model.name)
        as_of = getattr(model, "as_of", None)
        if as_of is not None and (self._oldest is None or as_of < self._oldest):
            self._oldest = as_of

    def finish(self, warnings: list[Problem]) -> bytes:
        parts: list[Any] = [FORMAT]
        for attribute, _ in _KINDS:
            parts.append((tuple(self._ids[attribute]), tuple(self._blobs[attribute])))
        parts.append(tuple(self._search))
        parts.append(self._rules)
        parts.append(None if self._oldest is None else self._oldest.toordinal())
        parts.append(tuple(problem_fields(p) for p in warnings))
        parts.append(tuple(self._payer_names))
        return marshal.dumps(tuple(parts))


def encode(catalog: Catalog, warnings: list[Problem]) -> bytes:
    """The catalog and its load warnings as one marshal blob (see the module docstring)."""
    writer = EntryWriter()
    for attribute, _ in _KINDS:
        models: Mapping[str, Any] = getattr(catalog, attribute)
        for key, model in models.items():
            writer.add(attribute, model, catalog.search_text.get(key, ""))
    return writer.finish(warnings)


def encode_models(cls: type[Strict], models: Iterable[Strict]) -> tuple[Any, ...]:
    """Models of one class as plain data (each as `encode` writes a catalog's)."""
    code = _model_encoder(cls, {})
    return tuple(code(model) for model in models)


def decode_models(cls: type[M], values: Any) -> list[M]:
    """What `encode_models` wrote, built without validation; `EntryError` for anything else."""
    if type(values) is not tuple:
        raise EntryError(f"expected the {cls.__name__} models")
    code = _model_decoder(cls, _Shared(), {})
    return [code(value) for value in values]


def problem_fields(found: Problem) -> tuple[Any, ...]:
    """A problem as plain data (for an entry's warnings)."""
    return (
        found.file,
        found.line,
        found.message,
        found.where,
        found.column,
        found.severity,
        found.excerpt,
    )


def problem(fields: Any) -> Problem:
    """The problem `problem_fields` wrote; `EntryError` for anything else."""
    if type(fields) is not tuple or len(fields) != 7:
        raise EntryError("expected a problem")
    file, line, message, where, column, severity, excerpt = fields
    texts_ok = all(type(v) is str for v in (file, message, where))
    numbers_ok = all(v is None or type(v) is int for v in (line, column))
    if not (texts_ok and numbers_ok and severity in ("error", "warning")):
        raise EntryError("a problem holds something other than text and numbers")
    if excerpt is not None and type(excerpt) is not str:
        raise EntryError("a problem's excerpt is not text")
    return Problem(file, line, message, where, column, severity, excerpt)


def _index(part: Any) -> tuple[tuple[str, ...], tuple[bytes, ...]]:
    if type(part) is not tuple or len(part) != 2:
        raise EntryError("expected ids and blobs")
    ids, blobs = part
    if (
        type(ids) is not tuple
        or type(blobs) is not tuple
        or len(ids) != len(blobs)
        or not all(type(i) is str for i in ids)
        or not all(type(b) is bytes for b in blobs)
    ):
        raise EntryError("expected ids and blobs")
    return ids, blobs


def decode(
    payload: bytes,
    files: tuple[Path, ...],
    recover: Callable[[str], Mapping[str, Any]] | None = None,
) -> tuple[Catalog, list[Problem]]:
    """The catalog (its models built on first use) and warnings; raises `EntryError` (or
    marshal's own `ValueError`/`EOFError`/`TypeError`) when the index is not ours.
    `recover(attribute)`: the models of `catalog.<attribute>` read afresh, for a map whose
    blob turns out not to decode (see `LazyModels`)."""
    parts = marshal.loads(payload)
    if type(parts) is not tuple or len(parts) != 10 or parts[0] != FORMAT:
        raise EntryError("not an entry of this format")
    shared = _Shared()
    decoders: dict[type, Decode] = {}
    maps: list[LazyModels[Any]] = []
    for (attribute, cls), part in zip(_KINDS, parts[1:5], strict=True):
        ids, blobs = _index(part)
        again = None if recover is None else functools.partial(recover, attribute)
        maps.append(LazyModels(ids, blobs, _model_decoder(cls, shared, decoders), again))
    conditions, therapies, payers, supplements = maps
    search, rule_count, as_of, warnings, payer_names = parts[5:]
    if type(search) is not tuple or len(search) != len(therapies):
        raise EntryError("expected a search text per therapy")
    if not all(type(s) is str for s in search) or type(rule_count) is not int:
        raise EntryError("expected text and a count")
    if as_of is not None and type(as_of) is not int:
        raise EntryError("expected a date's ordinal")
    if type(warnings) is not tuple:
        raise EntryError("expected the warnings")
    if type(payer_names) is not tuple or not all(type(n) is str for n in payer_names):
        raise EntryError("expected the payers' names as text")  # one each: zip(strict=True)
    catalog = Catalog(
        conditions=conditions,
        therapies=therapies,
        payers=payers,
        files=files,
        supplements=supplements,
        coverage_index=LazyCoverage(payers, rule_count),
        search_text=dict(zip(therapies, search, strict=True)),
        oldest=None if as_of is None else date.fromordinal(as_of),
        payer_names=dict(zip(payers, payer_names, strict=True)),
    )
    return catalog, [problem(p) for p in warnings]
