"""JSON Schema for the two data files, generated from the models so it can never drift."""

from __future__ import annotations

from typing import Any

from regen_compare.model import PayersFile, TherapiesFile

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(model: type[TherapiesFile] | type[PayersFile], title: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, **schema, "title": title}


def schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for `regen-compare schema`."""
    return {
        "therapies.schema.json": _schema(TherapiesFile, "regen-compare therapies.toml"),
        "payers.schema.json": _schema(PayersFile, "regen-compare payers.toml"),
    }
