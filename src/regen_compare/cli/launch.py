"""Starting the interactive app from the command line: in this terminal (no command) or in a
browser tab (`serve`). Textual is imported only here, and only when the app starts.

One start path at every size: the data is loaded (through the cache) and checked, and every
id and option the command line gave is checked against it, before the screen opens; bad
data or an unknown id ends with the command line's message and exit code, never a screen.
"""

from __future__ import annotations

import argparse
from typing import Any

from regen_compare.cli.context import Request, filters, load_result, profile, region_set, weights
from regen_compare.cli.parser import passthrough
from regen_compare.data.load import resolve_data_dir


def cmd_serve(args: argparse.Namespace) -> int:
    # textual-serve (and Textual) only when a browser tab is asked for.
    from regen_compare.web.serve import run_serve

    return run_serve(args.host, args.port, args.data_dir, passthrough(args), args.allow_host or ())


def cmd_tui(args: argparse.Namespace) -> int:
    # Textual is imported only when the app starts: the scriptable commands never pay it.
    arguments = start_arguments(args)
    from regen_compare.tui.app import run_tui

    return run_tui(**arguments)


def start_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """What the app starts with (`RegenCompareApp._begin`'s arguments): the loaded data and
    the checked profile, filters, weights and marks; raises the command line's errors."""
    data_dir = resolve_data_dir(args.data_dir)
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
        "weights_asked": request.weights_asked,
    }
