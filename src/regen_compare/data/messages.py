"""Pydantic's validation errors, rewritten as messages a data maintainer can act on.

Each entity of an array of tables is validated on its own (so one bad therapy does not hide
the others), and each error gets the key path a maintainer writes
(`therapy[prp-injection].price.max`) and plain words ("must be a whole number, not text").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from regen_compare.data.reading import FileContext
from regen_compare.model.problems import did_you_mean
from regen_compare.model.text import display_safe, quote
from regen_compare.model.types import Strict, adapter, field_types

B = TypeVar("B", bound=Strict)

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
    "dataclass_type": "must be a table",
    "dataclass_args_type": "must be a table",
    "tuple_type": "must be an array",
    "list_type": "must be an array",
}


def type_name(value: Any) -> str:
    names = {str: "text", bool: "a boolean", int: "a number", float: "a number", dict: "a table"}
    for kind, word in names.items():
        if type(value) is kind:
            return word
    if isinstance(value, list):
        return "an array"
    if isinstance(value, date):
        return "a date"
    return type(value).__name__


def describe(err: Any, model: type[Strict] | None) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        key = str(err["loc"][-1]) if err["loc"] else ""
        known = list(field_types(model)) if model is not None else []
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
        return f"{_TYPE_WORDS[kind]}, not {type_name(value)} {quote(value, limit=40)}"
    message = str(err.get("msg", kind))
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    if isinstance(value, str | int | float) and not isinstance(value, bool) and err["loc"]:
        return f"{display_safe(message)} (got {quote(value, limit=60)})"
    return display_safe(message)


def model_at(root: type[Strict], loc: tuple[Any, ...]) -> type[Strict] | None:
    """The model class that owns the last key of `loc` (for 'did you mean' on unknown keys)."""
    current: type[Strict] | None = root
    for part in loc[:-1]:
        if current is None or isinstance(part, int):
            continue
        annotation = field_types(current).get(str(part))
        if annotation is None:
            return None
        current = _inner_model(annotation)
    return current


def _inner_model(annotation: Any) -> type[Strict] | None:
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def entity_label(kind: str, raw: Any, index: int, id_key: str = "id") -> str:
    ident = raw.get(id_key) if isinstance(raw, dict) else None
    if isinstance(ident, str) and ident:
        return f"{kind}[{display_safe(ident, limit=60)}]"
    return f"{kind}#{index + 1}"


def key_path(label: str, loc: tuple[Any, ...], raw: Any) -> str:
    text = label
    node = raw
    for i, part in enumerate(loc):
        if part == "[key]":
            continue
        if isinstance(part, int):
            if i > 0 and loc[i - 1] == "coverage" and isinstance(node, list):
                entry = node[part] if part < len(node) else None
                text += entity_label("", entry, part, "therapy")
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


def adapter_for(model: type[B]) -> TypeAdapter[B]:
    """Pydantic's validator of a model, built on first use, once per model."""
    found: TypeAdapter[B] = adapter(model)
    return found


def validate_entities(
    ctx: FileContext, doc: dict[str, Any], key: str, model: type[B]
) -> Iterator[tuple[int, object, B | None]]:
    """Validate each entry of an array of tables; yield (index, raw, model or None)."""
    adapter = adapter_for(model)
    entries = doc.get(key, [])
    if not isinstance(entries, list):
        ctx.add(
            f"must be an array of tables ([[{key}]]), not {type_name(entries)}",
            path=(key,),
            where=key,
        )
        return
    for index, raw in enumerate(entries):
        label = entity_label(key, raw, index)
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
                    describe(err, model_at(model, loc)),
                    path=(key, index, *[p for p in loc if p != "[key]"]),
                    where=key_path(label, loc, raw),
                )
            yield index, raw, None
