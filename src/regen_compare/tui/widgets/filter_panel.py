"""The profile and filter form: who the patient is, and what narrows the list.

The panel only shows values and reports that something changed; `read` turns the form into
a `Profile` and `Filters`, keeping the last good value of any field that does not parse. A
field that does not parse says why in words on the line under it, and which value the figures
still use — visible without a mouse and without colour. An amount met above the plan's own
deductible or cap is accepted and a note under it says it counts as met in full. Data names
(conditions, payers) are given to the Selects as `Text`, never as markup.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select
from textual.widgets.select import InvalidSelectValueError

from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import MAX_YEARS, Profile
from regen_compare.engine.fit.score import BALANCED, Criterion, Weights
from regen_compare.engine.fit.weights import MAX_WEIGHT
from regen_compare.engine.query import Filters
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import MAX_MONEY, Category, Invasiveness
from regen_compare.model.limits import MAX_DOWNTIME_DAYS, MIN_YEARS
from regen_compare.model.money import format_usd
from regen_compare.model.text import display_safe
from regen_compare.tui.widgets.switch_box import SwitchBox

_NUMBER_IDS = ("deductible-met", "oop-met", "years", "max-cost", "max-downtime")
WEIGHTS_NOT_ASKED = "Not asked yet: no fit is shown until the patient says what matters."
WEIGHTS_ASKED = "Set: the fit column and ★ follow these."


class FieldError(ValueError):
    pass


def parse_amount(
    text: str, *, blank: Decimal | None, maximum: Decimal = MAX_MONEY
) -> Decimal | None:
    """A non-negative amount typed by a person; `blank` when the field is empty."""
    text = text.strip().replace(",", "").lstrip("$")
    if not text:
        return blank
    if any(ch in text for ch in "eE"):
        raise FieldError("use digits, not 1e5")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldError("not a number") from None
    if not value.is_finite():
        raise FieldError("not a number")
    if value < 0:
        raise FieldError("must not be negative")
    if value > maximum:
        raise FieldError(f"must be at most {maximum:,}")
    return value


def parse_years(text: str) -> int:
    text = text.strip()
    if not text:
        return 1
    if not text.isdigit() or not MIN_YEARS <= int(text) <= MAX_YEARS:
        raise FieldError(f"must be a whole number of years from {MIN_YEARS} to {MAX_YEARS}")
    return int(text)


def _amount_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}"


FOCUS_MARK = "▶ "
"""Before the label of the field that has the focus."""


class FilterPanel(VerticalScroll, can_focus=False):
    """Condition, payer, amounts met, horizon, and the filters (search sits above the table)."""

    class Changed(Message):
        """Some field changed; read the panel to get the new profile and filters."""

        def __init__(self, weights: bool = False, explicit: bool = False) -> None:
            super().__init__()
            self.weights = weights
            """A weight select changed (the patient said what matters, if its value did)."""
            self.explicit = explicit
            """The patient chose the balanced weights on purpose ("All matter equally")."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._catalog: Catalog | None = None
        self._regions: RegionSet | None = None
        self._state = "empty"
        """"empty" → "building" → "ready": the fields are built once the panel is seen."""
        self._pending: tuple[Any, ...] | None = None
        """What `show` was given before the fields existed."""
        self._focus_when_ready: str | None = None
        self._labels: dict[str, tuple[Label, str]] = {}
        self._weights_asked = False
        """Field id → the label above it and its words (the focused field's gets ▶)."""

    # --- building: after the table is on screen ---------------------------------------------

    def on_show(self) -> None:
        """The fields (ten selects, five inputs, their labels) cost more to build than the
        rest of the main screen together: they are built the first time the panel is seen,
        one frame after it, so the table is never kept waiting (and, on a narrow terminal
        where the panel starts closed, not before the panel is opened)."""
        if self._state == "empty":
            self._state = "building"
            self.call_after_refresh(self._build)

    async def _build(self) -> None:
        await self.mount_all(list(self._fields()))
        self._state = "ready"
        if self._pending is not None:
            self.show(*self._pending)
            self._pending = None
        self._focus_pending()

    @property
    def ready(self) -> bool:
        """The fields exist (tests wait for this before they read the form)."""
        return self._state == "ready"

    def focus_first(self) -> None:
        """Focus the first field, now or as soon as the fields are built."""
        self.focus_field("condition")

    def focus_field(self, field: str) -> None:
        """Focus one field by its id, now or as soon as the fields are built."""
        self._focus_when_ready = field
        if self._state == "ready":
            self._focus_pending()

    def _focus_pending(self) -> None:
        field, self._focus_when_ready = self._focus_when_ready, None
        if not field:
            return
        widget = self.query_one(f"#{field}")
        # The first field is shown from the panel's top: centring it would scroll the
        # heading and its label out of sight.
        widget.focus(scroll_visible=field != "condition")

    def _field_label(self, text: str, field: str) -> Label:
        label = Label(text, classes="field-label")
        self._labels[field] = (label, text)
        return label

    def _typed_field(
        self, text: str, field: str, placeholder: str, kind: Literal["number", "integer"]
    ) -> ComposeResult:
        """A field a person types a figure into: its label, the box, the line under it that
        says why what was typed was not taken (`_message`)."""
        yield self._field_label(text, field)
        yield Input(placeholder=placeholder, id=field, type=kind, compact=True)
        yield Label("", id=f"{field}-msg", classes="field-msg")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field's label starts with ▶: focus is seen without colour (NO_COLOR,
        a monochrome terminal), not only as a change of background."""
        self._mark_focus(event.widget.id, FOCUS_MARK)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_focus(event.widget.id, "")

    def _mark_focus(self, field: str | None, mark: str) -> None:
        found = self._labels.get(field or "")
        if found is not None:
            label, text = found
            label.update(mark + text)

    def _fields(self) -> ComposeResult:
        yield Label("Patient", classes="panel-heading")
        yield self._field_label("Condition", "condition")
        yield Select[str]([], prompt="Any condition", id="condition", compact=True)
        yield self._field_label("Plan", "payer")
        yield Select[str]([], prompt="No plan (cash prices)", id="payer", compact=True)
        yield self._field_label("Supplement (after the plan)", "supplement")
        yield Select[str]([], prompt="None", id="supplement", compact=True)
        yield Label("What matters to you (0–3)", classes="panel-heading group")
        yield Label(Text(self._weights_words()), id="weights-state", classes="panel-note")
        for criterion in Criterion:
            yield self._field_label(criterion.label, f"weight-{criterion.value}")
            yield Select[int](
                [(_weight_word(n), n) for n in range(MAX_WEIGHT + 1)],
                value=BALANCED.of(criterion),
                allow_blank=False,
                id=f"weight-{criterion.value}",
                compact=True,
            )
        yield Button("All matter equally", id="weights-balanced", compact=True)
        yield Label("More about the patient", classes="panel-heading group")
        yield from self._typed_field("Deductible met $", "deductible-met", "0", "number")
        yield from self._typed_field("Out-of-pocket met $", "oop-met", "0", "number")
        yield from self._typed_field("Horizon (years)", "years", "1", "integer")
        yield self._field_label("Where you live", "region")
        yield Select[str]([], prompt="Not chosen (national)", id="region", compact=True)
        yield Label("Filters", classes="panel-heading group")
        yield self._field_label("Category", "category")
        yield Select[str](
            [(labels.CATEGORY[c], c.value) for c in Category],
            prompt="Any category",
            id="category",
            compact=True,
        )
        yield self._field_label("Max invasiveness", "invasiveness")
        yield Select[str](
            [(labels.INVASIVENESS_SHORT[i], i.value) for i in Invasiveness],
            prompt="Any",
            id="invasiveness",
            compact=True,
        )
        yield from self._typed_field("Max you pay $", "max-cost", "any", "number")
        yield from self._typed_field("Max downtime (days)", "max-downtime", "any", "number")
        yield SwitchBox("Covered only", id="covered-only")

    # --- showing ----------------------------------------------------------------------------

    def show(
        self,
        catalog: Catalog | None,
        profile: Profile,
        filters: Filters,
        weights: Weights = BALANCED,
        regions: RegionSet | None = None,
    ) -> None:
        """Put `profile`, `filters` and `weights` into the form without reporting them as
        changes (before the fields are built: once they are)."""
        self._catalog = catalog
        if self._state != "ready":
            self._pending = (catalog, profile, filters, weights, regions)
            return
        with self.prevent(Select.Changed, Input.Changed, Checkbox.Changed):
            region = self.query_one("#region", Select)
            if regions is not None and regions is not self._regions:
                region.set_options(
                    (Text(f"{r.code} {display_safe(r.name)}"), r.code)
                    for r in sorted(regions.regions.values(), key=lambda r: r.code)
                )
            self._regions = regions
            region.disabled = regions is None
            _select(region, profile.region)
            for criterion in Criterion:
                self.query_one(f"#weight-{criterion.value}", Select).value = weights.of(criterion)
            condition = self.query_one("#condition", Select)
            payer = self.query_one("#payer", Select)
            if catalog is not None:
                condition.set_options(
                    (Text(display_safe(c.name)), cid) for cid, c in catalog.conditions.items()
                )
                payer.set_options(
                    (Text(display_safe(name)), pid)
                    for pid, name in catalog.names_of_payers().items()
                )
            _select(condition, profile.condition)
            _select(payer, profile.payer)
            self._show_supplements(profile.payer, profile.supplement)
            _select(
                self.query_one("#category", Select),
                filters.category.value if filters.category else None,
            )
            _select(
                self.query_one("#invasiveness", Select),
                filters.max_invasiveness.value if filters.max_invasiveness else None,
            )
            met = profile.deductible_met
            self._set_input("deductible-met", "" if not met else _amount_text(met))
            oop = profile.oop_met
            self._set_input("oop-met", "" if not oop else _amount_text(oop))
            self._set_input("years", "" if profile.years == 1 else str(profile.years))
            self._set_input("max-cost", _amount_text(filters.max_patient_cost))
            self._set_input("max-downtime", _amount_text(filters.max_downtime_days))
            covered = self.query_one("#covered-only", Checkbox)
            covered.value = filters.covered_only

    def _set_input(self, field: str, text: str) -> None:
        widget = self.query_one(f"#{field}", Input)
        if widget.value != text:
            widget.value = text
        self._message(field, None)

    def _message(self, field: str, text: str | None, *, error: bool = False) -> None:
        """The words under a field: why it was not taken (and what is used instead), or a
        note on how it was read. `⚠` marks an error without colour."""
        widget = self.query_one(f"#{field}", Input)
        widget.set_class(error, "-invalid")
        label = self.query_one(f"#{field}-msg", Label)
        label.set_class(bool(text), "-shown")
        label.update(Text(("⚠ " if error else "ℹ ") + text if text else ""))

    def message_text(self, field: str) -> str:
        """What the line under `field` says now ("" when nothing): for tests."""
        label = self.query_one(f"#{field}-msg", Label)
        content = label.content
        return content.plain if isinstance(content, Text) else str(content)

    # --- reading ----------------------------------------------------------------------------

    def read(self, profile: Profile, filters: Filters) -> tuple[Profile, Filters]:
        """The form as a profile and filters; a field that does not parse keeps its old value."""
        return self._read_profile(profile), self._read_filters(filters)

    def _number(
        self,
        field: str,
        blank: Decimal | None,
        old: Decimal | None,
        *,
        kept: str,
        maximum: Decimal = MAX_MONEY,
    ) -> Decimal | None:
        """One amount field: its value, or `old` with the reason under the field."""
        widget = self.query_one(f"#{field}", Input)
        try:
            value = parse_amount(widget.value, blank=blank, maximum=maximum)
        except FieldError as exc:
            self._message(field, f"{exc}; {kept}", error=True)
            return old
        self._message(field, None)
        return value

    def _read_profile(self, profile: Profile) -> Profile:
        years_input = self.query_one("#years", Input)
        try:
            years = parse_years(years_input.value)
            self._message("years", None)
        except FieldError as exc:
            years = profile.years
            self._message("years", f"{exc}; figures still use {years}", error=True)
        payer_id = _value(self.query_one("#payer", Select))
        deductible_met = self._number(
            "deductible-met",
            Decimal(0),
            profile.deductible_met,
            kept=f"figures still use {format_usd(profile.deductible_met)}",
        )
        oop_met = self._number(
            "oop-met",
            Decimal(0),
            profile.oop_met,
            kept=f"figures still use {format_usd(profile.oop_met)}",
        )
        self._note_above_plan(payer_id, deductible_met, oop_met)
        supplement = _value(self.query_one("#supplement", Select))
        catalog = self._catalog
        if catalog is not None and not any(
            s.id == supplement for s in catalog.supplements_for(payer_id)
        ):
            supplement = None  # it pays after another plan
        # `replace`: what the panel does not show (units set in the consult) is kept.
        return replace(
            profile,
            condition=_value(self.query_one("#condition", Select)),
            payer=payer_id,
            deductible_met=deductible_met if deductible_met is not None else Decimal(0),
            oop_met=oop_met if oop_met is not None else Decimal(0),
            years=years,
            region=_value(self.query_one("#region", Select)),
            supplement=supplement,
        )

    def _read_filters(self, filters: Filters) -> Filters:
        category = _value(self.query_one("#category", Select))
        invasive = _value(self.query_one("#invasiveness", Select))
        unchanged = "the filter is unchanged"
        return Filters(
            category=Category(category) if category else None,
            max_invasiveness=Invasiveness(invasive) if invasive else None,
            max_patient_cost=self._number(
                "max-cost", None, filters.max_patient_cost, kept=unchanged
            ),
            max_downtime_days=self._number(
                "max-downtime",
                None,
                filters.max_downtime_days,
                maximum=MAX_DOWNTIME_DAYS,
                kept=unchanged,
            ),
            covered_only=self.query_one("#covered-only", Checkbox).value,
            search=filters.search,
        )

    def read_weights(self) -> Weights:
        """What matters to the patient, as set in the form (0–3 per criterion)."""
        values = {}
        for criterion in Criterion:
            value = self.query_one(f"#weight-{criterion.value}", Select).value
            values[criterion.value] = value if isinstance(value, int) else BALANCED.of(criterion)
        return Weights.from_mapping(values)

    def _note_above_plan(
        self, payer_id: str | None, deductible_met: Decimal | None, oop_met: Decimal | None
    ) -> None:
        """Amounts met above the plan's own deductible or cap are accepted: the figures count
        them as met in full, and the note says so (a counselor may have typed a total)."""
        payer = self._catalog.payers.get(payer_id) if self._catalog and payer_id else None
        if payer is None:
            return
        if deductible_met is not None and deductible_met > payer.deductible:
            self._message(
                "deductible-met",
                f"above the plan's {format_usd(payer.deductible)} deductible: counted as met "
                "in full",
            )
        if payer.oop_max is not None and oop_met is not None and oop_met > payer.oop_max:
            self._message(
                "oop-met",
                f"above the plan's {format_usd(payer.oop_max)} yearly cap: counted as reached",
            )

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        weight = (event.select.id or "").startswith("weight-")
        if event.select.id == "payer":
            self._show_supplements(_value(event.select), None)
        self.post_message(self.Changed(weights=weight))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """ "All matter equally": the balanced weights, chosen on purpose."""
        if event.button.id != "weights-balanced":
            return
        event.stop()
        with self.prevent(Select.Changed):
            for criterion in Criterion:
                self.query_one(f"#weight-{criterion.value}", Select).value = BALANCED.of(criterion)
        self.post_message(self.Changed(weights=True, explicit=True))

    def show_weights_asked(self, asked: bool) -> None:
        """Say whether the patient has said what matters (in words, not colour), now or
        once the fields are built."""
        self._weights_asked = asked
        if self._state == "ready":
            self.query_one("#weights-state", Label).update(Text(self._weights_words()))

    def _weights_words(self) -> str:
        return WEIGHTS_ASKED if self._weights_asked else WEIGHTS_NOT_ASKED

    def _show_supplements(self, payer: str | None, chosen: str | None) -> None:
        """The supplements that pay after this plan (none without one)."""
        select = self.query_one("#supplement", Select)
        catalog = self._catalog
        found = catalog.supplements_for(payer) if catalog is not None else []
        with self.prevent(Select.Changed):
            select.set_options((Text(display_safe(s.name)), s.id) for s in found)
            _select(select, chosen if any(s.id == chosen for s in found) else None)
        select.disabled = not found

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in _NUMBER_IDS:
            event.stop()
            self.post_message(self.Changed())

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.Changed())


def _weight_word(weight: int) -> str:
    return {0: "0 does not matter", 1: "1 a little", 2: "2 matters", 3: "3 matters most"}[weight]


def _value(select: Select[Any]) -> str | None:
    value = select.value
    return value if isinstance(value, str) else None


def _select(select: Select[Any], value: str | None) -> None:
    if value is None:
        select.clear()
        return
    try:
        select.value = value
    except InvalidSelectValueError:  # an option that vanished in a reload
        select.clear()
