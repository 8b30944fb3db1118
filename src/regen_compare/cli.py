"""The command line: argument parsing, subcommands and exit codes (DESIGN.md is the contract).

Exit codes: 0 done, 1 bad data (located messages on stderr) or a failed write, 2 usage error
(an unknown id, a bad option value). Textual is imported only when the TUI is started, so the
scriptable commands start fast; heavy modules are imported inside the commands for the same
reason.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from regen_compare import __version__

if TYPE_CHECKING:
    from regen_compare.catalog import Catalog
    from regen_compare.costs import Profile
    from regen_compare.query import Filters

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE

CATEGORIES = ("regenerative", "traditional")
INVASIVENESS_LEVELS = (
    "non_invasive",
    "injection",
    "minimally_invasive_procedure",
    "outpatient_surgery",
    "inpatient_surgery",
)
LIST_FORMATS = ("table", "json", "csv", "markdown")


class UsageError(Exception):
    """A problem with what the user typed (exit 2)."""


# --- argument types -------------------------------------------------------------------------


def _echo(value: object) -> str:
    """A value the user typed, quoted in a message: safe, and cut to a readable length."""
    from regen_compare.safe_text import quote

    return quote(value)


def _usd(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{_echo(text)} is not an amount in dollars") from None
    if not value.is_finite() or value < 0 or value > 10_000_000:
        raise argparse.ArgumentTypeError(f"{_echo(text)} must be between 0 and 10,000,000")
    return value


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_echo(text)} is not a whole number of years") from None
    if not 1 <= value <= 30:
        raise argparse.ArgumentTypeError("years must be between 1 and 30")
    return value


def _days(text: str) -> Decimal:
    value = _usd(text)
    if value > 3650:
        raise argparse.ArgumentTypeError("days must be at most 3650")
    return value


# --- parser ---------------------------------------------------------------------------------


def _data_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder holding therapies.toml and payers.toml (default: $REGEN_COMPARE_DATA, "
        "else the bundled data)",
    )


def _profile_options(parser: argparse.ArgumentParser, default: Any) -> None:
    group = parser.add_argument_group("profile")
    group.add_argument(
        "--scenario",
        metavar="NAME",
        default=default,
        help="start from a saved scenario; other options override it",
    )
    group.add_argument("--condition", metavar="ID", default=default, help="condition id")
    group.add_argument("--payer", metavar="ID", default=default, help="payer (plan) id")
    group.add_argument(
        "--deductible-met",
        metavar="USD",
        type=_usd,
        default=default,
        help="deductible already met this year",
    )
    group.add_argument(
        "--oop-met",
        metavar="USD",
        type=_usd,
        default=default,
        help="out-of-pocket already spent this year",
    )
    group.add_argument(
        "--years",
        metavar="N",
        type=_years,
        default=default,
        help="horizon in years (1-30, default 1)",
    )


def _filter_options(parser: argparse.ArgumentParser, default: Any) -> None:
    group = parser.add_argument_group("filters")
    group.add_argument("--category", choices=CATEGORIES, default=default)
    group.add_argument(
        "--max-invasiveness",
        metavar="LEVEL",
        choices=INVASIVENESS_LEVELS,
        default=default,
        help="one of: " + ", ".join(INVASIVENESS_LEVELS),
    )
    group.add_argument(
        "--max-patient-cost",
        metavar="USD",
        type=_usd,
        default=default,
        help="keep options whose lowest cost to you fits",
    )
    group.add_argument("--max-downtime-days", metavar="N", type=_days, default=default)
    group.add_argument(
        "--covered-only",
        action="store_true",
        default=default,
        help="keep options your plan covers for your condition",
    )
    group.add_argument(
        "--search",
        metavar="TEXT",
        default=default,
        help="match names, ids, summaries and condition names/aliases",
    )


_LONG_TOKEN = re.compile(r"'[^'\n]*'|\S+")


def _cut_long_values(message: str) -> str:
    """argparse quotes what the user typed in its errors: cut any value too long to read."""
    from regen_compare.safe_text import ECHO_LIMIT, display_safe

    def cut(match: re.Match[str]) -> str:
        token = match.group(0)
        if len(token) <= ECHO_LIMIT + 2:
            return token
        if token.startswith("'") and token.endswith("'") and len(token) > 1:
            return "'" + display_safe(token[1:-1], limit=ECHO_LIMIT) + "'"
        return display_safe(token, limit=ECHO_LIMIT)

    return _LONG_TOKEN.sub(cut, message)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        super().error(_cut_long_values(message))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="regen-compare",
        description="Compare regenerative and traditional pain therapies on cost, recovery, "
        "invasiveness and coverage. With no command, opens the interactive app.",
        epilog="Educational estimates, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"regen-compare {__version__}")
    _data_option(parser, None)
    _profile_options(parser, None)
    _filter_options(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Subcommands repeat the shared options with SUPPRESS so a value given before the command
    # is not reset by the subcommand's default.
    quiet = argparse.SUPPRESS

    p_list = sub.add_parser("list", help="list therapies with costs for a profile")
    _data_option(p_list, quiet)
    _profile_options(p_list, quiet)
    _filter_options(p_list, quiet)
    from_sort = (
        "name",
        "id",
        "category",
        "modality",
        "invasiveness",
        "downtime",
        "full_weeks",
        "cost",
        "patient_cost",
        "coverage",
        "evidence",
        "regulatory",
    )
    p_list.add_argument(
        "--sort",
        metavar="KEY",
        choices=from_sort,
        default="name",
        help="one of: " + ", ".join(from_sort),
    )
    p_list.add_argument("--desc", action="store_true", help="sort descending")
    p_list.add_argument("--format", choices=LIST_FORMATS, default="table")

    p_cmp = sub.add_parser("compare", help="compare therapies side by side")
    p_cmp.add_argument("ids", nargs="+", metavar="ID", help="two or more therapy ids")
    _data_option(p_cmp, quiet)
    _profile_options(p_cmp, quiet)
    p_cmp.add_argument("--format", choices=LIST_FORMATS, default="table")

    p_exp = sub.add_parser("export", help="write a handout for the given therapies")
    p_exp.add_argument("ids", nargs="+", metavar="ID", help="therapy ids")
    p_exp.add_argument(
        "--to", metavar="FILE", required=True, help="output file: .md, .html, .csv, .json or .toml"
    )
    p_exp.add_argument("--force", action="store_true", help="replace an existing file")
    _data_option(p_exp, quiet)
    _profile_options(p_exp, quiet)

    p_val = sub.add_parser("validate", help="check the data files; exit 1 listing every problem")
    _data_option(p_val, quiet)
    p_val.add_argument("--strict", action="store_true", help="treat warnings as errors")

    p_schema = sub.add_parser("schema", help="JSON Schema of both data files")
    p_schema.add_argument(
        "--out", metavar="DIR", help="write therapies.schema.json and payers.schema.json there"
    )
    p_serve = sub.add_parser("serve", help="the app in a browser tab (textual-serve)")
    p_serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    _data_option(p_serve, quiet)
    _profile_options(p_serve, quiet)
    _filter_options(p_serve, quiet)

    p_data = sub.add_parser("data", help="maintainer tools: coverage report, data diff")
    data_sub = p_data.add_subparsers(dest="data_command", metavar="TOOL", required=True)
    p_report = data_sub.add_parser("report", help="coverage matrix, oldest sources, low confidence")
    _data_option(p_report, quiet)
    p_report.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    p_diff = data_sub.add_parser(
        "diff",
        help="what changed between two data folders (exit 0 equal, 1 different, 2 unreadable)",
    )
    p_diff.add_argument("old_dir", metavar="OLD_DIR")
    p_diff.add_argument("new_dir", metavar="NEW_DIR")
    p_diff.add_argument("--format", choices=("text", "json"), default="text")
    p_sc = sub.add_parser(
        "scenario",
        help="saved scenarios: list, show, save, rename, delete, compare two side by side",
    )
    sc_sub = p_sc.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    sc_sub.add_parser("list", help="names of the saved scenarios")
    p_show = sc_sub.add_parser("show", help="what a scenario holds")
    p_show.add_argument("name", metavar="NAME")
    _data_option(p_show, quiet)
    p_save = sc_sub.add_parser("save", help="save a profile, filters and marked therapies")
    p_save.add_argument("name", metavar="NAME")
    p_save.add_argument(
        "--mark",
        metavar="ID",
        action="append",
        default=[],
        help="a therapy to keep marked (up to 4; repeat the option)",
    )
    p_save.add_argument("--force", action="store_true", help="replace a scenario of that name")
    _data_option(p_save, quiet)
    _profile_options(p_save, quiet)
    _filter_options(p_save, quiet)
    p_ren = sc_sub.add_parser("rename", help="rename a scenario")
    p_ren.add_argument("old", metavar="OLD")
    p_ren.add_argument("new", metavar="NEW")
    p_del = sc_sub.add_parser("delete", help="delete a scenario")
    p_del.add_argument("name", metavar="NAME")
    p_two = sc_sub.add_parser("compare", help="two scenarios side by side, differences marked")
    p_two.add_argument("left", metavar="A")
    p_two.add_argument("right", metavar="B")
    p_two.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    _data_option(p_two, quiet)
    return parser


# --- helpers --------------------------------------------------------------------------------


def _err(message: str) -> None:
    from regen_compare.safe_text import display_safe

    print(display_safe(message, multiline=True), file=sys.stderr)


def _load_result(args: argparse.Namespace, *, one_shot: bool = True) -> Any:
    """Load the data (through the cache) or exit 1 with every problem; warnings to stderr.

    `one_shot`: the command prints and ends, so the catalog lives until the process ends and
    is taken out of the cyclic GC's sight (pricing and sorting thousands of rows then trigger
    no full collections over it). Not for the TUI: a reload replaces the catalog, and a frozen
    one would never be freed."""
    from regen_compare.load import load_catalog, resolve_data_dir

    result = load_catalog(resolve_data_dir(args.data_dir), use_cache=True)
    for warning in result.warnings:
        _err(str(warning))
    if one_shot:
        import gc

        gc.freeze()
    return result


def _load(args: argparse.Namespace) -> Catalog:
    catalog: Catalog = _load_result(args).catalog
    return catalog


def _check_id(kind: str, value: str, known: Sequence[str]) -> None:
    if value in known:
        return
    from regen_compare.problems import close_matches
    from regen_compare.safe_text import quote

    close = close_matches(value, known)
    hint = f"did you mean: {', '.join(close)}" if close else "valid ids: " + ", ".join(known)
    raise UsageError(f"unknown {kind} id {quote(value)}; {hint}")


def _scenario(args: argparse.Namespace, catalog: Catalog) -> Any:
    """The saved scenario named by --scenario, checked against the data (or None).

    Resolved once per run; its notes (what the data no longer has) are kept on `args` so the
    TUI can show them too (stderr is hidden once the screen opens)."""
    name = getattr(args, "scenario", None)
    if not name:
        return None
    cached = getattr(args, "_resolved_scenario", None)
    if cached is not None:
        return cached.scenario
    from regen_compare.scenarios import ScenarioError, load, resolve

    try:
        resolved = resolve(load(name), catalog)
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
    for note in resolved.notes:
        _err(f"note: scenario {_echo(name)}: {note}")
    args._resolved_scenario = resolved
    return resolved.scenario


def _pick(value: Any, default: Any) -> Any:
    return default if value is None else value


def _merged_profile(args: argparse.Namespace, start: Profile) -> Profile:
    """The options given on the command line, over `start` (a scenario's, or the default)."""
    from decimal import Decimal as D

    from regen_compare.costs import Profile

    return Profile(
        condition=_pick(args.condition, start.condition),
        payer=_pick(args.payer, start.payer),
        deductible_met=_pick(args.deductible_met, start.deductible_met) or D(0),
        oop_met=_pick(args.oop_met, start.oop_met) or D(0),
        years=_pick(args.years, start.years),
    )


def _merged_filters(args: argparse.Namespace, start: Filters) -> Filters:
    """The filter options given on the command line, over `start`, one by one."""
    from regen_compare.model import Category, Invasiveness
    from regen_compare.query import Filters

    return Filters(
        category=Category(args.category) if args.category else start.category,
        max_invasiveness=(
            Invasiveness(args.max_invasiveness) if args.max_invasiveness else start.max_invasiveness
        ),
        max_patient_cost=_pick(args.max_patient_cost, start.max_patient_cost),
        max_downtime_days=_pick(args.max_downtime_days, start.max_downtime_days),
        covered_only=bool(args.covered_only) or start.covered_only,
        search=_pick(args.search, start.search),
    )


def _profile(args: argparse.Namespace, catalog: Catalog) -> Profile:
    """The profile asked for, its ids checked against the data (unknown: exit 2)."""
    from regen_compare.costs import Profile

    if args.condition is not None:
        _check_id("condition", args.condition, list(catalog.conditions))
    if args.payer is not None:
        _check_id("payer", args.payer, list(catalog.payers))
    base = _scenario(args, catalog)
    return _merged_profile(args, base.profile if base is not None else Profile())


def _filters(args: argparse.Namespace, catalog: Catalog) -> Filters:
    from regen_compare.query import Filters

    base = _scenario(args, catalog)
    return _merged_filters(args, base.filters if base is not None else Filters())


def _rows_for_ids(ids: Sequence[str], catalog: Catalog, profile: Profile) -> list[Any]:
    from regen_compare.query import build_rows

    for tid in ids:
        _check_id("therapy", tid, list(catalog.therapies))
    by_id = {r.id: r for r in build_rows(catalog, profile)}
    seen: list[str] = []
    for tid in ids:
        if tid not in seen:
            seen.append(tid)
    return [by_id[tid] for tid in seen]


# --- commands -------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from regen_compare import formats
    from regen_compare.query import build_rows, filter_rows, sort_rows

    catalog = _load(args)
    profile = _profile(args, catalog)
    filters = _filters(args, catalog)
    all_rows = build_rows(catalog, profile)
    rows = sort_rows(filter_rows(all_rows, filters, profile.condition), args.sort, args.desc)
    if args.format == "json":
        sys.stdout.write(formats.rows_to_json(rows))
    elif args.format == "csv":
        sys.stdout.write(formats.rows_to_csv(rows))
    elif args.format == "markdown":
        sys.stdout.write(formats.rows_to_markdown(rows, profile))
    else:
        from regen_compare.report import print_list

        described = filters.describe()
        if profile.condition:
            described.insert(0, f"for {catalog.conditions[profile.condition].name}")
        print_list(_console(), rows, len(all_rows), profile, catalog, described)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    from regen_compare import formats

    if len(args.ids) < 2:
        raise UsageError("compare needs at least two therapy ids")
    catalog = _load(args)
    profile = _profile(args, catalog)
    rows = _rows_for_ids(args.ids, catalog, profile)
    if args.format == "json":
        sys.stdout.write(formats.rows_to_json(rows))
    elif args.format == "csv":
        sys.stdout.write(formats.rows_to_csv(rows))
    elif args.format == "markdown":
        from regen_compare.comparison import BEST, comparison

        header = ["", *(r.therapy.name for r in rows)]
        body = [
            [line.label, *(f"{BEST} {c.text}" if c.best else c.text for c in line.cells)]
            for line in comparison(rows, profile)
        ]
        sys.stdout.write(formats.md_table(header, body))
    else:
        from regen_compare.report import print_compare

        print_compare(_console(), rows, profile, catalog)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import date

    from regen_compare import export

    try:
        fmt = export.format_from_path(args.to)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    catalog = _load(args)
    profile = _profile(args, catalog)
    rows = _rows_for_ids(args.ids, catalog, profile)
    written = export.write_handout(
        args.to, fmt, rows, profile, catalog, today=date.today(), force=args.force
    )
    print(f"wrote {written}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from regen_compare.load import load_catalog, resolve_data_dir

    result = load_catalog(resolve_data_dir(args.data_dir))
    for warning in result.warnings:
        print(str(warning))
    c = result.catalog
    summary = (
        f"{len(c.conditions)} conditions, {len(c.therapies)} therapies, {len(c.payers)} payers, "
        f"{c.coverage_rule_count} coverage rules"
    )
    if result.warnings:
        count = len(result.warnings)
        print(f"valid with {count} warning{'s' if count != 1 else ''}: {summary}")
        return EXIT_DATA if args.strict else EXIT_OK
    print(f"valid: {summary}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from regen_compare.schema import schemas

    documents = schemas()
    if args.out:
        from regen_compare.atomic import write_atomic

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        for name, schema in documents.items():
            # The schema files are ours to refresh, so a regular file is replaced; anything
            # else (a link, a folder, a FIFO) is refused: `schema` has no --force.
            path = write_atomic(
                out / name,
                json.dumps(schema, indent=2) + "\n",
                overwrite=True,
                replace_link=False,
            )
            print(f"wrote {path}")
    else:
        sys.stdout.write(json.dumps(documents, indent=2) + "\n")
    return EXIT_OK


def cmd_scenario(args: argparse.Namespace) -> int:
    from regen_compare import scenarios
    from regen_compare.safe_text import display_safe

    action = args.scenario_command
    try:
        if action == "list":
            listing = scenarios.scan()
            for name in listing.names:
                print(display_safe(name))
            for problem in listing.problems:
                _err(f"warning: {problem}")
            return EXIT_OK
        if action == "delete":
            scenarios.delete(args.name)
            print(f"deleted {_echo(args.name)}")
            return EXIT_OK
        if action == "rename":
            print(f"renamed to {_echo(args.new)}: {scenarios.rename(args.old, args.new)}")
            return EXIT_OK
        catalog = _load(args)
        if action == "show":
            resolved = scenarios.resolve(scenarios.load(args.name), catalog)
            for note in resolved.notes:
                _err(f"note: {note}")
            sys.stdout.write(_describe_scenario(resolved.scenario, catalog))
            return EXIT_OK
        if action == "save":
            if len(args.mark) > scenarios.MAX_MARKS:
                raise UsageError(f"at most {scenarios.MAX_MARKS} therapies can be marked")
            for tid in args.mark:
                _check_id("therapy", tid, list(catalog.therapies))
            scenario = scenarios.Scenario(
                args.name, _profile(args, catalog), _filters(args, catalog), tuple(args.mark)
            )
            print(f"saved {scenarios.save(scenario, overwrite=args.force)}")
            return EXIT_OK
        left = scenarios.resolve(scenarios.load(args.left), catalog)
        right = scenarios.resolve(scenarios.load(args.right), catalog)
    except scenarios.ScenarioError as exc:
        raise UsageError(str(exc)) from None
    for note in (*left.notes, *right.notes):
        _err(f"note: {note}")
    from regen_compare.maintenance_output import render_side_by_side

    lines = scenarios.side_by_side(catalog, left.scenario, right.scenario)
    sys.stdout.write(
        render_side_by_side(lines, left.scenario.name, right.scenario.name, args.format)
    )
    return EXIT_OK


def _describe_scenario(scenario: Any, catalog: Catalog) -> str:
    from regen_compare.formats import profile_to_dict

    lines = [f"name: {scenario.name}"]
    lines += [f"{k}: {v}" for k, v in profile_to_dict(scenario.profile).items() if v is not None]
    lines += [f"filter: {f}" for f in scenario.filters.describe()]
    lines += [f"marked: {catalog.therapies[t].name} ({t})" for t in scenario.marked]
    from regen_compare.safe_text import display_safe

    return "".join(display_safe(line) + "\n" for line in lines)


def cmd_data(args: argparse.Namespace) -> int:
    from regen_compare import maintenance_output

    if args.data_command == "report":
        from regen_compare.maintenance import build_report

        report = build_report(_load(args))
        sys.stdout.write(maintenance_output.render_report(report, args.format))
        return EXIT_OK
    from regen_compare.load import load_catalog
    from regen_compare.maintenance import diff_catalogs
    from regen_compare.problems import DataError

    catalogs = []
    for folder in (args.old_dir, args.new_dir):
        try:
            catalogs.append(load_catalog(folder).catalog)
        except DataError as exc:
            for problem in exc.errors:
                _err(str(problem))
            _err(f"{folder}: cannot be compared until it is valid")
            return EXIT_USAGE
    changes = diff_catalogs(*catalogs)
    sys.stdout.write(maintenance_output.render_diff(changes, args.format))
    return EXIT_DATA if changes else EXIT_OK


def _passthrough(args: argparse.Namespace) -> list[str]:
    """The profile and filter options as given, for the app each browser session starts."""
    out: list[str] = []
    for option in (
        "scenario",
        "condition",
        "payer",
        "deductible_met",
        "oop_met",
        "years",
        "category",
        "max_invasiveness",
        "max_patient_cost",
        "max_downtime_days",
        "search",
    ):
        value = getattr(args, option, None)
        if value is not None and value != "":
            out += ["--" + option.replace("_", "-"), str(value)]
    if getattr(args, "covered_only", False):
        out.append("--covered-only")
    return out


def cmd_serve(args: argparse.Namespace) -> int:
    from regen_compare.serve import run_serve

    return run_serve(args.host, args.port, args.data_dir, _passthrough(args))


PRELOAD_BELOW_BYTES = 1 << 20
"""Data smaller than this (both files, ~1,200 therapies) is loaded before the screen opens."""


def _data_size(data_dir: Path) -> int:
    total = 0
    for name in ("therapies.toml", "payers.toml"):
        path = data_dir / name
        total += path.stat().st_size if path.is_file() else 0
    return total


def cmd_tui(args: argparse.Namespace) -> int:
    from regen_compare.load import resolve_data_dir

    data_dir = resolve_data_dir(args.data_dir)
    if _data_size(data_dir) >= PRELOAD_BELOW_BYTES:
        # Large data: open the screen at once and load behind its loading indicator (off
        # the event loop); the app drops unknown ids with a note when the data arrives.
        return _run_tui_unchecked(args, data_dir)
    # Small data: load and check here, before the screen changes, so bad data or ids end
    # with a message; the app starts from this result instead of loading it again.
    result = _load_result(args, one_shot=False)
    catalog = result.catalog
    profile = _profile(args, catalog)
    filters = _filters(args, catalog)
    scenario = _scenario(args, catalog)
    resolved = getattr(args, "_resolved_scenario", None)
    from regen_compare.tui.app import run_tui

    return run_tui(
        data_dir,
        profile,
        filters,
        tuple(scenario.marked) if scenario is not None else (),
        scenario=scenario.name if scenario is not None else None,
        scenario_notes=tuple(resolved.notes) if resolved is not None else (),
        preloaded=result,
    )


def _run_tui_unchecked(args: argparse.Namespace, data_dir: Path) -> int:
    """Start the app before the data is loaded: the same merge of scenario and options as
    `_profile`/`_filters`, without the id checks (the app drops unknown ids on load)."""
    from regen_compare.costs import Profile
    from regen_compare.query import Filters
    from regen_compare.scenarios import Scenario, ScenarioError, load

    scenario: Scenario | None = None
    if getattr(args, "scenario", None):
        try:
            scenario = load(args.scenario)
        except ScenarioError as exc:
            raise UsageError(str(exc)) from None
    profile = _merged_profile(args, scenario.profile if scenario is not None else Profile())
    filters = _merged_filters(args, scenario.filters if scenario is not None else Filters())
    from regen_compare.tui.app import run_tui

    return run_tui(
        data_dir,
        profile,
        filters,
        scenario.marked if scenario is not None else (),
        scenario=scenario.name if scenario is not None else None,
    )


COMMANDS = {
    "list": cmd_list,
    "compare": cmd_compare,
    "export": cmd_export,
    "validate": cmd_validate,
    "schema": cmd_schema,
    "data": cmd_data,
    "scenario": cmd_scenario,
    "serve": cmd_serve,
}


def _console() -> Any:
    """The Rich console for tables, ending quietly when the reader goes away (`| head`):
    Rich's own handler would exit 1, the "bad data" code."""
    from regen_compare.report import make_console

    console = make_console()

    def broken_pipe() -> None:
        raise BrokenPipeError

    console.on_broken_pipe = broken_pipe  # type: ignore[method-assign]
    return console


def _empty_paths(args: argparse.Namespace) -> str | None:
    """The first folder option given as an empty string (it would silently mean "default")."""
    for option in ("data_dir", "old_dir", "new_dir", "out"):
        if getattr(args, option, None) == "":
            return "--" + option.replace("_", "-") if option in ("data_dir", "out") else option
    return None


def _usage_exit(parser: argparse.ArgumentParser, message: str) -> NoReturn:
    parser.print_usage(sys.stderr)
    _err(f"regen-compare: error: {message}")
    raise SystemExit(EXIT_USAGE)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    empty = _empty_paths(args)
    if empty is not None:
        _usage_exit(parser, f"{empty} needs a folder, not an empty string")
    handler = COMMANDS.get(args.command or "", cmd_tui)
    from regen_compare.atomic import WriteError
    from regen_compare.problems import DataError

    try:
        return handler(args)
    except UsageError as exc:
        _usage_exit(parser, str(exc))
    except DataError as exc:
        for problem in exc.problems:
            _err(str(problem))
        count = len(exc.errors)
        _err(f"{count} problem{'s' if count != 1 else ''} found")
        return EXIT_DATA
    except WriteError as exc:
        _err(f"regen-compare: {exc}")
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); say nothing more, and point stdout at
        # /dev/null so the interpreter's last flush does not fail either.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # e.g. `schema --out` into a folder that cannot be created
        where = f"{exc.filename}: " if exc.filename else ""
        _err(f"regen-compare: {where}{exc.strerror or exc}")
        return EXIT_DATA
    except Exception as exc:
        # A traceback shown to a user is a bug; so is this, but it ends in one readable line.
        if os.environ.get("REGEN_COMPARE_DEBUG"):
            raise
        _err(
            f"regen-compare: internal error ({type(exc).__name__}: {exc}). This is a bug: "
            "please report it; REGEN_COMPARE_DEBUG=1 shows the traceback."
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
