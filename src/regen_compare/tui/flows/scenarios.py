"""Saved scenarios in the TUI: save (asking before a replace), open, rename, delete, compare.

Storage, validation and the side-by-side come from `regen_compare.scenarios`; this module
asks the questions and says what happened in a toast. It works on the `Consult` and uses the
Textual app only for its dialogs and toasts. Nothing is written unless the user
asked (ctrl+s, rename, delete). Opening a scenario that names a therapy, plan or condition
the data no longer has applies what survives and lists the rest in a toast, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import App

from regen_compare import scenarios
from regen_compare.consult import Consult
from regen_compare.model.text import display_safe
from regen_compare.present import side_by_side
from regen_compare.tui.bar_text import profile_summary
from regen_compare.tui.screens.dialogs import ConfirmDialog
from regen_compare.tui.screens.scenarios import (
    NameDialog,
    ScenarioCompareScreen,
    ScenariosScreen,
)


def _name(name: str) -> str:
    return "“" + display_safe(name, limit=80) + "”"


def exists(name: str) -> str | None:
    """The name stored in the file a save under `name` would replace, or None."""
    path = scenarios.path_for(name)
    if not path.exists():
        return None
    try:
        return scenarios.read_file(path).name
    except scenarios.ScenarioError:
        return name  # a damaged file is still replaced only after asking


def current_scenario(consult: Consult, name: str) -> scenarios.Scenario:
    """The consult as a scenario: profile (with the region), filters, marks and weights."""
    s = consult.session
    return scenarios.Scenario(name, s.profile, s.filters, tuple(s.marks), weights=s.weights)


class ScenarioFlow:
    """Save, open, rename, delete and compare scenarios for one consult.

    Takes the consult and the Textual app only for its services (dialogs and toasts), never
    the regen-compare App itself; it is the list screen's `ScenarioActions`."""

    def __init__(self, consult: Consult, app: App[Any], today: date) -> None:
        self.consult = consult
        self.app = app
        self.today = today

    @property
    def current_name(self) -> str | None:
        return self.consult.scenario_name

    def _error(self, exc: Exception) -> None:
        self.app.notify(display_safe(str(exc), limit=300), severity="error", markup=False)

    def _refresh_lists(self) -> None:
        for screen in self.app.screen_stack:
            if isinstance(screen, ScenariosScreen):
                screen.refresh_names(self.consult.scenario_name)

    # --- save -------------------------------------------------------------------------------

    def start_save(self) -> None:
        """Ask for a name, ask before replacing, then save the consult."""
        app = self.app

        def named(name: str | None) -> None:
            if name is None:
                return
            existing = exists(name)
            if existing is None:
                self.save(name, overwrite=False)
                return

            def confirmed(ok: bool | None) -> None:
                if ok:
                    self.save(name, overwrite=True)

            app.push_screen(
                ConfirmDialog(
                    f"A scenario named {_name(existing)} is already saved. Replace it?",
                    yes="Replace (y)",
                ),
                confirmed,
            )

        marks = len(self.consult.session.marks)
        explanation = (
            f"Saves the profile, filters, weights and {marks} marked "
            f"therap{'y' if marks == 1 else 'ies'} (ids and numbers only, no notes) in "
            + display_safe(str(scenarios.scenarios_dir()))
            + ", readable only by you."
        )
        app.push_screen(
            NameDialog(
                "Save this consult as a scenario", explanation, self.consult.scenario_name or ""
            ),
            named,
        )

    def save(self, name: str, *, overwrite: bool) -> bool:
        scenario = current_scenario(self.consult, name)
        try:
            path = scenarios.save(scenario, overwrite=overwrite, today=self.today)
        except scenarios.ScenarioError as exc:
            self._error(exc)
            return False
        self.consult.scenario_name = name
        self.app.notify(
            f"Scenario {_name(name)} saved to {display_safe(str(path))}", markup=False, timeout=6
        )
        self._refresh_lists()
        return True

    # --- open -------------------------------------------------------------------------------

    def open_scenario(self, name: str) -> bool:
        """Apply a saved scenario (profile with its region, filters, marks, weights); notes
        on what no longer exists."""
        catalog = self.consult.catalog
        if catalog is None:
            self.app.notify(
                "The data is still loading (or broken): try again in a moment.", markup=False
            )
            return False
        try:
            resolved = side_by_side.resolve(scenarios.load(name), catalog)
        except scenarios.ScenarioError as exc:
            self._error(exc)
            return False
        scenario = resolved.scenario
        notes = list(resolved.notes)
        profile = scenario.profile
        regions = self.consult.regions
        known = regions.regions if regions is not None else {}
        if profile.region is not None and profile.region not in known:
            notes.append(f"region {display_safe(profile.region)}: not in the regions data")
            profile = replace(profile, region=None)
        self.consult.open_scenario(
            profile, scenario.filters, scenario.marked, scenario.weights, name=scenario.name
        )
        self.app.notify(f"Opened scenario {_name(scenario.name)}.", markup=False)
        if notes:
            self.app.notify(
                "\n".join(display_safe(note, limit=200) for note in notes),
                title="Not in the data any more",
                severity="warning",
                markup=False,
                timeout=10,
            )
        return True

    def open_list(self, *, compare_mode: bool = False) -> None:
        app = self.app
        if isinstance(app.screen, ScenariosScreen):
            return
        app.push_screen(ScenariosScreen(self, compare_mode=compare_mode))
        problems = scenarios.scan().problems
        if problems:
            app.notify(
                "\n".join(display_safe(p, limit=200) for p in problems[:5])
                + (f"\n(+{len(problems) - 5} more)" if len(problems) > 5 else ""),
                title="Scenario files not listed",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def describe(self, name: str) -> Text:
        """A short preview of a saved scenario (plan, condition, marks), for the list."""
        try:
            scenario = scenarios.load(name)
        except scenarios.ScenarioError as exc:
            return Text(display_safe(str(exc), limit=200), style="italic")
        catalog = self.consult.catalog
        text = profile_summary(catalog, scenario.profile)
        described = scenario.filters.describe()
        if described:
            text.append("\nfilters: " + display_safe("; ".join(described)))
        if scenario.marked:
            names = [
                display_safe(catalog.therapies[t].name)
                if catalog is not None and t in catalog.therapies
                else display_safe(t) + " (not in the data)"
                for t in scenario.marked
            ]
            text.append("\nmarked: " + ", ".join(names))
        return text

    # --- rename and delete --------------------------------------------------------------------

    def start_rename(self, old: str, done: Callable[[str | None], None]) -> None:
        def named(new: str | None) -> None:
            if new is None or new == old:
                return
            try:
                scenarios.rename(old, new)
            except scenarios.ScenarioError as exc:
                self._error(exc)
                return
            if self.consult.scenario_name == old:
                self.consult.scenario_name = new
            self.app.notify(f"Renamed {_name(old)} to {_name(new)}.", markup=False)
            done(new)

        self.app.push_screen(
            NameDialog("Rename the scenario", f"New name for {_name(old)}:", old, ok="Rename"),
            named,
        )

    def start_delete(self, name: str, done: Callable[[str | None], None]) -> None:
        def confirmed(ok: bool | None) -> None:
            if not ok:
                return
            try:
                scenarios.delete(name)
            except scenarios.ScenarioError as exc:
                self._error(exc)
                return
            if self.consult.scenario_name == name:
                self.consult.scenario_name = None
            self.app.notify(f"Deleted scenario {_name(name)}.", markup=False)
            done(None)

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the scenario {_name(name)}? This cannot be undone.", yes="Delete (y)"
            ),
            confirmed,
        )

    # --- two side by side ---------------------------------------------------------------------

    def compare_scenarios(self, left: str, right: str) -> bool:
        catalog = self.consult.catalog
        if catalog is None:
            self.app.notify(
                "The data is still loading (or broken): try again in a moment.", markup=False
            )
            return False
        regions = self.consult.regions
        try:
            a = side_by_side.comparable(scenarios.load(left), catalog, regions)
            b = side_by_side.comparable(scenarios.load(right), catalog, regions)
        except scenarios.ScenarioError as exc:
            self._error(exc)
            return False
        notes = [f"{left}: {n}" for n in a.notes] + [f"{right}: {n}" for n in b.notes]
        lines = side_by_side.side_by_side(catalog, a.scenario, b.scenario, regions)
        self.app.push_screen(ScenarioCompareScreen(a.scenario.name, b.scenario.name, lines, notes))
        return True
