"""Write a catalog back out as the two TOML files (tomli-w).

Used to build synthetic data sets for the benchmark and to prove in tests that what the
loader accepts survives a write and a re-read unchanged. It never rewrites a maintainer's
files: tomli-w drops comments, so the bundled data is edited by hand only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import tomli_w

from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Condition, Payer, Therapy
from regen_compare.model.types import Strict


def _plain(value: Any) -> Any:
    if isinstance(value, Strict):
        return _plain(value.model_dump(exclude_none=True, exclude_defaults=True))
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | str | int | float | bool):
        return value
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _entity(model: Strict, required: Iterable[str] = ()) -> dict[str, Any]:
    data: dict[str, Any] = _plain(model)
    # Keep required keys even when they equal a default (e.g. `risks = []`).
    for key in required:
        if key not in data:
            data[key] = _plain(getattr(model, key))
    return data


def therapies_toml(conditions: Iterable[Condition], therapies: Iterable[Therapy]) -> str:
    document = {
        "schema_version": 1,
        "condition": [_entity(c) for c in conditions],
        "therapy": [_entity(t, ("risks",)) for t in therapies],
    }
    return tomli_w.dumps(document)


def payers_toml(payers: Iterable[Payer]) -> str:
    return tomli_w.dumps({"schema_version": 1, "payer": [_entity(p) for p in payers]})


def catalog_files(catalog: Catalog) -> dict[str, str]:
    """File name → TOML text for the whole catalog."""
    return {
        "therapies.toml": therapies_toml(catalog.conditions.values(), catalog.therapies.values()),
        "payers.toml": payers_toml(catalog.payers.values()),
    }
