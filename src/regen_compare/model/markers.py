"""How the model's plain classes and types tell pydantic how to check them, without importing it.

The model is plain frozen dataclasses (`model.types.Strict`), so a start served from the cache,
the command line's `--help` and every query build and read them without pydantic. Pydantic is
only the validator of data read from TOML: when it builds a validator for a model it reads
these markers from the `Annotated` metadata of each field (the documented
`__get_pydantic_core_schema__` / `__get_pydantic_json_schema__` protocol), and only then is
`pydantic_core` imported.

The marker classes carry a function or a few core-schema keys; they never run on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar


class _Check:
    """A function pydantic runs on a field's value, before or after its own check of the type
    (`_wrap` names pydantic-core's schema function for which)."""

    __slots__ = ("check",)
    _wrap: ClassVar[str]

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        wrap = getattr(core_schema, self._wrap)
        return wrap(self.check, handler(source))


class Before(_Check):
    """Run `check` on the raw value before pydantic's own check of the type (it may convert)."""

    __slots__ = ()
    _wrap = "no_info_before_validator_function"


class After(_Check):
    """Run `check` on the value pydantic has checked (it returns the value or raises)."""

    __slots__ = ()
    _wrap = "no_info_after_validator_function"


class Constrain:
    """Keys set on the type's own core schema: `strict`, `max_length`, `pattern`, `ge`…
    (pydantic-core checks them, and the JSON Schema shows them)."""

    __slots__ = ("keys",)

    def __init__(self, **keys: Any) -> None:
        self.keys = keys

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema.update(self.keys)
        return schema


class JsonSchema:
    """The JSON Schema shown for a type whose check is a function (pydantic cannot see into it)."""

    __slots__ = ("schema",)

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = dict(schema)

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return dict(self.schema)
