"""The scriptable commands: list, compare, export, validate, schema, data, scenario.

Each takes the parsed options and returns an exit code (`cli.exits`); problems travel as
exceptions that `cli.main` turns into one line and a code. Textual is never imported here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from rich.console import Console

from regen_compare import scenarios
from regen_compare.cli.context import (
    Consult,
    Request,
    check_id,
    consult,
    filters,
    load,
    regions_beside,
    scenarios_error,
)
from regen_compare.cli.exits import (
    EXIT_DATA,
    EXIT_DIFF_CHANGED,
    EXIT_DIFF_SAME,
    EXIT_DIFF_UNREADABLE,
    EXIT_OK,
    NotWritten,
    UsageError,
    err,
    say,
)
from regen_compare.cli.parser import typed_again
from regen_compare.data import regions
from regen_compare.data.load import load_catalog, resolve_data_dir
from regen_compare.engine.fit.score import BALANCED
from regen_compare.engine.query import Row, filter_rows, sort_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.problems import DataError, Problem, has_error
from regen_compare.model.text import display_safe, quote
from regen_compare.present import figures, formats, maintenance, side_by_side
from regen_compare.present.comparison import BEST, comparison
from regen_compare.present.maintenance import build_report, diff_catalogs
from regen_compare.present.report import make_console, print_compare, print_list
from regen_compare.store.atomic import WriteError, write_atomic


def console() -> Console:
    """The Rich console for tables, ending quietly when the reader goes away (`| head`):
    Rich's own handler would exit 1, the "bad data" code."""
    made = make_console()

    def broken_pipe() -> None:
        raise BrokenPipeError

    made.on_broken_pipe = broken_pipe  # type: ignore[method-assign]
    return made


def _json(rows: list[Row], seen: Consult) -> str:
    return formats.rows_to_json(
        rows, weights=seen.weights, region=seen.region, profile=seen.profile
    )


def cmd_list(args: argparse.Namespace) -> int:
    request = Request(args)
    seen = consult(request)
    chosen = filters(request, seen.catalog)
    all_rows = seen.rows()
    kept = filter_rows(all_rows, chosen, seen.profile.condition)
    rows = sort_rows(kept, args.sort, args.desc)
    # The fit column when the patient's weights were given (typed, or kept in a scenario) or
    # the list is sorted by them; the balanced default alone does not widen the table.
    fit = args.sort == "fit" or getattr(args, "weights", None) is not None
    fit = fit or seen.weights != BALANCED
    if args.format == "json":
        sys.stdout.write(_json(rows, seen))
    elif args.format == "csv":
        sys.stdout.write(formats.rows_to_csv(rows))
    elif args.format == "markdown":
        sys.stdout.write(formats.rows_to_markdown(rows, seen.profile, fit=fit))
    else:
        described = chosen.describe()
        if seen.profile.condition:
            described.insert(0, f"for {seen.catalog.conditions[seen.profile.condition].name}")
        print_list(
            console(),
            rows,
            len(all_rows),
            seen.profile,
            seen.catalog,
            filters_text=described,
            fit=fit,
        )
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    if len(args.ids) < 2:
        raise UsageError("compare needs at least two therapy ids")
    request = Request(args)
    seen = consult(request)
    rows = seen.rows_for_ids(args.ids)
    # The fit and its star only when the patient said what matters (typed, or in a scenario).
    asked = request.weights_asked
    weights = seen.weights if asked else None
    if args.format == "json":
        sys.stdout.write(_json(rows, seen))
    elif args.format == "csv":
        sys.stdout.write(formats.rows_to_csv(rows))
    elif args.format == "markdown":
        header = ["", *(r.therapy.name for r in rows)]
        body = [
            [line.label, *(f"{BEST} {c.text}" if c.best else c.text for c in line.cells)]
            for line in comparison(rows, seen.profile, weights)
        ]
        legends = [f"{BEST} best in the row", *figures.symbol_hints(r.cost for r in rows)]
        sys.stdout.write(
            formats.md_table(header, body) + "".join(f"\n{formats.md_cell(x)}\n" for x in legends)
        )
    else:
        print_compare(console(), rows, seen.profile, seen.catalog, weights)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    # The handout renderers are imported only by the command that writes one: `list` and
    # `compare` start without them (~30 ms).
    from regen_compare.present import export

    try:
        fmt = export.format_from_path(args.to)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    request = Request(args)
    seen = consult(request)
    rows = seen.rows_for_ids(args.ids)
    # The fit and its star only when the patient said what matters (typed, or in a scenario).
    asked = request.weights_asked
    try:
        written = export.write_handout(
            args.to,
            fmt,
            rows,
            seen.profile,
            seen.catalog,
            today=date.today(),
            force=args.force,
            detailed=args.detailed,
            weights=seen.weights if asked else None,
        )
    except WriteError as exc:
        raise NotWritten(str(exc)) from None
    say(f"wrote {written}")
    return EXIT_OK


def _checked(data_dir: Path) -> tuple[Catalog, list[Problem]]:
    """Both data files and regions.toml (when the folder has one), every problem of all
    three at once: errors raise `DataError`, warnings come back."""
    problems: list[Problem] = []
    catalog = None
    try:
        result = load_catalog(data_dir)
        catalog, problems = result.catalog, list(result.warnings)
    except DataError as exc:
        problems = list(exc.problems)
    known = (catalog.payers, catalog.therapies) if catalog is not None else None
    try:
        found = regions.regions_beside(data_dir, known=known)
        problems += found.warnings if found is not None else []
    except DataError as exc:
        problems += exc.problems
    if catalog is None or has_error(problems):
        raise DataError(problems)
    return catalog, problems


