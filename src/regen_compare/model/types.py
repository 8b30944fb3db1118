"""The scalar types of the data model: money, shares, counts, slugs, text and dates, each
checked strictly (no coercion, no NaN, no control characters), and the strict base of the
entities.

Plain Python: the types are `Annotated` aliases whose markers (`model.markers`) tell pydantic
how to check them, and the entities are frozen dataclasses. Pydantic is imported only to
validate data read from a file (`Strict.model_validate`, `data.messages`), or to dump a model or
write its schema (a data diff, the TOML writer, `regen-compare schema`), never to build or read
a model: a start served from the cache does without it. `entities.py` re-exports what is here.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeVar, cast, dataclass_transform

from regen_compare.model.markers import After, Before, Constrain, JsonSchema
from regen_compare.model.text import text_problem

if TYPE_CHECKING:
    from pydantic import TypeAdapter

SCHEMA_VERSIONS = frozenset({1})
MAX_MONEY = Decimal(10_000_000)
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


# --- scalar types ---------------------------------------------------------------------------


def number(value: Any, *, what: str, maximum: Decimal, places: int | None) -> Decimal:
    # bool is an int subclass in Python; `deductible = true` must not become 1.
    kind = type(value)
    if kind is int:  # the common case, and exact: no decimal places to check
        if 0 <= value <= maximum:
            return _int_decimal(value)
        amount = Decimal(value)
    elif kind is float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number (nan and inf are not allowed)")
        amount = Decimal(repr(value))
        exponent = amount.as_tuple().exponent
        if places is not None and isinstance(exponent, int) and exponent < -places:
            raise ValueError(f"{what} must have at most {places} decimal places")
    elif kind is Decimal:
        amount = value
        if not amount.is_finite():
            raise ValueError("must be a finite number (nan and inf are not allowed)")
        if places is not None and amount != round(amount, places):
            raise ValueError(f"{what} must have at most {places} decimal places")
    else:
        raise ValueError(f"must be a number, not {kind.__name__}")
    if amount < 0:
        raise ValueError(f"{what} must not be negative")
    if amount > maximum:
        raise ValueError(f"{what} must be at most {maximum:,}")
    return amount


_SMALL_INTS = tuple(Decimal(n) for n in range(1001))
"""`Decimal(n)` for the counts and small amounts most figures are: made once, shared."""


def _int_decimal(value: int) -> Decimal:
    return _SMALL_INTS[value] if value <= 1000 else Decimal(value)


_MAX_WHOLE_MONEY = int(MAX_MONEY)


def _money(value: Any) -> Decimal:
    if type(value) is int and 0 <= value <= _MAX_WHOLE_MONEY:
        return _int_decimal(value)  # most figures: skips `number`'s call (~35,000 at 10k rows)
    return number(value, what="an amount", maximum=MAX_MONEY, places=2)


def _share(value: Any) -> Decimal:
    share = number(value, what="a share", maximum=Decimal(1), places=4)
    return share


def _count(maximum: int) -> Any:
    limit = Decimal(maximum)

    def check(value: Any) -> Decimal:
        if type(value) is int and 0 <= value <= maximum:  # bool is not `int` here
            return _int_decimal(value)  # the common case (~80,000 calls at 10k rows)
        return number(value, what="a quantity", maximum=limit, places=2)

    return check


def _line_text(value: str) -> str:
    if value.isprintable() and not value.isspace() and value:
        return value  # the common case, decided in C (what `text_problem` checks first)
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _long_text(value: str) -> str:
    if value.isprintable() and not value.isspace() and value:
        return value  # the common case (one line), decided in C
    problem = text_problem(value, multiline=True)
    if problem:
        raise ValueError(problem)
    if not value.strip():
        raise ValueError("must not be empty")
    return value


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def _url(value: str) -> str:
    _line_text(value)
    if not _URL.match(value):
        raise ValueError("must be an http:// or https:// address")
    return value


_PUBLISHED_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


@functools.lru_cache(maxsize=4096)  # a data set repeats a few hundred dates ~30,000 times
def published_until(published: str) -> date:
    """The latest day a `published` value can mean ("2014" → 2014-12-31, "2024-02" →
    2024-02-29): a figure is called old only when even the most generous reading of its date
    is old. Raises `ValueError` for a day the calendar does not have ("2023-02-30", year 0)."""
    parts = [int(p) for p in published.split("-")]
    year = parts[0]
    if len(parts) == 3:
        return date(year, parts[1], parts[2])
    if len(parts) == 2:
        month = parts[1]
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is out of range")
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, 12, 31)


def published_from(published: str) -> date:
    """The earliest day a (valid) `published` value can mean ("2014" → 2014-01-01): a
    publication is in the future only when even that day is."""
    parts = [int(p) for p in published.split("-")]
    return date(parts[0], *[*parts[1:], 1, 1][:2])


def _published(value: str) -> str:
    if not _PUBLISHED_RE.match(value):
        raise ValueError("must be a date written 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'")
    try:
        published_until(value)
    except ValueError:
        # The pattern lets through days no calendar has: 2023-02-30, 2023-04-31, year 0000.
        raise ValueError(f"{value} is not a real date") from None
    return value


_MONEY_SCHEMA = {"type": "number", "minimum": 0, "maximum": int(MAX_MONEY)}

Money = Annotated[Decimal, Before(_money), JsonSchema(_MONEY_SCHEMA)]
Share = Annotated[
    Decimal, Before(_share), JsonSchema({"type": "number", "minimum": 0, "maximum": 1})
]
Units = Annotated[
    Decimal,
    Before(_count(1000)),
    JsonSchema({"type": "number", "minimum": 0, "maximum": 1000}),
]
Days = Annotated[
    Decimal,
    Before(_count(3650)),
    JsonSchema({"type": "number", "minimum": 0, "maximum": 3650}),
]
Weeks = Annotated[
    Decimal,
    Before(_count(520)),
    JsonSchema({"type": "number", "minimum": 0, "maximum": 520}),
]
Date = Annotated[date, Constrain(strict=True)]
Slug = Annotated[str, Constrain(strict=True, max_length=80, pattern=SLUG_PATTERN)]
"""The pattern is checked by pydantic-core (its `$` is the very end of the text, unlike
`re`'s, which also matches before a final newline), so no Python check is needed after it."""
Name = Annotated[str, Constrain(strict=True, max_length=200), After(_line_text)]
LongText = Annotated[str, Constrain(strict=True, max_length=2000), After(_long_text)]
Url = Annotated[str, Constrain(strict=True, max_length=2000), After(_url)]
Published = Annotated[str, Constrain(strict=True), After(_published)]


def _empty_as_absent(value: Any) -> Any:
    # An empty optional text says nothing, so it is harmless: it is read as absent (the
    # loader warns about it under --strict) rather than failing the whole file.
    if isinstance(value, str) and not value.strip():
        return None
    return value


OptionalName = Annotated[Name | None, Before(_empty_as_absent)]
ShortName = Annotated[str, Constrain(strict=True, min_length=1, max_length=24), After(_line_text)]
"""A name for narrow tables (24 characters at most)."""
InHundred = Annotated[
    Decimal,
    Before(_count(100)),
    JsonSchema({"type": "number", "minimum": 0, "maximum": 100}),
]
"""How many people in 100 (0–100, at most two decimal places where a source gives them)."""
Frequency = Annotated[
    Decimal,
    Before(_count(10_000)),
    JsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 10_000}),
]
"""How many people a harm reaches, out of 100, 1,000 or 10,000."""
OptionalLongText = Annotated[LongText | None, Before(_empty_as_absent)]


