"""Cash or plan: for a covered option, is paying through the plan or paying cash cheaper?

Paying cash can be cheaper than a plan's share — a generic whose cash (or discount-program)
price is below the plan's allowed amount while the deductible is unmet, say. This module puts
the two figures side by side and decides by one stated rule:

    the cheaper path is the one whose typical figure (else its midpoint), shown in whole
    dollars, is lower; equal whole dollars are "same". When the two ranges overlap the
    answer is marked "not certain" (either could turn out cheaper).

That is the same figure every sort, ★ and chart line uses (`Range.central`). Cash payments
usually do not count toward the plan's deductible or yearly cap, so a cash-cheaper answer
always carries that caveat.

For options the plan does not pay (cash), that cannot be bought or have no price, the result
says what applies; for an unknown coverage it compares the two outcomes honestly (what the
plan path would cost if the plan covered it, against cash).

A sourced discount-program price is accepted as a parameter (`discount`), a course total over
the same horizon as the cash price — `discount_total` turns a per-unit price into one. The
data model has no such field yet.

Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from regen_compare.engine.costs import Basis, CostResult
from regen_compare.model.entities import Therapy
from regen_compare.model.money import TWO, ZERO, Range, format_usd, json_number, whole_dollars
from regen_compare.model.vocabulary import over_horizon

CAVEAT = (
    "Cash payments usually do not count toward the plan's deductible or yearly out-of-pocket cap."
)
SAME_NOTE = (
    "The same either way, but payments through the plan count toward its deductible and "
    "yearly cap; cash payments usually do not."
)


class Path(StrEnum):
    PLAN = "plan"
    CASH = "cash"
    SAME = "same"


class CashKind(StrEnum):
    """Which cash figure is compared: the therapy's cash price or a discount-program price."""

    CASH_PRICE = "cash_price"
    DISCOUNT = "discount_price"

    @property
    def word(self) -> str:
        return "cash" if self is CashKind.CASH_PRICE else "discount price"


@dataclass(frozen=True)
class CashOrPlan:
    """The two paths for one option, the cheaper one, and the sentence shown by the figure."""

    basis: Basis
    years: int
    plan: Range | None
    """Through the plan: the patient's total (basis PLAN), or what it would be if the plan
    covered it on its general terms (basis UNKNOWN); None otherwise."""
    cash: Range | None
    """Paying cash: the lower (by the rule) of the cash price and the discount price."""
    cash_kind: CashKind
    cash_price: Range | None
    """The therapy's cash price over the horizon (None when not sold or no price)."""
    discount: Range | None
    cheaper_path: Path | None
    """Basis PLAN only: which path is cheaper by the rule. None where the plan does not pay."""
    cheaper_if_covered: Path | None
    """Basis UNKNOWN only: which path would be cheaper if the plan covered it."""
    certain: bool
    """False when the two ranges overlap (in whole dollars): either could turn out cheaper."""
    sentence: str
    caveat: str | None

    @property
    def cash_is_cheaper(self) -> bool:
        return Path.CASH in (self.cheaper_path, self.cheaper_if_covered)

    def to_json(self) -> dict[str, Any]:
        """`cheaper_path` and both figures for a JSON row (numbers are numbers)."""
        return {
            "cheaper_path": None if self.cheaper_path is None else self.cheaper_path.value,
            "cheaper_path_if_covered": (
                None if self.cheaper_if_covered is None else self.cheaper_if_covered.value
            ),
            "cheaper_path_certain": self.certain,
            "plan_figure": range_json(self.plan),
            "cash_figure": range_json(self.cash),
            "cash_kind": self.cash_kind.value,
            "discount_figure": range_json(self.discount),
            "cash_or_plan": self.sentence,
            "cash_caveat": self.caveat,
        }


def range_json(value: Range | None) -> dict[str, int | float | None] | None:
    if value is None:
        return None
    return {
        "min": json_number(value.min),
        "typical": None if value.typical is None else json_number(value.typical),
        "max": json_number(value.max),
    }


def shown(value: Range) -> int:
    """The figure the rule compares: the central figure in whole dollars."""
    return whole_dollars(value.central)


def figure(value: Range) -> str:
    """`≈$48` for a range, `$48` when the range is one figure (in whole dollars)."""
    if whole_dollars(value.min) == whole_dollars(value.max):
        return format_usd(value.min)
    return f"≈{format_usd(value.central)}"


def cheaper(plan: Range, cash: Range) -> Path:
    """The stated rule: lower central figure in whole dollars; equal is `same`."""
    p, c = shown(plan), shown(cash)
    if c < p:
        return Path.CASH
    if p < c:
        return Path.PLAN
    return Path.SAME


def overlap(a: Range, b: Range) -> bool:
    """The ranges share at least one whole-dollar figure."""
    return whole_dollars(a.min) <= whole_dollars(b.max) and whole_dollars(b.min) <= whole_dollars(
        a.max
    )


def _comparison(path: Path, plan: Range, cash: Range, kind: CashKind, years: int) -> str:
    plan_text, cash_text = f"plan {figure(plan)}", f"{kind.word} {figure(cash)}"
    if path is Path.CASH:
        text = f"{cash_text} < {plan_text}"
    elif path is Path.PLAN:
        text = f"{plan_text} < {cash_text}"
    else:
        text = f"{plan_text} = {cash_text}"
    return f"{text} {over_horizon(years)}"


