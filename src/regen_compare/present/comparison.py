"""The side-by-side: therapies as columns, attributes as rows, the best in each row marked.

Shared by `compare` on the command line, the handouts and the TUI's compare screen, so the
three never disagree about which option is best on what.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from regen_compare.engine import cash_or_plan
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Weights, best_fit, score
from regen_compare.engine.query import SORT_KEYS, Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.money import Range
from regen_compare.present import figures

BEST = "★"
"""Marks the best value in a row: a symbol, never colour alone. A range is judged by its
midpoint (then its top), so a wide range with a cheap best case does not win on that alone;
when every option has the same value, nothing is marked."""


@dataclass(frozen=True)
class CompareCell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class CompareLine:
    key: str
    label: str
    cells: tuple[CompareCell, ...]

    @property
    def differs(self) -> bool:
        return len({c.text for c in self.cells}) > 1


def _range_key(value: Range | None) -> tuple[Any, ...] | None:
    """Ranges compare by `Range.rank_key` (typical, else midpoint; then the top), the rule
    the list's sort uses too: $1,000–$6,000 beats $500–$27,500."""
    return None if value is None else value.rank_key


def _days_key(low: Any, high: Any) -> tuple[Any, ...]:
    return (low + high, high)


def _bounds(value: Any) -> tuple[Any, Any]:
    return value.min, value.max


def _line(
    key: str,
    label: str,
    rows: Sequence[Row],
    text: Callable[[Row], str],
    rank: Callable[[Row], Any] | None = None,
) -> CompareLine:
    """One attribute across the therapies; mark the lowest rank unless all are equal."""
    texts = [text(r) for r in rows]
    best_flags = [False] * len(rows)
    if rank is not None and len(rows) > 1:
        ranks = [rank(r) for r in rows]
        present = [k for k in ranks if k is not None]
        if present and len(set(present)) > 1:
            best = min(present)
            best_flags = [k is not None and k == best for k in ranks]
    return CompareLine(
        key, label, tuple(CompareCell(t, b) for t, b in zip(texts, best_flags, strict=True))
    )


def _unknown_lines(rows: Sequence[Row], span: str) -> list[CompareLine]:
    """Where a coverage is unknown, both outcomes side by side (no ★: they are not choices)."""

    def outcome(row: Row, which: str) -> str:
        if not row.cost.unknown:
            return "—"
        value = row.cost.total_if_covered if which == "covered" else row.cost.total_if_not_covered
        return figures.money_figure(value, row.cost, wrap=True)

    return [
        _line(
            "if_covered", f"  if the plan covers it, {span}", rows, lambda r: outcome(r, "covered")
        ),
        _line("if_not_covered", f"  if it does not, {span}", rows, lambda r: outcome(r, "cash")),
    ]


def _fit_lines(rows: Sequence[Row], weights: Weights) -> list[CompareLine]:
    """The fit with the patient's weights (★ on the best fit), and what moved it."""
    fits = {r.id: score(r.therapy, r.evidence, r.cost, weights, r.benefit) for r in rows}
    best = best_fit(fits) if len(rows) > 1 else set()
    fit_line = CompareLine(
        "fit",
        "Fit for you",
        tuple(CompareCell(fits[r.id].text(), r.id in best) for r in rows),
    )

    def moved(row: Row) -> str:
        return fits[row.id].moved_words() or "—"

    return [fit_line, _line("fit_moved", "  what moved it", rows, moved)]


def not_asked_line(rows: Sequence[Row], hint: str = "") -> CompareLine:
    """The fit line before the patient has said what matters: no score, no star; `hint`
    (a face's own way to say it, such as the app's key) in brackets after the words."""
    text = f"{labels.NOT_ASKED} ({hint})" if hint else labels.NOT_ASKED
    return CompareLine("fit", "Fit for you", tuple(CompareCell(text) for _ in rows))