AT_LEAST_ONE = Constrain(min_length=1)
"""For an array that must list something: `Annotated[tuple[Source, ...], AT_LEAST_ONE]`."""

_Model = TypeVar("_Model", bound="Strict")


class Strict:
    """Base for every data model: no unknown keys, no coercion, immutable once loaded.

    A model is a frozen dataclass (`@entity`), built either by pydantic from data read from a
    file (`model_validate`: every field checked by its type's markers, unknown keys refused,
    then the model's own `_check` across its fields) or, without any check, from data that was
    validated before (the cache, `model_copy`). The `model_*` methods keep pydantic's names and
    meanings for their callers.
    """

    __slots__ = ()
    # Not strict mode: that would refuse the plain lists and strings tomllib produces for
    # tuples and enums. Numbers, text and dates get their own strict checks instead.
    __pydantic_config__: ClassVar[Mapping[str, Any]] = {"extra": "forbid"}

    # What `dataclass` would write for each model (`__init__`, `==`, `hash`, `repr`, frozen),
    # written once here: generating them per class is ~0.5 ms of every start per model.

    def __init__(self, **values: Any) -> None:
        for name, default, factory in _layout(type(self)):
            if name in values:
                value = values.pop(name)
            elif default is not dataclasses.MISSING:
                value = default
            elif factory is not dataclasses.MISSING:
                value = factory()
            else:
                raise TypeError(f"{type(self).__name__}() needs the keyword argument {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() has no field {sorted(values)[0]!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name, _, _ in _layout(type(self))])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = (f"{name}={getattr(self, name)!r}" for name, _, _ in _layout(type(self)))
        return f"{type(self).__name__}({', '.join(shown)})"

    # Copies and pickles: the slots' values, put back past the frozen `__setattr__`.
    def __getstate__(self) -> tuple[Any, ...]:
        return self._values()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for (name, _, _), value in zip(_layout(type(self)), state, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def _check(self) -> None:
        """Checks across fields, run after every field is valid: raise `ValueError` to refuse
        the model (the message is the problem a maintainer reads). None by default."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        if cls._check is Strict._check:
            return schema

        def checked(model: Strict) -> Strict:
            model._check()
            return model

        return core_schema.no_info_after_validator_function(checked, schema)

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """The model of `data` (tables from TOML), checked; raises pydantic's `ValidationError`."""
        model: Self = adapter(cls).validate_python(data)
        return model

    @classmethod
    def model_json_schema(cls) -> dict[str, Any]:
        """The JSON Schema of data this model accepts."""
        return adapter(cls).json_schema(mode="validation")

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """Fields as plain Python values (`exclude_none`, `exclude_defaults`… as pydantic's)."""
        dumped: dict[str, Any] = adapter(type(self)).dump_python(self, **options)
        return dumped

    def model_copy(self, *, update: Mapping[str, Any]) -> Self:
        """A copy with some fields replaced, not checked (as pydantic's `model_copy`)."""
        copied: Self = dataclasses.replace(cast(Any, self), **update)
        return copied


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def adapter(model: Any) -> TypeAdapter[Any]:
    """Pydantic's validator of a model or type, built on first use (imports pydantic)."""
    found = _ADAPTERS.get(model)
    if found is None:
        from pydantic import TypeAdapter

        found = _ADAPTERS[model] = TypeAdapter(model)
    return found


@dataclass_transform(
    frozen_default=True, kw_only_default=True, field_specifiers=(dataclasses.field,)
)
def entity(cls: type[_Model]) -> type[_Model]:
    """Makes a `Strict` subclass a model: a frozen dataclass with slots, fields by keyword.

    Methods of a model call a base's method by name (`_Range._check(self)`), not `super()`,
    which a dataclass with slots cannot resolve."""
    # The methods dataclass would generate come from `Strict` (frozen included); the fields,
    # their slots and `dataclasses.fields` (which pydantic reads) from dataclass.
    return dataclasses.dataclass(slots=True, kw_only=True, init=False, repr=False, eq=False)(cls)


_LAYOUTS: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def _layout(model: type) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of each field of a model, in declaration order."""
    found = _LAYOUTS.get(model)
    if found is None:
        fields = dataclasses.fields(model)
        found = _LAYOUTS[model] = tuple((f.name, f.default, f.default_factory) for f in fields)
    return found


def field_types(model: type[Strict]) -> dict[str, Any]:
    """A model's fields in declaration order, with their annotations (`Annotated` kept)."""
    found = _FIELD_TYPES.get(model)
    if found is None:
        import typing

        hints = typing.get_type_hints(model, include_extras=True)
        fields = dataclasses.fields(model)  # type: ignore[arg-type]
        found = _FIELD_TYPES[model] = {f.name: hints[f.name] for f in fields}
    return found


_FIELD_TYPES: dict[type[Strict], dict[str, Any]] = {}
