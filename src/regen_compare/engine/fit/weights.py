"""What matters to the patient: the six criteria and their weights, 0 to 3 each.

`Weights.parse` reads the command line's `cost=3,recovery=1,…`; `as_dict`/`from_mapping` keep
them in a scenario file. Method and criteria: docs/decide.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from regen_compare.model.problems import did_you_mean
from regen_compare.model.text import quote

ONE = Decimal(1)
HUNDRED = Decimal(100)
MAX_WEIGHT = 3


class Criterion(StrEnum):
    """The criteria, in the order every screen lists them."""

    COST = "cost"
    RECOVERY = "recovery"
    INVASIVENESS = "invasiveness"
    EVIDENCE = "evidence"
    SAFETY = "safety"
    RELIEF = "relief"

    @property
    def label(self) -> str:
        return _LABELS[self]


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)
_INDEX = {c: i for i, c in enumerate(CRITERIA)}

_LABELS = {
    Criterion.COST: "What you pay",
    Criterion.RECOVERY: "Time to get back to normal",
    Criterion.INVASIVENESS: "How invasive",
    Criterion.EVIDENCE: "Strength of evidence",
    Criterion.SAFETY: "Safety",
    Criterion.RELIEF: "Chance of relief",
}


class WeightsError(ValueError):
    """A weights text or mapping that cannot be read; the message is a usage line."""


WEIGHTS_EXAMPLE = "cost=3,recovery=1,invasiveness=2,evidence=3,safety=2,relief=3"


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each criterion matters, 0 (not at all) to 3 (very much)."""

    cost: int = 2
    recovery: int = 2
    invasiveness: int = 2
    evidence: int = 2
    safety: int = 2
    relief: int = 2

    def __post_init__(self) -> None:
        for criterion in Criterion:
            value = getattr(self, criterion.value)
            if type(value) is not int or not 0 <= value <= MAX_WEIGHT:
                raise WeightsError(
                    f"{criterion.value}={quote(value)}: a weight must be 0, 1, 2 or 3"
                )

    @property
    def vector(self) -> tuple[int, int, int, int, int, int]:
        """The weights in criterion order."""
        return (
            self.cost,
            self.recovery,
            self.invasiveness,
            self.evidence,
            self.safety,
            self.relief,
        )

    def of(self, criterion: Criterion) -> int:
        return self.vector[_INDEX[criterion]]

    @property
    def total(self) -> int:
        return sum(self.vector)

    @property
    def all_zero(self) -> bool:
        return self.total == 0

    def as_dict(self) -> dict[str, int]:
        """In criterion order: for JSON, scenarios and the handout."""
        return {c.value: self.of(c) for c in Criterion}

    def format(self) -> str:
        """`cost=2,recovery=2,invasiveness=2,evidence=2,safety=2,relief=2`: what `parse`
        reads."""
        return ",".join(f"{k}={v}" for k, v in self.as_dict().items())

    def preset_name(self) -> str | None:
        """`balanced` when these are a preset's weights, else None."""
        for name, preset in PRESETS.items():
            if preset == self:
                return name
        return None

    @classmethod
    def parse(cls, text: str) -> Weights:
        """Read `cost=3,recovery=1,…` (criteria left out keep the balanced weight), or a
        preset name (`balanced`), optionally followed by changes: `balanced,cost=3`.

        Raises `WeightsError` with one line that says what is wrong and how to write it."""
        items = [item.strip() for item in text.split(",")]
        if not text.strip() or all(not item for item in items):
            raise WeightsError(f"no weights given: write e.g. {WEIGHTS_EXAMPLE}")
        values = BALANCED.as_dict()
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not item:
                raise WeightsError(
                    f"an empty item in {quote(text)}: separate weights with single commas"
                )
            if "=" not in item:
                if position == 0 and item.casefold() in PRESETS:
                    values = PRESETS[item.casefold()].as_dict()
                    continue
                if item.casefold() in values:
                    raise WeightsError(f"{quote(item)} needs a weight: e.g. {item.casefold()}=2")
                raise WeightsError(
                    f"{quote(item)} is not a criterion=weight pair or a preset "
                    f"({', '.join(PRESETS)}): write e.g. {WEIGHTS_EXAMPLE}"
                )
            key, _, raw = (part.strip() for part in item.partition("="))
            name = key.casefold()
            if name not in values:
                raise WeightsError(
                    f"unknown criterion {quote(key)}{did_you_mean(name, list(values))}; "
                    f"the criteria are {', '.join(values)}"
                )
            if name in seen:
                raise WeightsError(f"{name} is given twice")
            seen.add(name)
            if raw not in ("0", "1", "2", "3"):
                raise WeightsError(
                    f"{name}={quote(raw)}: a weight must be 0, 1, 2 or 3 "
                    "(0 = does not matter, 3 = matters most)"
                )
            values[name] = int(raw)
        return cls(**values)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Weights:
        """Weights from a saved scenario's table: every key a criterion, every value 0–3
        (a whole number, not text or a boolean); criteria left out keep the balanced weight."""
        values = BALANCED.as_dict()
        for key, value in data.items():
            if key not in values:
                raise WeightsError(
                    f"unknown criterion {quote(key)}{did_you_mean(str(key), list(values))}; "
                    f"the criteria are {', '.join(values)}"
                )
            if type(value) is not int or not 0 <= value <= MAX_WEIGHT:
                raise WeightsError(f"{key} = {quote(value)}: a weight must be 0, 1, 2 or 3")
            values[key] = value
        return cls(**values)


BALANCED = Weights()
"""Every criterion matters equally (2 of 3): the default, and room to raise or lower each."""

PRESETS: dict[str, Weights] = {"balanced": BALANCED}
