"""Who the handout is for, looked up once: shared by every part of a handout."""

from __future__ import annotations

import re

from regen_compare.engine.costs import Profile
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Payer


def condition_name(catalog: Catalog, condition_id: str) -> str:
    cond = catalog.conditions.get(condition_id)
    return cond.name if cond is not None else condition_id


def plan_of(profile: Profile, catalog: Catalog) -> Payer | None:
    return catalog.payers.get(profile.payer) if profile.payer is not None else None


_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_INTERNAL = ("UNVERIFIED", "not captured")


def reader_text(text: str | None) -> str | None:
    """A data note as a reader sees it: the maintainers' own markers (sentences flagged
    UNVERIFIED, research-process remarks) are left out; the rest is kept word for word.
    None when nothing is left."""
    if not text:
        return None
    kept = [s for s in _SENTENCE.split(text) if not any(m in s for m in _INTERNAL)]
    return " ".join(kept).strip() or None
