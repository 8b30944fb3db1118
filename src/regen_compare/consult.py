"""One consult: who the patient is, what narrows the list, the sort, the marks and what
matters to them, with every action a screen can ask for. No Textual here.

`Session` is the consult's state as one immutable value, so "new patient" is one assignment
and a saved scenario is a copy of it. `Consult` holds the session with the loaded data (the
catalog and, when `data/regions.toml` exists, the regions) and the rows priced for the
session's profile. It reprices when the profile (plan, condition, amounts met, horizon,
region) changes and only re-scores the fit (`query.with_fit`) when only the weights change.
Every change is reported to one listener (`on_change`) with its origin, so the TUI repaints
and the widget that made the change is not overwritten mid-typing.

Screens and flows send intents (`set_filters`, `toggle_mark`, `usual_care`, `clear`, …);
actions that have something to tell the user return it as a sentence, never notify
themselves. Nothing about a patient is written to disk here (see README.md, "A consult in
the app"). The layers are described in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import Profile, UnitsChoice
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.engine.query import (
    Filters,
    Keyed,
    Row,
    build_rows,
    keyed_rows,
    match_rank,
    matcher,
    ordered,
    with_fit,
)
from regen_compare.model.catalog import Catalog
from regen_compare.model.limits import MAX_MARKS
from regen_compare.model.text import display_safe

__all__ = [
    "BACKGROUND_ROWS",
    "MAX_MARKS",
    "Change",
    "Consult",
    "Priced",
    "Runner",
    "Session",
    "price",
]


@dataclass(frozen=True)
class Session:
    """The consult's state: everything "new patient" resets, nothing else."""

    profile: Profile = field(default_factory=Profile)
    filters: Filters = field(default_factory=Filters)
    sort_key: str = "name"
    descending: bool = False
    marks: tuple[str, ...] = ()
    weights: Weights = BALANCED
    """What matters to the patient (the fit column, the detail pane, the side-by-side)."""
    weights_asked: bool = False
    """The patient said what matters (or chose the balanced weights on purpose): until then
    no fit or ★ "best fit" is shown, since nobody set the weights it would rest on."""

    def with_sort(self, key: str) -> Session:
        """Sort by `key`; asking for the current key again flips the direction."""
        if key == self.sort_key:
            return replace(self, descending=not self.descending)
        return replace(self, sort_key=key, descending=False)


@dataclass(frozen=True)
class Change:
    """What the listener hears: where the change came from (so the widget that made it is not
    overwritten mid-typing) and whether the data itself changed (new options for the form)."""

    origin: str = ""
    data: bool = False
    priced: bool = False
    """New prices arrived from the background (the change itself was heard before)."""


# --- pure rules (kept as functions: tested without a consult) ------------------------------


@dataclass(frozen=True)
class MarkChange:
    """The outcome of a mark request, with a sentence for the user."""

    marks: tuple[str, ...]
    message: str | None = None
    refused: bool = False


def toggle_mark(marks: tuple[str, ...], therapy_id: str) -> MarkChange:
    if therapy_id in marks:
        return MarkChange(tuple(m for m in marks if m != therapy_id))
    if len(marks) >= MAX_MARKS:
        return MarkChange(
            marks,
            f"At most {MAX_MARKS} therapies can be compared; unmark one first.",
            refused=True,
        )
    return MarkChange((*marks, therapy_id))


@dataclass(frozen=True)
class UsualCareChange:
    marks: tuple[str, ...]
    added: tuple[str, ...]
    left_out: tuple[str, ...]
    """Usual-care therapies that did not fit under the mark limit."""
    already: tuple[str, ...] = ()
    """Usual-care therapies that were marked before."""


def add_usual_care(
    marks: tuple[str, ...], catalog: Catalog, condition: str | None
) -> UsualCareChange | None:
    """Add the condition's usual traditional care, in the data's order, up to the limit.

    None when no condition is chosen (there is no "usual" without one).
    """
    if condition is None or condition not in catalog.conditions:
        return None
    usual = [t for t in catalog.conditions[condition].usual_care if t in catalog.therapies]
    wanted = [t for t in usual if t not in marks]
    room = max(0, MAX_MARKS - len(marks))
    added = tuple(wanted[:room])
    already = tuple(t for t in usual if t in marks)
    return UsualCareChange((*marks, *added), added, tuple(wanted[room:]), already)