def _caveat(path: Path) -> str | None:
    return {Path.CASH: CAVEAT, Path.SAME: SAME_NOTE, Path.PLAN: None}[path]


def _pick_cash(cash_price: Range, discount: Range | None) -> tuple[Range, CashKind]:
    """The cash figure to compare: a discount price only when the rule finds it lower."""
    if discount is not None and shown(discount) < shown(cash_price):
        return discount, CashKind.DISCOUNT
    return cash_price, CashKind.CASH_PRICE


def _years(cost: CostResult) -> int:
    return max(len(cost.cash_years), len(cost.years), 1)


def _result(
    cost: CostResult,
    discount: Range | None,
    sentence: str,
    *,
    plan: Range | None = None,
    cash: Range | None = None,
    kind: CashKind = CashKind.CASH_PRICE,
    cheaper_path: Path | None = None,
    certain: bool = True,
) -> CashOrPlan:
    """The verdict on `cost`: `cheaper_path` is what the rule found when both figures exist —
    the answer itself when the plan pays, the answer "if covered" when coverage is unknown."""
    unknown = cost.basis is Basis.UNKNOWN
    return CashOrPlan(
        cost.basis,
        _years(cost),
        plan,
        cash,
        kind,
        cost.cash_total,
        discount if cost.priced else None,
        None if unknown else cheaper_path,
        cheaper_path if unknown else None,
        certain,
        sentence,
        None if cheaper_path is None else _caveat(cheaper_path),
    )


def compare(cost: CostResult, discount: Range | None = None) -> CashOrPlan:
    """Cash or plan for one priced option. `discount`: a sourced discount-program price for
    the course over the same horizon (see `discount_total`), or None."""
    years = _years(cost)
    if cost.basis is Basis.NOT_SOLD:
        return _result(
            cost,
            discount,
            "Not for sale (clinical trials only): no cash or plan figure to compare.",
        )
    if cost.basis is Basis.NO_PRICE:
        return _result(
            cost,
            discount,
            "No price in the data, so cash and plan cannot be compared. "
            "Ask the pharmacy or clinic for both.",
        )
    cash_price = cost.cash_total
    assert cash_price is not None
    cash, kind = _pick_cash(cash_price, discount)
    if cost.basis in (Basis.PLAN, Basis.UNKNOWN):
        return _plan_against_cash(cost, years, discount, cash, kind)
    return _cash_only(cost, years, discount, cash_price, cash=cash, kind=kind)


def _plan_against_cash(
    cost: CostResult, years: int, discount: Range | None, cash: Range, kind: CashKind
) -> CashOrPlan:
    """Basis PLAN (the plan pays) or UNKNOWN (it might): the plan figure — the patient's total,
    or what it would be if the plan covered it — against cash, by one rule."""
    unknown = cost.basis is Basis.UNKNOWN
    plan = cost.total_if_covered if unknown else cost.patient_total
    assert plan is not None
    path = cheaper(plan, cash)
    certain = path is Path.SAME or not overlap(plan, cash)
    compared = _comparison(path, plan, cash, kind, years)
    if not unknown:
        sentence = compared
        if not certain:
            sentence += " (the ranges overlap, so this is not certain)"
    else:
        if path is Path.CASH:
            sentence = f"Coverage unknown; even if the plan covers it, {compared}."
        else:
            sentence = (
                f"Coverage unknown: if the plan covers it, {compared}; if not, you pay "
                f"{kind.word} {figure(cash)}. Ask the plan."
            )
        if not certain:
            sentence += " The ranges overlap, so this is not certain."
    return _result(
        cost,
        discount,
        sentence,
        plan=plan,
        cash=cash,
        kind=kind,
        cheaper_path=path,
        certain=certain,
    )


def _cash_only(
    cost: CostResult,
    years: int,
    discount: Range | None,
    cash_price: Range,
    *,
    cash: Range,
    kind: CashKind,
) -> CashOrPlan:
    """Basis CASH: the plan does not pay (or there is no plan); only cash applies."""
    lead = "No plan chosen" if cost.status is None else "The plan does not pay for this"
    if kind is CashKind.DISCOUNT:
        sentence = (
            f"{lead}: discount price {figure(cash)} < cash price {figure(cash_price)} "
            f"{over_horizon(years)}."
        )
    else:
        sentence = f"{lead}: you pay cash, {figure(cash)} {over_horizon(years)}."
    return _result(cost, discount, sentence, cash=cash, kind=kind)


def discount_total(therapy: Therapy, per_unit: Range, years: int) -> Range:
    """A per-unit discount-program price over the horizon, counted like the cash price:
    year 1 buys `units.first_year`, later years `units.later_years`; low figures with low
    units, high with high, typical with the middle number of units."""
    total = Range(ZERO, ZERO, ZERO)
    for year in range(1, years + 1):
        units = therapy.units.first_year if year == 1 else therapy.units.later_years
        middle = (units.min + units.max) / TWO
        total = total + Range(
            per_unit.min * units.min, per_unit.max * units.max, per_unit.central * middle
        )
    return total


def cash_cheaper_note(choice: CashOrPlan) -> str | None:
    """The line shown next to a figure when cash is cheaper (with its caveat), else None."""
    if not choice.cash_is_cheaper:
        return None
    return f"{choice.sentence} {choice.caveat}" if choice.caveat else choice.sentence
