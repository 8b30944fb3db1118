"""Starting the interactive app from the command line: in this terminal (no command) or in a
browser tab (`serve`). Textual is imported only here, and only when the app starts.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Any

from regen_compare import first_frame
from regen_compare.cli_context import (
    Request,
    filters,
    load_result,
    merged_filters,
    merged_profile,
    merged_weights,
    profile,
    region_set,
    scenarios_error,
    weights,
)
from regen_compare.cli_parser import passthrough
from regen_compare.costs import Profile
from regen_compare.fit import BALANCED
from regen_compare.load import PAYERS_FILE, THERAPIES_FILE, resolve_data_dir
from regen_compare.query import Filters
from regen_compare.regions import regions_path
from regen_compare.scenarios import Scenario, ScenarioError
from regen_compare.scenarios import load as load_scenario
from regen_compare.scenarios import path_for as scenario_path

PRELOAD_BELOW_BYTES = 1 << 20
"""Data smaller than this (both files, ~1,200 therapies) is loaded before the screen opens."""


def _data_size(data_dir: Path) -> int:
    total = 0
    for name in (THERAPIES_FILE, PAYERS_FILE):
        path = data_dir / name
        total += path.stat().st_size if path.is_file() else 0
    return total


def cmd_serve(args: argparse.Namespace) -> int:
    # textual-serve (and Textual) only when a browser tab is asked for.
    from regen_compare.serve import run_serve

    return run_serve(args.host, args.port, args.data_dir, passthrough(args))


def cmd_tui(args: argparse.Namespace) -> int:
    # Textual is imported only when the app starts: the scriptable commands never pay it.
    arguments = start_arguments(args)
    shown = None
    if "preloaded" not in arguments:  # large data, loaded behind the screen: a preview first
        from regen_compare.tui import preview_frame

        shown = preview_frame.beside(arguments, _import_the_app)
    from regen_compare.tui.app import run_tui
    from regen_compare.tui.first_start import FirstStart

    if shown is not None:
        return run_tui(first=FirstStart(shown.screen, lambda: arguments, note=shown.note))
    return run_tui(**arguments)


def _import_the_app() -> None:
    """Textual and the app, imported while a forked child builds the preview."""
    importlib.import_module("regen_compare.tui.app")


def start_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """What the app starts with (`RegenCompareApp._begin`'s arguments), checked as far as
    the data's size allows; raises the command line's errors."""
    data_dir = resolve_data_dir(args.data_dir)
    remember = _remember(args, data_dir)  # digests first: then the files are read
    if _data_size(data_dir) >= PRELOAD_BELOW_BYTES:
        # Large data: open the screen at once and load behind its loading indicator (off
        # the event loop); the app drops unknown ids with a note when the data arrives.
        return {**_unchecked(args, data_dir), "remember": remember}
    # Small data: load and check here, before the screen changes, so bad data or ids end
    # with a message; the app starts from this result instead of loading it again.
    result = load_result(args, one_shot=False)
    request = Request(args)
    # An unknown region typed here ends before the screen opens, with the codes (exit 2).
    chosen, _ = region_set(args, profile(request, result.catalog))
    scenario = request.start(result.catalog)
    return {
        "data_dir": data_dir,
        "profile": chosen,
        "filters": filters(request, result.catalog),
        "marked": tuple(scenario.marked) if scenario is not None else (),
        "scenario": scenario.name if scenario is not None else None,
        "scenario_notes": tuple(request.notes),
        "preloaded": result,
        "weights": weights(request, result.catalog),
        "remember": remember,
    }


def _remember(args: argparse.Namespace, data_dir: Path) -> first_frame.Remember | None:
    """Where this start records its first frame: keyed on the words typed, and on the
    digests of every file it reads (taken now, before it reads them)."""
    words = getattr(args, "start_argv", None)
    if words is None:
        return None
    paths = [data_dir / THERAPIES_FILE, data_dir / PAYERS_FILE, regions_path(data_dir)]
    if getattr(args, "scenario", None):
        try:
            paths.append(scenario_path(args.scenario))
        except ScenarioError:
            return None
    return first_frame.Remember(first_frame.Request.current(words), first_frame.digests(paths))


def _unchecked(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    """Start the app before the data is loaded: the same merge of scenario and options as
    `profile`/`filters`, without the id checks (the app drops unknown ids on load)."""
    scenario: Scenario | None = None
    if getattr(args, "scenario", None):
        try:
            scenario = load_scenario(args.scenario)
        except ScenarioError as exc:
            raise scenarios_error(exc) from None
    start = scenario.profile if scenario is not None else Profile()
    return {
        "data_dir": data_dir,
        "profile": merged_profile(args, start),
        "filters": merged_filters(args, scenario.filters if scenario is not None else Filters()),
        "marked": scenario.marked if scenario is not None else (),
        "scenario": scenario.name if scenario is not None else None,
        "weights": merged_weights(args, scenario.weights if scenario is not None else BALANCED),
    }