def usual_care_message(change: UsualCareChange, catalog: Catalog) -> str:
    """One sentence naming what was added and what was left out (by name, never a bare
    count); "already marked" only when nothing is left out."""

    def names(ids: Iterable[str]) -> str:
        return ", ".join(display_safe(catalog.therapies[t].name) for t in ids)

    if change.added:
        message = "Added usual care: " + names(change.added) + "."
    elif change.left_out:
        message = f"No room for the usual care: {MAX_MARKS} therapies are marked already."
    else:
        message = "The usual care for this condition is already marked."
    if change.left_out:
        message += (
            f" Left out (at most {MAX_MARKS} marks; unmark one to add it): "
            + names(change.left_out)
            + "."
        )
    return message


def prune_marks(marks: Iterable[str], catalog: Catalog) -> tuple[str, ...]:
    """Marks that still name a therapy after a reload (a removed therapy drops out)."""
    return tuple(m for m in marks if m in catalog.therapies)


def fit_profile_to_data(
    profile: Profile, catalog: Catalog, regions: RegionSet | None, *, check_region: bool = True
) -> tuple[Profile, list[str]]:
    """`profile` without what `catalog` (and `regions`, with `check_region`) no longer has —
    the condition, the plan, the region, a supplement that is gone or no longer pays after
    the plan, units set for a therapy that is gone — and a phrase naming each dropped item
    (`condition 'knee'`). One rule for a reload, a saved scenario and the command line."""
    dropped: list[str] = []
    changes: dict[str, Any] = {}
    if profile.condition is not None and profile.condition not in catalog.conditions:
        dropped.append(f"condition '{display_safe(profile.condition)}'")
        changes["condition"] = None
    payer = profile.payer if profile.payer in catalog.payers else None
    if profile.payer is not None and payer is None:
        dropped.append(f"payer '{display_safe(profile.payer)}'")
        changes["payer"] = None
    if check_region and profile.region is not None and not _has_region(regions, profile.region):
        dropped.append(f"region '{display_safe(profile.region)}'")
        changes["region"] = None
    offered = {s.id for s in catalog.supplements_for(payer)}
    if profile.supplement is not None and profile.supplement not in offered:
        dropped.append(f"supplement '{display_safe(profile.supplement)}'")
        changes["supplement"] = None
    units = tuple(u for u in profile.units if u.therapy in catalog.therapies)
    for gone in profile.units:
        if gone not in units:
            dropped.append(f"the units set for '{display_safe(gone.therapy)}'")
    if len(units) != len(profile.units):
        changes["units"] = units
    return (replace(profile, **changes) if changes else profile), dropped


def _has_region(regions: RegionSet | None, code: str | None) -> bool:
    """No region chosen, or one the regions data has."""
    return code is None or (regions is not None and code in regions.regions)


def price(
    catalog: Catalog | None,
    profile: Profile,
    weights: Weights | None,
    regions: RegionSet | None = None,
) -> list[Row]:
    """Every therapy priced for `profile` (with `regions` when it names one) and scored
    under `weights` (None: not scored, the patient has not said what matters). A region the
    regions data does not have (or no regions data) prices nationally: the profile is
    checked by `Consult.load` before this is called."""
    if catalog is None:
        return []
    if not _has_region(regions, profile.region):
        profile = replace(profile, region=None)
    return build_rows(catalog, profile, regions=regions, weights=weights)


# --- the consult ---------------------------------------------------------------------------


Listener = Callable[[Change], None]
Runner = Callable[[Callable[[], list[Row]], Callable[[list[Row]], bool]], None]
"""Runs the first callable off the event loop, then hands its rows to the second on the loop
(which says whether they were still wanted). The TUI gives a thread worker."""
BACKGROUND_ROWS = 2000
"""From this many rows, repricing and re-scoring run through the `Runner` (a weight change at
10,000 therapies is ~0.2 s of scoring and ~0.2 s of display cells)."""


@dataclass(frozen=True)
class Priced:
    """Rows priced for one profile and weights (built off the event loop by the TUI)."""

    profile: Profile
    weights: Weights | None
    """What the fit was scored under (None: not scored, see `scoring`)."""
    rows: list[Row]


def scoring(session: Session) -> Weights | None:
    """The weights rows are scored under: the session's once the patient has said what
    matters, else none. A fit nobody asked for is never computed, shown or sorted by."""
    return session.weights if session.weights_asked else None


