"""Exact money ranges. Every figure is a min–max pair of `Decimal`s; rounding happens only
when a figure is shown."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Range:
    min: Decimal
    max: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.min + other.min, self.max + other.max)

    @classmethod
    def zero(cls) -> Range:
        return cls(ZERO, ZERO)

    @property
    def is_point(self) -> bool:
        return self.min == self.max


def whole_dollars(amount: Decimal) -> int:
    """Round half up to whole dollars, the way figures are shown to a person."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_usd(amount: Decimal) -> str:
    return f"${whole_dollars(amount):,}"


def format_range(value: Range | None, *, none: str = "—", wrap: bool = False) -> str:
    """`$1,500–$7,500`, or one figure when both ends round to the same dollar.

    `wrap` puts spaces around the dash so a narrow table can break the range over two lines.
    """
    if value is None:
        return none
    low, high = whole_dollars(value.min), whole_dollars(value.max)
    if low == high:
        return f"${low:,}"
    dash = " – " if wrap else "–"
    return f"${low:,}{dash}${high:,}"


def json_number(amount: Decimal) -> int | float:
    """A JSON number: an int for whole amounts, else a float of the amount to the cent."""
    exact = cents(amount)
    if exact == exact.to_integral_value():
        return int(exact)
    return float(exact)


def format_quantity(value: Decimal) -> str:
    """Units, days and weeks without a trailing `.0`."""
    normal = value.normalize()
    text = f"{normal:f}"
    return text


def format_percent(share: Decimal) -> str:
    """0.2 → `20%`, 0.125 → `12.5%`."""
    return f"{format_quantity(share * 100)}%"