def comparison(
    rows: Sequence[Row], profile: Profile, weights: Weights | None = None
) -> list[CompareLine]:
    """The attribute lines for `rows`, in the order given; with `weights`, the fit lines
    come first (what matters to the patient leads)."""
    years = profile.years
    span = "1 year" if years == 1 else f"{years} years"
    lines = _fit_lines(rows, weights) if weights is not None else []
    lines += _benefit_lines(rows, profile)
    lines += _therapy_lines(rows, span)
    if profile.payer is not None:
        lines += _plan_lines(rows, years, span)
    lines += _evidence_lines(rows)
    return lines


def helped_text(row: Row, condition: str | None) -> str:
    """How many in 100 were helped, against the comparator, in words; "not known" when the
    data has no figure (never filled in)."""
    found = row.benefit
    if found is None:
        return "not known for this condition" if condition is not None else "choose a condition"
    if found.with_therapy is None:
        return "not known (see what trials found)"
    text = f"about {labels.in_hundred(found.with_therapy)} in 100"
    if found.with_comparator is not None:
        text += (
            f" ({labels.in_hundred(found.with_comparator)} in 100 with "
            f"{found.comparator or 'the comparator'})"
        )
    return text


def _difference_rank(row: Row) -> Any:
    difference = None if row.benefit is None else row.benefit.difference
    return None if difference is None else -difference


def money_buys(row: Row) -> str:
    """What the patient's money buys, where both are known and the benefit is positive:
    the figure beside "N more in 100 were helped than with …", each with its own time (the
    horizon's cost, the trials' time frame: a 5-year cost is not a 5-year benefit), never as a
    promise."""
    found = row.benefit
    difference = None if found is None else found.difference
    if found is None or difference is None or difference <= 0 or row.your_cost is None:
        return "—"
    years = max(len(row.cost.years), len(row.cost.cash_years), 1)
    span = labels.over_horizon(years)
    # The patient's figure as every face writes it: `?` and both outcomes when coverage is
    # unknown, `~` when it rests on an assumption (never a lone midpoint).
    paid = (
        figures.you_pay_figure(row.cost)
        if row.cost.status is not None
        else figures.money_figure(row.cost.cash_total, row.cost)
    )
    return (
        f"you pay {paid} {span}; in trials about "
        f"{labels.in_hundred(difference)} more in 100 were helped than with "
        f"{found.comparator or 'the comparator'}, {found.timeframe}: a chance, not a promise"
    )


def _benefit_lines(rows: Sequence[Row], profile: Profile) -> list[CompareLine]:
    """How likely it is to help (IPDAS: the same measure and time frame wherever the data
    allows, each named), what was measured, what the trials found, and what the money buys."""
    condition = profile.condition

    def measured(row: Row) -> str:
        found = row.benefit
        return "—" if found is None else f"{found.measure}, {found.timeframe}"

    def finding(row: Row) -> str:
        return "—" if row.benefit is None else row.benefit.finding

    # ★ only where the figures measure one thing against one comparator at one time: then
    # the most helped beyond the comparator is the best; otherwise no star (IPDAS).
    found = [r.benefit for r in rows if r.benefit is not None]
    alike = len({(b.measure, b.timeframe, b.comparator) for b in found}) == 1
    lines = [
        _line(
            "helped",
            "Helped (what, when)" if not alike else "Helped (★ most beyond the comparator)",
            rows,
            lambda r: helped_text(r, condition),
            _difference_rank if alike else None,
        )
    ]
    if any(r.benefit is not None for r in rows):
        lines.append(_line("helped_measure", "  measured as", rows, measured))
        lines.append(_line("helped_finding", "  what trials found", rows, finding))
    if any(money_buys(r) != "—" for r in rows):
        lines.append(_line("money_buys", "  for the money", rows, money_buys))
    return lines


