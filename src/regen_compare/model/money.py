"""Exact money ranges. Every figure is a min–max pair of `Decimal`s; rounding happens only
when a figure is shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


TWO = Decimal(2)


@dataclass(frozen=True, slots=True)
class Range:
    """A min–max figure, with the typical figure inside it when one is known.

    `typical` is what the cost model computes from a source's typical amount (else the
    midpoints); it is None when no single figure is honest — a coverage nobody knows spans two
    outcomes. `central` is the one figure every sort, ★ and chart line uses."""

    min: Decimal
    max: Decimal
    typical: Decimal | None = None

    def __add__(self, other: Range) -> Range:
        if self.typical is None and other.typical is None:
            typical = None
        else:
            typical = self.central + other.central
        return Range(self.min + other.min, self.max + other.max, typical)

    @classmethod
    def zero(cls) -> Range:
        return cls(ZERO, ZERO)

    @property
    def is_point(self) -> bool:
        return self.min == self.max

    @property
    def central(self) -> Decimal:
        """The typical figure, else the midpoint."""
        return self.typical if self.typical is not None else (self.min + self.max) / TWO

    @property
    def rank_key(self) -> tuple[Decimal, Decimal]:
        """How ranges are ordered everywhere (sort, ★, chart): by the central figure, then
        the top, so a wide range with a cheap best case does not win on that alone."""
        return (self.central, self.max)


def sum_of(figures: Iterable[tuple[Decimal, Decimal, Decimal | None]]) -> Range:
    """The fold `Range.zero() + Range(*f) + …` in local figures: the same operations in the
    same order, so the same digits, without a `Range` per step (pricing 10,000 therapies
    sums ~40,000 of them, and making the ranges was most of the time it took)."""
    low = high = ZERO
    typical: Decimal | None = None
    for low_of, high_of, typical_of in figures:
        if typical is not None or typical_of is not None:
            mine = typical if typical is not None else (low + high) / TWO
            theirs = typical_of if typical_of is not None else (low_of + high_of) / TWO
            typical = mine + theirs
        low += low_of
        high += high_of
    return Range(low, high, typical)


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


def format_typical(value: Range | None) -> str:
    """`≈$2,050` for a range with a typical figure that differs from its ends, else ``."""
    if value is None or value.typical is None or value.is_point:
        return ""
    return f"≈{format_usd(value.typical)}"


def format_range_typical(value: Range | None, *, none: str = "—", wrap: bool = False) -> str:
    """`≈$2,050 ($1,967–$2,109)`: the typical figure first, the range beside it (`wrap`: as in
    `format_range`)."""
    if value is None:
        return none
    typical = format_typical(value)
    plain = format_range(value, wrap=wrap)
    if not typical or whole_dollars(value.min) == whole_dollars(value.max):
        return plain
    return f"{typical} ({plain})"


def format_compact(amount: Decimal) -> str:
    """Money for a narrow cell: exact below $10,000 (`$2,337`), then `$37.5k`, `$100k`,
    `$1.2M`. The exact figure is always in the detail pane beside it."""
    dollars = whole_dollars(amount)
    if dollars < 10_000:
        return f"${dollars:,}"
    if dollars < 1_000_000:
        text = f"{dollars / 1000:.1f}".removesuffix(".0")
        return f"${text}k"
    text = f"{dollars / 1_000_000:.1f}".removesuffix(".0")
    return f"${text}M"


def format_range_compact(value: Range) -> str:
    """`$2,337–$3,081`, `$1,150–$100k`: a range for a narrow cell."""
    low, high = format_compact(value.min), format_compact(value.max)
    return low if low == high else f"{low}–{high}"


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
