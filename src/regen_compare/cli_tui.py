"""Starting the interactive app from the command line: in this terminal (no command) or in a
browser tab (`serve`). Textual is imported only here, and only when the app starts.
"""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from regen_compare.cli_context import (
    Request,
    err,
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
from regen_compare.fit import BALANCED, Weights
from regen_compare.load import PAYERS_FILE, THERAPIES_FILE, resolve_data_dir
from regen_compare.query import Filters
from regen_compare.scenarios import Scenario, ScenarioError
from regen_compare.scenarios import load as load_scenario

PRELOAD_BELOW_BYTES = 1 << 20
"""Data smaller than this (both files, ~1,200 therapies) is loaded before the screen opens."""


def _data_size(data_dir: Path) -> int:
    total = 0
    for name in (THERAPIES_FILE, PAYERS_FILE):
        path = data_dir / name
        total += path.stat().st_size if path.is_file() else 0
    return total


def _weights_for(run_tui: Callable[..., int], chosen: Weights) -> dict[str, Any]:
    """`weights=` for the app, once it takes them (`tui.app.run_tui`); until then the app
    starts with the balanced weights, and only a non-balanced choice is worth a note."""
    if "weights" in inspect.signature(run_tui).parameters:
        return {"weights": chosen}
    if chosen != BALANCED:
        err("note: this version of the app starts with the balanced weights; --weights is ignored")
    return {}


def cmd_serve(args: argparse.Namespace) -> int:
    # textual-serve (and Textual) only when a browser tab is asked for.
    from regen_compare.serve import run_serve

    return run_serve(args.host, args.port, args.data_dir, passthrough(args))


def cmd_tui(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    if _data_size(data_dir) >= PRELOAD_BELOW_BYTES:
        # Large data: open the screen at once and load behind its loading indicator (off
        # the event loop); the app drops unknown ids with a note when the data arrives.
        return _run_tui_unchecked(args, data_dir)
    # Small data: load and check here, before the screen changes, so bad data or ids end
    # with a message; the app starts from this result instead of loading it again.
    result = load_result(args, one_shot=False)
    request = Request(args)
    # An unknown region typed here ends before the screen opens, with the codes (exit 2).
    chosen, _ = region_set(args, profile(request, result.catalog))
    scenario = request.start(result.catalog)
    # Textual is imported only when the app starts: the scriptable commands never pay it.
    from regen_compare.tui.app import run_tui

    return run_tui(
        data_dir,
        chosen,
        filters(request, result.catalog),
        tuple(scenario.marked) if scenario is not None else (),
        scenario=scenario.name if scenario is not None else None,
        scenario_notes=tuple(request.notes),
        preloaded=result,
        **_weights_for(run_tui, weights(request, result.catalog)),
    )


def _run_tui_unchecked(args: argparse.Namespace, data_dir: Path) -> int:
    """Start the app before the data is loaded: the same merge of scenario and options as
    `profile`/`filters`, without the id checks (the app drops unknown ids on load)."""
    scenario: Scenario | None = None
    if getattr(args, "scenario", None):
        try:
            scenario = load_scenario(args.scenario)
        except ScenarioError as exc:
            raise scenarios_error(exc) from None
    start = scenario.profile if scenario is not None else Profile()
    chosen = merged_profile(args, start)
    chosen_filters = merged_filters(args, scenario.filters if scenario is not None else Filters())
    chosen_weights = merged_weights(args, scenario.weights if scenario is not None else BALANCED)
    # Textual is imported only when the app starts: the scriptable commands never pay it.
    from regen_compare.tui.app import run_tui

    return run_tui(
        data_dir,
        chosen,
        chosen_filters,
        scenario.marked if scenario is not None else (),
        scenario=scenario.name if scenario is not None else None,
        **_weights_for(run_tui, chosen_weights),
    )