def cmd_validate(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    c, warnings = _checked(data_dir)
    for warning in warnings:
        say(str(warning))
    summary = (
        f"{len(c.conditions)} conditions, {len(c.therapies)} therapies, {len(c.payers)} payers, "
        f"{c.coverage_rule_count} coverage rules"
    )
    if os.path.lexists(regions.regions_path(data_dir)):
        summary += ", regions.toml"
    if warnings:
        count = len(warnings)
        say(f"valid with {count} warning{'s' if count != 1 else ''}: {summary}")
        return EXIT_DATA if args.strict else EXIT_OK
    say(f"valid: {summary}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    # pydantic's JSON Schema generation is only needed here.
    from regen_compare.data.schema import schemas

    documents = schemas()
    if not args.out:
        sys.stdout.write(json.dumps(documents, indent=2) + "\n")
        return EXIT_OK
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, schema in documents.items():
        # The schema files are ours to refresh, so a regular file is replaced; anything
        # else (a link, a folder, a FIFO) is refused: `schema` has no --force.
        try:
            path = write_atomic(
                out / name, json.dumps(schema, indent=2) + "\n", overwrite=True, replace_link=False
            )
        except WriteError as exc:
            raise NotWritten(str(exc)) from None
        say(f"wrote {path}")
    return EXIT_OK


def _scenario_without_data(args: argparse.Namespace) -> int | None:
    """list, delete and rename need no data; None for the others."""
    action = args.scenario_command
    if action == "list":
        listing = scenarios.scan()
        for name in listing.names:
            print(display_safe(name))
        for problem in listing.problems:
            err(f"warning: {problem}")
        return EXIT_OK
    if action == "delete":
        scenarios.delete(args.name)
        say(f"deleted {quote(args.name)}")
        return EXIT_OK
    if action == "rename":
        say(f"renamed to {quote(args.new)}: {scenarios.rename(args.old, args.new)}")
        return EXIT_OK
    return None


def _scenario_save(args: argparse.Namespace) -> int:
    request = Request(args)
    seen = consult(request)
    if len(args.mark) > scenarios.MAX_MARKS:
        raise UsageError(f"at most {scenarios.MAX_MARKS} therapies can be marked")
    for tid in args.mark:
        check_id("therapy", tid, list(seen.catalog.therapies))
    scenario = scenarios.Scenario(
        args.name,
        seen.profile,
        filters(request, seen.catalog),
        tuple(args.mark),
        weights=seen.weights,
    )
    say(f"saved {scenarios.save(scenario, overwrite=args.force)}")
    return EXIT_OK


def _scenario_with_data(args: argparse.Namespace) -> int:
    if args.scenario_command == "save":
        return _scenario_save(args)
    catalog = load(args)
    if args.scenario_command == "show":
        resolved = side_by_side.resolve(scenarios.load(args.name), catalog)
        for note in resolved.notes:
            err(f"note: {note}")
        sys.stdout.write(_describe_scenario(resolved.scenario, catalog))
        return EXIT_OK
    pair = [scenarios.load(args.left), scenarios.load(args.right)]
    # The regions data is read only when a scenario names a region (a damaged file: exit 1).
    regions = regions_beside(args) if any(s.profile.region for s in pair) else None
    left, right = (side_by_side.comparable(s, catalog, regions) for s in pair)
    for scenario, note in [(left, n) for n in left.notes] + [(right, n) for n in right.notes]:
        err(f"note: scenario {quote(scenario.scenario.name)}: {note}")
    lines = side_by_side.side_by_side(catalog, left.scenario, right.scenario, regions)
    sys.stdout.write(
        maintenance.render_side_by_side(lines, left.scenario.name, right.scenario.name, args.format)
    )
    return EXIT_OK


def cmd_scenario(args: argparse.Namespace) -> int:
    try:
        done = _scenario_without_data(args)
        return done if done is not None else _scenario_with_data(args)
    except scenarios.ScenarioError as exc:
        raise scenarios_error(exc) from None


def _describe_scenario(scenario: scenarios.Scenario, catalog: Catalog) -> str:
    lines = [f"name: {scenario.name}"]
    shown = formats.profile_to_dict(scenario.profile).items()
    lines += [f"{k}: {v}" for k, v in shown if v is not None and k != "units"]
    # Units as they are typed (`--units prp-injection=3,later=1`), one line each.
    lines += [f"units: {typed_again(u)}" for u in scenario.profile.units]
    if scenario.profile.region is not None:
        lines.append(f"region: {scenario.profile.region}")
    lines.append(f"weights: {scenario.weights.preset_name() or scenario.weights.format()}")
    lines += [f"filter: {f}" for f in scenario.filters.describe()]
    lines += [f"marked: {catalog.therapies[t].name} ({t})" for t in scenario.marked]
    return "".join(display_safe(line) + "\n" for line in lines)


def cmd_data(args: argparse.Namespace) -> int:
    if args.data_command == "report":
        report = build_report(load(args))
        sys.stdout.write(maintenance.render_report(report, args.format))
        return EXIT_OK
    catalogs = []
    for folder in (args.old_dir, args.new_dir):
        try:
            catalogs.append(load_catalog(folder).catalog)
        except DataError as exc:
            for problem in exc.errors:
                err(str(problem))
            err(f"{folder}: cannot be compared until it is valid")
            return EXIT_DIFF_UNREADABLE
    changes = diff_catalogs(*catalogs)
    sys.stdout.write(maintenance.render_diff(changes, args.format))
    return EXIT_DIFF_CHANGED if changes else EXIT_DIFF_SAME