class Consult:
    """The consult's state and actions (see the module docstring)."""

    def __init__(
        self,
        session: Session | None = None,
        *,
        on_change: Listener | None = None,
        scenario_name: str | None = None,
        background: Runner | None = None,
    ) -> None:
        self.session = session or Session()
        self.session = replace(self.session, marks=self.session.marks[:MAX_MARKS])
        self.catalog: Catalog | None = None
        self.regions: RegionSet | None = None
        """The regions data, or None when `data/regions.toml` is missing (no region picker)."""
        self.rows: list[Row] = []
        self.row_by_id: dict[str, Row] = {}
        self.scenario_name = scenario_name
        """The saved scenario last opened or saved (the default name for the next save)."""
        self._priced_for: tuple[Profile, Weights | None] | None = None
        self._sorted: list[Row] = []
        self._sorted_key: tuple[str, bool, int] | None = None
        self._keyed: dict[str, Keyed] = {}
        """Each sort key's values for the current rows (`query.keyed_rows`)."""
        self._generation = 0
        """Counts pricings, so the sorted list is rebuilt exactly when the rows change."""
        self._listener = on_change
        self._background = background
        self.pending: tuple[Profile, Weights | None] | None = None
        """The profile and weights being priced in the background; None when rows are current."""
        self._visible: tuple[tuple[int, Filters, str | None], Sequence[Row], list[Row]] | None = (
            None
        )
        """The last `visible_rows`: for which sorted list, filters and condition."""

    # --- data ------------------------------------------------------------------------------

    def load(
        self,
        catalog: Catalog,
        regions: RegionSet | None = None,
        priced: Priced | None = None,
    ) -> list[str]:
        """Take freshly loaded data; drop what it no longer has (`fit_profile_to_data`, and
        marks) and return what was dropped, as phrases for the user. `priced`: rows already
        priced off the event loop, used when they are for the current profile and weights."""
        self.catalog = catalog
        self.regions = regions
        profile, fixes = fit_profile_to_data(self.session.profile, catalog, regions)
        marks = prune_marks(self.session.marks, catalog)
        self.session = replace(self.session, profile=profile, marks=marks)
        self.pending = None
        self._reprice(priced)
        self._emit(Change(data=True))
        return fixes

    def priced_for_now(self) -> tuple[Profile, Weights | None]:
        """What a background pricing must match to be used (`load(..., priced=)`)."""
        return self.session.profile, scoring(self.session)

    def _reprice(self, priced: Priced | None = None) -> None:
        s = self.session
        if priced is not None and (priced.profile, priced.weights) == (s.profile, scoring(s)):
            rows = priced.rows
        else:
            rows = price(self.catalog, s.profile, scoring(s), self.regions)
        self._set_rows(rows)

    def _set_rows(self, rows: list[Row]) -> None:
        self.rows = rows
        self._keyed = {}
        self._generation += 1
        self.row_by_id = {r.id: r for r in rows}
        self._priced_for = (self.session.profile, scoring(self.session))

    # --- the one way state changes ---------------------------------------------------------

    def update(self, session: Session, origin: str = "") -> bool:
        """Replace the session; reprice when the profile changed, re-score the fit when only
        what it is scored under did (`scoring`: the weights, or whether they were asked).
        False when nothing changed (no listener call)."""
        if session == self.session:
            return False
        old = self.session
        self.session = session
        priced_for = self._priced_for[0] if self._priced_for is not None else None
        if session.profile != old.profile or (
            scoring(session) != scoring(old) and priced_for != session.profile
        ):
            # A new profile; or only the scoring changed while the rows on hand are another
            # profile's (a pricing still running in the background): price afresh.
            catalog, regions = self.catalog, self.regions
            weights = scoring(session)
            self._recompute(lambda: price(catalog, session.profile, weights, regions), origin)
        elif scoring(session) != scoring(old):
            rows, weights = self.rows, scoring(session)
            self._recompute(lambda: with_fit(rows, weights), origin)
        self._emit(Change(origin))
        return True

    def _recompute(self, compute: Callable[[], list[Row]], origin: str) -> None:
        """New rows for the session: here, or through the runner for large data (the old rows
        stay on screen meanwhile; a result overtaken by a newer change is dropped)."""
        if self._background is None or len(self.rows) < BACKGROUND_ROWS:
            self.pending = None
            self._set_rows(compute())
            return
        wanted = (self.session.profile, scoring(self.session))
        self.pending = wanted
        sort_key, descending = self.session.sort_key, self.session.descending
        keyed: list[Keyed] = []
        in_order: list[list[Row]] = []

        def compute_and_order() -> list[Row]:
            # The session's order too, off the loop (a sort of 10,000 rows takes tens of ms),
            # and its values kept for the next sort on the loop (`sorted_rows`).
            rows = compute()
            keyed.append(keyed_rows(rows, sort_key))
            in_order.append(ordered(keyed[0], descending))
            return rows

        def done(rows: list[Row]) -> bool:
            if self.pending != wanted:
                return False
            self.pending = None
            self._set_rows(rows)
            if in_order:  # still right if the sort changed meanwhile: the key says which
                self._keyed[sort_key] = keyed[0]
                self._sorted, self._sorted_key = (
                    in_order[0],
                    (sort_key, descending, self._generation),
                )
            self._emit(Change(origin, priced=True))
            return True

        self._background(compute_and_order, done)

    def _emit(self, change: Change) -> None:
        if self._listener is not None:
            self._listener(change)

    # --- intents ---------------------------------------------------------------------------

    def set_profile(self, profile: Profile, origin: str = "") -> None:
        self.update(replace(self.session, profile=profile), origin)

    def set_filters(self, filters: Filters, origin: str = "") -> None:
        self.update(replace(self.session, filters=filters), origin)

    def set_form(
        self,
        profile: Profile,
        filters: Filters,
        weights: Weights,
        origin: str,
        weights_chosen: bool = False,
    ) -> None:
        """What the profile and filter panel reads, in one change (`weights_chosen`: the
        patient chose a weight, so what matters has been asked)."""
        asked = self.session.weights_asked or weights_chosen
        session = replace(
            self.session, profile=profile, filters=filters, weights=weights, weights_asked=asked
        )
        self.update(session, origin)

    def set_search(self, text: str) -> None:
        self.set_filters(replace(self.session.filters, search=text), "search")

    def set_condition(self, condition: str | None) -> str | None:
        """Choose the condition; a sentence naming the marked therapies it hides (they stay
        marked, and show again under a condition that lists them)."""
        self.set_profile(replace(self.session.profile, condition=condition))
        hidden = self.hidden_marks()
        if not hidden:
            return None
        names = ", ".join(self.name_of(t) for t in hidden)
        where = self.condition_name() or "this condition"
        return (
            f"Marked but not used for {where}, so left out of the list and the "
            f"side-by-side: {names}."
        )

    def set_payer(self, payer: str | None) -> None:
        self.set_profile(replace(self.session.profile, payer=payer))

    def set_region(self, region: str | None) -> str | None:
        """Choose where the patient lives; a sentence when that cannot be done."""
        if region is not None:
            if self.regions is None:
                return "No regions data (data/regions.toml): prices stay national."
            region = region.strip().upper()
            if region not in self.regions.regions:
                return f"Unknown region '{display_safe(region)}'."
        self.set_profile(replace(self.session.profile, region=region))
        return None

    def set_weights(self, weights: Weights, origin: str = "") -> None:
        """What matters to the patient; setting it (the balanced weights included) answers
        the question, so the fit is shown from then on."""
        self.update(replace(self.session, weights=weights, weights_asked=True), origin)

    def set_units(self, therapy_id: str, first_year: Decimal | None, later: Decimal | None) -> None:
        """The number of units the patient expects for one therapy (None, None: the data's
        figures again). Reprices."""
        profile = self.session.profile
        kept = tuple(u for u in profile.units if u.therapy != therapy_id)
        if first_year is not None:
            kept = (*kept, UnitsChoice(therapy_id, first_year, later))
        self.set_profile(replace(profile, units=kept))

    def set_supplement(self, supplement: str | None) -> None:
        self.set_profile(replace(self.session.profile, supplement=supplement))

    def set_sort(self, key: str) -> None:
        """Sort by `key`; the current key again reverses."""
        self.update(self.session.with_sort(key))

    def next_sort(self, keys: Sequence[str]) -> None:
        """The next of `keys` (the table's columns), ascending."""
        unique = list(dict.fromkeys(keys))
        current = unique.index(self.session.sort_key) if self.session.sort_key in unique else -1
        key = unique[(current + 1) % len(unique)]
        self.update(replace(self.session, sort_key=key, descending=False))

    def reverse_sort(self) -> None:
        self.update(replace(self.session, descending=not self.session.descending))

    def set_marks(self, marks: Iterable[str]) -> None:
        self.update(replace(self.session, marks=tuple(dict.fromkeys(marks))[:MAX_MARKS]))

    def toggle_mark(self, therapy_id: str) -> str | None:
        """Mark or unmark; a sentence when refused (the limit)."""
        change = toggle_mark(self.session.marks, therapy_id)
        self.update(replace(self.session, marks=change.marks))
        return change.message

    def clear_marks(self) -> None:
        self.update(replace(self.session, marks=()))

    def usual_care(self) -> str | None:
        """Mark the condition's usual traditional care; the sentence to show (None while
        there is no data)."""
        if self.catalog is None:
            return None
        change = add_usual_care(self.session.marks, self.catalog, self.session.profile.condition)
        if change is None:
            return "Choose a condition first: usual care depends on it."
        self.update(replace(self.session, marks=change.marks))
        return usual_care_message(change, self.catalog)

    def clear(self) -> None:
        """Between patients: profile, filters, sort, marks, weights and the scenario name."""
        self.scenario_name = None
        self.update(Session(), "clear")

    def open_scenario(
        self,
        profile: Profile,
        filters: Filters,
        marks: Sequence[str],
        weights: Weights | None = None,
        *,
        name: str | None = None,
    ) -> None:
        """Apply a saved scenario (checked against the data by the caller). Weights missing
        from an older scenario file are the balanced preset."""
        self.scenario_name = name
        self.update(
            replace(
                self.session,
                profile=profile,
                filters=filters,
                marks=tuple(marks)[:MAX_MARKS],
                weights=weights or BALANCED,
                weights_asked=weights is not None,
            )
        )

    # --- what is shown ---------------------------------------------------------------------

    def sorted_rows(self) -> list[Row]:
        """Every row in the session's order; sorted once per sort or pricing change."""
        s = self.session
        key = (s.sort_key, s.descending, self._generation)
        if self._sorted_key != key:
            keyed = self._keyed.get(s.sort_key)
            if keyed is None:  # per key, until the rows change: reversing reuses the values
                keyed = self._keyed[s.sort_key] = keyed_rows(self.rows, s.sort_key)
            self._sorted = ordered(keyed, s.descending)
            self._sorted_key = key
        return self._sorted

    def visible_rows(self) -> Sequence[Row]:
        """The rows the filters and the condition keep, in the session's order (a search
        keystroke only filters the ready sorted list, once: the table, the count and the
        best match of one keystroke share the result)."""
        ordered = self.sorted_rows()
        key = (id(ordered), self.session.filters, self.session.profile.condition)
        if self._visible is None or self._visible[0] != key or self._visible[1] is not ordered:
            keep = matcher(self.session.filters, self.session.profile.condition)
            self._visible = (key, ordered, [row for row in ordered if keep(row)])
        return self._visible[2]

    def marked_rows(self) -> list[Row]:
        """The marked therapies' rows, in the order they were marked, without those the
        chosen condition does not list (`hidden_marks`: named, never shown under a rule about
        another condition)."""
        hidden = set(self.hidden_marks())
        return [
            self.row_by_id[m] for m in self.session.marks if m in self.row_by_id and m not in hidden
        ]

    def hidden_marks(self) -> tuple[str, ...]:
        """Marked therapies the chosen condition does not list."""
        condition = self.session.profile.condition
        if condition is None or self.catalog is None:
            return ()
        therapies = self.catalog.therapies
        return tuple(
            m
            for m in self.session.marks
            if m in therapies and condition not in therapies[m].conditions
        )

    def condition_name(self) -> str | None:
        """The chosen condition's name, display-safe."""
        condition = self.session.profile.condition
        if condition is None:
            return None
        found = self.catalog.conditions.get(condition) if self.catalog is not None else None
        return display_safe(found.name if found is not None else condition)

    def best_match(self) -> str | None:
        """The visible therapy whose name best matches the search (`query.match_rank`), the
        one the cursor goes to; None without a search or a match."""
        needle = self.session.filters.search.strip().casefold()
        if not needle:
            return None
        visible = self.visible_rows()
        if not visible:
            return None
        return min(enumerate(visible), key=lambda pair: (match_rank(pair[1], needle), pair[0]))[
            1
        ].id

    def matches_under_any_condition(self) -> int:
        """How many therapies the filters and search keep when the condition is set aside:
        an empty list names the condition when it is the cause."""
        keep = matcher(self.session.filters, None)
        return sum(1 for row in self.sorted_rows() if keep(row))

    def name_of(self, therapy_id: str) -> str:
        """A therapy's name, display-safe (its id when the data does not have it)."""
        if self.catalog is not None and therapy_id in self.catalog.therapies:
            return display_safe(self.catalog.therapies[therapy_id].name)
        return display_safe(therapy_id)