def _therapy_lines(rows: Sequence[Row], span: str) -> list[CompareLine]:
    """What the therapy is and asks of the patient, and its cash cost."""
    return [
        _line("category", "Category", rows, lambda r: labels.CATEGORY[r.therapy.category]),
        _line(
            "invasiveness",
            "Invasiveness",
            rows,
            lambda r: labels.INVASIVENESS[r.therapy.invasiveness],
            SORT_KEYS["invasiveness"],
        ),
        _line(
            "anesthesia",
            "Anesthesia",
            rows,
            lambda r: labels.ANESTHESIA[r.therapy.anesthesia],
            lambda r: list(labels.ANESTHESIA).index(r.therapy.anesthesia),
        ),
        _line(
            "downtime",
            labels.DOWNTIME,
            rows,
            lambda r: labels.days_range(
                r.therapy.recovery.downtime_days.min, r.therapy.recovery.downtime_days.max, "days"
            ),
            lambda r: _days_key(*_bounds(r.therapy.recovery.downtime_days)),
        ),
        _line(
            "full_weeks",
            labels.FULL_EFFECT,
            rows,
            lambda r: labels.days_range(
                r.therapy.recovery.full_weeks.min, r.therapy.recovery.full_weeks.max, "weeks"
            ),
            lambda r: _days_key(*_bounds(r.therapy.recovery.full_weeks)),
        ),
        _line(
            "cost",
            f"Cash cost, {span}",
            rows,
            lambda r: figures.money_figure(r.cost.cash_total, r.cost, wrap=True),
            lambda r: _range_key(r.cost.cash_total),
        ),
    ]


def _plan_lines(rows: Sequence[Row], years: int, span: str) -> list[CompareLine]:
    """What the patient pays under the plan, cash or plan, coverage and policy."""
    lines: list[CompareLine] = []
    if years > 1:
        lines.append(
            _line(
                "patient_year1",
                "You pay, year 1",
                rows,
                lambda r: figures.year1_figure(r.cost, wrap=True),
                lambda r: _range_key(r.cost.years[0].patient) if r.cost.years else None,
            )
        )
    lines.append(
        _line(
            "patient_cost",
            f"You pay, {span}",
            rows,
            lambda r: figures.you_pay_figure(r.cost, wrap=True),
            lambda r: _range_key(r.cost.patient_total),
        )
    )
    if any(r.cost.unknown for r in rows):
        lines += _unknown_lines(rows, span)
    lines.append(
        _line(
            "cash_or_plan",
            "Cash or plan",
            rows,
            lambda r: cash_or_plan.compare(r.cost).sentence,
        )
    )
    lines.append(
        _line(
            "coverage",
            "Coverage",
            rows,
            lambda r: figures.coverage_label(r.cost),
            SORT_KEYS["coverage"],
        )
    )
    lines.append(
        _line(
            "policy",
            "Policy",
            rows,
            lambda r: r.cost.rule.policy if r.cost.rule and r.cost.rule.policy else "—",
        )
    )
    return lines


def _evidence_lines(rows: Sequence[Row]) -> list[CompareLine]:
    """Evidence, FDA status, dependency risk, warnings, ethics and data confidence."""
    return [
        _line(
            "evidence",
            "Evidence",
            rows,
            lambda r: labels.EVIDENCE[r.evidence],
            SORT_KEYS["evidence"],
        ),
        _line("regulatory", "FDA status", rows, lambda r: labels.REGULATORY[r.therapy.regulatory]),
        _line(
            "dependency_risk",
            "Dependency risk",
            rows,
            lambda r: labels.DEPENDENCY[r.therapy.dependency_risk],
            lambda r: list(labels.DEPENDENCY).index(r.therapy.dependency_risk),
        ),
        _line(
            "warnings",
            "Official warnings",
            rows,
            lambda r: labels.count_of(len(r.therapy.warnings), "warning"),
            lambda r: len(r.therapy.warnings),
        ),
        _line(
            "ethics",
            "Ethics to know",
            rows,
            lambda r: labels.count_of(len(r.therapy.ethics), "point"),
        ),
        _line(
            "confidence",
            "Data confidence",
            rows,
            lambda r: r.therapy.confidence.value if r.therapy.confidence else "not stated",
        ),
    ]
