"""Saved scenarios in the TUI: save (asking before a replace), open, rename, delete, compare.

Storage, validation and the side-by-side come from `regen_compare.scenarios`; this module
asks the questions and says what happened in a toast. Nothing is written unless the user
asked (ctrl+s, rename, delete). Opening a scenario that names a therapy, plan or condition
the data no longer has applies what survives and lists the rest in a toast, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text

from regen_compare import scenarios
from regen_compare.safe_text import display_safe
from regen_compare.tui.screens.dialogs import ConfirmDialog
from regen_compare.tui.screens.scenarios import (
    NameDialog,
    ScenarioCompareScreen,
    ScenariosScreen,
)
from regen_compare.tui.widgets.banners import profile_summary

if TYPE_CHECKING:
    from regen_compare.tui.app import RegenCompareApp


def _name(name: str) -> str:
    return "“" + display_safe(name, limit=80) + "”"


def _error(app: RegenCompareApp, exc: Exception) -> None:
    app.notify(display_safe(str(exc), limit=300), severity="error", markup=False)


def exists(name: str) -> str | None:
    """The name stored in the file a save under `name` would replace, or None."""
    path = scenarios.path_for(name)
    if not path.exists():
        return None
    try:
        return scenarios.read_file(path).name
    except scenarios.ScenarioError:
        return name  # a damaged file is still replaced only after asking


def current_scenario(app: RegenCompareApp, name: str) -> scenarios.Scenario:
    s = app.session
    return scenarios.Scenario(name, s.profile, s.filters, tuple(s.marks))


# --- save -----------------------------------------------------------------------------------


def start_save(app: RegenCompareApp, after: Callable[[], None] | None = None) -> None:
    """Ask for a name, ask before replacing, then save the profile, filters and marks."""

    def named(name: str | None) -> None:
        if name is None:
            return
        existing = exists(name)
        if existing is None:
            save(app, name, overwrite=False, after=after)
            return

        def confirmed(ok: bool | None) -> None:
            if ok:
                save(app, name, overwrite=True, after=after)

        app.push_screen(
            ConfirmDialog(
                f"A scenario named {_name(existing)} is already saved. Replace it?",
                yes="Replace (y)",
            ),
            confirmed,
        )

    marks = len(app.session.marks)
    explanation = (
        f"Saves the profile, filters and {marks} marked therap{'y' if marks == 1 else 'ies'} "
        "(ids and numbers only, no notes) in "
        + display_safe(str(scenarios.scenarios_dir()))
        + ", readable only by you."
    )
    app.push_screen(
        NameDialog("Save this consult as a scenario", explanation, app.scenario_name or ""),
        named,
    )


def save(
    app: RegenCompareApp,
    name: str,
    *,
    overwrite: bool,
    after: Callable[[], None] | None = None,
) -> bool:
    try:
        path = scenarios.save(current_scenario(app, name), overwrite=overwrite, today=app.today)
    except scenarios.ScenarioError as exc:
        _error(app, exc)
        return False
    app.scenario_name = name
    app.notify(
        f"Scenario {_name(name)} saved to {display_safe(str(path))}", markup=False, timeout=6
    )
    if after is not None:
        after()
    return True


# --- open -----------------------------------------------------------------------------------


def open_scenario(app: RegenCompareApp, name: str) -> bool:
    """Apply a saved scenario's profile, filters and marks; notes on what no longer exists."""
    if app.catalog is None:
        app.notify("The data is still loading (or broken): try again in a moment.", markup=False)
        return False
    try:
        resolved = scenarios.resolve(scenarios.load(name), app.catalog)
    except scenarios.ScenarioError as exc:
        _error(app, exc)
        return False
    scenario = resolved.scenario
    app.update_session(
        replace(
            app.session,
            profile=scenario.profile,
            filters=scenario.filters,
            marks=tuple(scenario.marked)[: scenarios.MAX_MARKS],
        )
    )
    app.scenario_name = scenario.name
    app.notify(f"Opened scenario {_name(scenario.name)}.", markup=False)
    if resolved.notes:
        app.notify(
            "\n".join(display_safe(note, limit=200) for note in resolved.notes),
            title="Not in the data any more",
            severity="warning",
            markup=False,
            timeout=10,
        )
    return True


def open_list(app: RegenCompareApp, *, compare_mode: bool = False) -> None:
    if not isinstance(app.screen, ScenariosScreen):
        app.push_screen(ScenariosScreen(compare_mode=compare_mode))
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


def describe(app: RegenCompareApp, name: str) -> Text:
    """A short preview of a saved scenario (plan, condition, marks), for the list."""
    try:
        scenario = scenarios.load(name)
    except scenarios.ScenarioError as exc:
        return Text(display_safe(str(exc), limit=200), style="italic")
    catalog = app.catalog
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


# --- rename and delete ----------------------------------------------------------------------


def start_rename(app: RegenCompareApp, old: str, done: Callable[[str | None], None]) -> None:
    def named(new: str | None) -> None:
        if new is None or new == old:
            return
        try:
            scenarios.rename(old, new)
        except scenarios.ScenarioError as exc:
            _error(app, exc)
            return
        if app.scenario_name == old:
            app.scenario_name = new
        app.notify(f"Renamed {_name(old)} to {_name(new)}.", markup=False)
        done(new)

    app.push_screen(
        NameDialog("Rename the scenario", f"New name for {_name(old)}:", old, ok="Rename"), named
    )


def start_delete(app: RegenCompareApp, name: str, done: Callable[[str | None], None]) -> None:
    def confirmed(ok: bool | None) -> None:
        if not ok:
            return
        try:
            scenarios.delete(name)
        except scenarios.ScenarioError as exc:
            _error(app, exc)
            return
        if app.scenario_name == name:
            app.scenario_name = None
        app.notify(f"Deleted scenario {_name(name)}.", markup=False)
        done(None)

    app.push_screen(
        ConfirmDialog(
            f"Delete the scenario {_name(name)}? This cannot be undone.", yes="Delete (y)"
        ),
        confirmed,
    )


# --- two side by side -----------------------------------------------------------------------


def compare_scenarios(app: RegenCompareApp, left: str, right: str) -> bool:
    if app.catalog is None:
        app.notify("The data is still loading (or broken): try again in a moment.", markup=False)
        return False
    try:
        a = scenarios.resolve(scenarios.load(left), app.catalog)
        b = scenarios.resolve(scenarios.load(right), app.catalog)
    except scenarios.ScenarioError as exc:
        _error(app, exc)
        return False
    notes = [f"{left}: {n}" for n in a.notes] + [f"{right}: {n}" for n in b.notes]
    lines = scenarios.side_by_side(app.catalog, a.scenario, b.scenario)
    app.push_screen(ScenarioCompareScreen(a.scenario.name, b.scenario.name, lines, notes))
    return True
