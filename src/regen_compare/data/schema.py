"""JSON Schema for the data files (therapies, payers, regions), generated from the models so
it can never drift."""

from __future__ import annotations

from typing import Any

from regen_compare.data.regions import RegionsFile
from regen_compare.model.entities import PayersFile, TherapiesFile
from regen_compare.model.types import Strict

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[Strict], title: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}


def schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for `regen-compare schema`."""
    return {
        "therapies.schema.json": _schema(TherapiesFile, "regen-compare therapies.toml"),
        "payers.schema.json": _schema(PayersFile, "regen-compare payers.toml"),
        "regions.schema.json": _schema(RegionsFile, "regen-compare regions.toml"),
    }
