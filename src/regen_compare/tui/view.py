"""What the screens show: the consult, plus what only the terminal needs.

`ConsultView` holds the `Consult` (state and actions, Textual-free), the signal screens
subscribe to, what the latest load reported (its errors and warnings, the stale-figure
index) and the rows' display cells, built once per pricing. The App creates one view and
hands it to each screen; screens read it and send intents to `view.consult`, so no screen
imports the App (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from textual.dom import DOMNode
from textual.signal import Signal

from regen_compare.consult import Change, Consult, Priced, Runner, Session, price
from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Weights
from regen_compare.engine.query import Row
from regen_compare.model.catalog import Catalog
from regen_compare.model.problems import Problem
from regen_compare.present.table_cells import DisplayRow, measure
from regen_compare.tui import stale as stale_mod
from regen_compare.tui.display import columns, display_row


@dataclass(frozen=True)
class Cells:
    """Display cells and column widths for one list of rows."""

    rows: list[Row] = field(default_factory=list)
    by_id: dict[str, DisplayRow] = field(default_factory=dict)
    widths: list[int] = field(default_factory=list)
    asked: bool = True
    """Whether the fit cells show the fit (the patient said what matters) or "not asked"."""


def cells_for(rows: list[Row], profile: Profile, asked: bool = True) -> Cells:
    display = {r.id: display_row(r, asked, profile) for r in rows}
    return Cells(rows, display, measure(columns(profile), display.values()), asked)


@dataclass(frozen=True)
class Prepared:
    """A pricing done off the event loop, with its display cells."""

    priced: Priced
    cells: Cells


def prepare(
    catalog: Catalog | None,
    profile: Profile,
    weights: Weights,
    regions: RegionSet | None,
    asked: bool = True,
) -> Prepared:
    """Price and build display cells (the load worker calls this in its thread); the fit is
    scored only once `asked` (`consult.scoring`)."""
    scored = weights if asked else None
    rows = price(catalog, profile, scored, regions)
    return Prepared(Priced(profile, scored, rows), cells_for(rows, profile, asked))


class ConsultView:
    """The consult as the screens see it (see the module docstring)."""

    def __init__(
        self,
        owner: DOMNode,
        session: Session,
        *,
        scenario: str | None = None,
        background: Runner | None = None,
    ) -> None:
        self.changed: Signal[Change] = Signal(owner, "state-changed")
        self.consult = Consult(
            session,
            on_change=self.changed.publish,
            scenario_name=scenario,
            background=background,
        )
        self.problems: list[Problem] = []
        """The errors of the latest load; empty when the data on screen is current."""
        self.load_warnings: list[Problem] = []
        self.stale = stale_mod.StaleIndex()
        """The load warnings (old figures) by therapy, payer and coverage rule."""
        self._cells = Cells()

    # --- display cells ---------------------------------------------------------------------

    def use_cells(self, cells: Cells) -> Cells:
        """Cells built off the loop for the consult's current rows; returns the ones before."""
        previous, self._cells = self._cells, cells
        return previous

    @property
    def cells(self) -> Cells:
        """The display cells of the consult's rows (rebuilt when the rows changed)."""
        rows = self.consult.rows
        session = self.consult.session
        if self._cells.rows is not rows or self._cells.asked != session.weights_asked:
            self._cells = cells_for(rows, session.profile, session.weights_asked)
        return self._cells

    @property
    def column_widths(self) -> list[int]:
        return self.cells.widths

    def visible_pairs(self) -> list[tuple[Row, DisplayRow]]:
        """The rows to show with their display cells, in the consult's order."""
        by_id = self.cells.by_id
        return [(row, by_id[row.id]) for row in self.consult.visible_rows()]

    def stale_lines(self, row: Row | None) -> list[str]:
        if row is None:
            return []
        payer = self.consult.session.profile.payer
        return [stale_mod.line(p) for p in self.stale.for_therapy(row.id, payer)]

    def loaded(self, warnings: Iterable[Problem], stale: stale_mod.StaleIndex) -> None:
        self.problems = []
        self.load_warnings = list(warnings)
        self.stale = stale
