"""The command line's parser. Every choice and limit comes from the core: the categories and
invasiveness levels from `model`, the sort keys from `query.SORT_KEYS`, the money, years and
days limits from `limits`, the weights from `fit.Weights.parse`. The profile and filter
options are one table (`PROFILE_OPTIONS`, `FILTER_OPTIONS`) that builds the parser and the
options handed on to the app in a browser tab (`passthrough`), so neither can drift.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import NoReturn

from regen_compare import __version__
from regen_compare.cli.exits import EXIT_USAGE
from regen_compare.engine.costs import MAX_UNITS, MAX_YEARS, UnitsChoice
from regen_compare.engine.fit.score import WEIGHTS_EXAMPLE, Weights, WeightsError
from regen_compare.engine.query import SORT_KEYS
from regen_compare.model.entities import MAX_MONEY, Category, Invasiveness
from regen_compare.model.limits import MAX_DOWNTIME_DAYS, MAX_MARKS, MIN_YEARS
from regen_compare.model.text import ECHO_LIMIT, display_safe, quote

PROG = "regen-compare"
LIST_FORMATS = ("table", "json", "csv", "markdown")
REPORT_FORMATS = ("table", "markdown", "json")
CATEGORIES = tuple(c.value for c in Category)
INVASIVENESS_LEVELS = tuple(i.value for i in sorted(Invasiveness, key=lambda i: i.rank))


# --- argument types -------------------------------------------------------------------------


def usd(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").lstrip("$"))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not an amount in dollars") from None
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        raise argparse.ArgumentTypeError(f"{quote(text)} must be between 0 and {MAX_MONEY:,}")
    return value


def years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number of years") from None
    if not MIN_YEARS <= value <= MAX_YEARS:
        raise argparse.ArgumentTypeError(f"years must be between {MIN_YEARS} and {MAX_YEARS}")
    return value


def days(text: str) -> Decimal:
    value = usd(text)
    if value > MAX_DOWNTIME_DAYS:
        raise argparse.ArgumentTypeError(f"days must be at most {MAX_DOWNTIME_DAYS}")
    return value


def weights(text: str) -> Weights:
    try:
        return Weights.parse(text)
    except WeightsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def units(text: str) -> UnitsChoice:
    """`prp-injection=3` (this year) or `prp-injection=3,later=1` (and each later year): the
    units the patient expects, instead of the data's assumed range (the id is checked against
    the data once it is found)."""
    how = f"{quote(text)}: write THERAPY=N or THERAPY=N,later=M (e.g. prp-injection=3,later=1)"
    head, _, rest = text.partition(",")
    therapy, eq, first = (part.strip() for part in head.partition("="))
    later = None
    if rest:
        key, _, value = (part.strip() for part in rest.partition("="))
        if key != "later" or not value:
            raise argparse.ArgumentTypeError(how)
        later = _count_of_units(value, text)
    if not eq or not therapy or not first:
        raise argparse.ArgumentTypeError(how)
    return UnitsChoice(therapy, _count_of_units(first, text), later)


def _count_of_units(value: str, text: str) -> Decimal:
    try:
        count = Decimal(value)
    except InvalidOperation:
        count = Decimal(-1)
    if not count.is_finite() or not Decimal(0) <= count <= MAX_UNITS or count != round(count, 2):
        raise argparse.ArgumentTypeError(
            f"{quote(text)}: a number of units from 0 to {MAX_UNITS} (at most 2 decimals)"
        )
    return count


def region(text: str) -> str:
    """A region code as typed (checked against data/regions.toml once the data is found)."""
    code = text.strip().upper()
    if not code:
        raise argparse.ArgumentTypeError("needs a US state's two-letter code, e.g. FL")
    return code


# --- the shared options, as one table -------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One profile or filter option: how it is parsed and how it is handed on."""

    flag: str
    help: str
    metavar: str | None = None
    type: Callable[[str], object] | None = None
    choices: tuple[str, ...] | None = None
    switch: bool = False
    """A flag without a value (store_true)."""
    repeat: bool = False
    """May be given more than once (each value kept, in order)."""

    @property
    def dest(self) -> str:
        return self.flag.removeprefix("--").replace("-", "_")

    def add_to(self, group: argparse._ArgumentGroup, default: object) -> None:
        if self.switch:
            group.add_argument(self.flag, action="store_true", default=default, help=self.help)
            return
        if self.repeat and self.type is not None:
            group.add_argument(
                self.flag,
                metavar=self.metavar,
                type=self.type,
                action="append",
                default=default,
                help=self.help,
            )
            return
        if self.type is not None:
            group.add_argument(
                self.flag, metavar=self.metavar, type=self.type, default=default, help=self.help
            )
            return
        group.add_argument(
            self.flag, metavar=self.metavar, choices=self.choices, default=default, help=self.help
        )

    def given(self, value: object) -> list[str]:
        """The option as typed again, for another process; [] when not given."""
        if self.switch:
            return [self.flag] if value else []
        if value is None or value == "":
            return []
        if self.repeat and isinstance(value, list):
            return [part for item in value for part in (self.flag, typed_again(item))]
        return [self.flag, typed_again(value)]


def typed_again(value: object) -> str:
    """An option's parsed value as it would be typed."""
    if isinstance(value, Weights):
        return value.format()
    if isinstance(value, UnitsChoice):
        later = "" if value.later_years is None else f",later={value.later_years}"
        return f"{value.therapy}={value.first_year}{later}"
    return str(value)


PROFILE_OPTIONS: tuple[Option, ...] = (
    Option("--scenario", "start from a saved scenario; other options override it", "NAME"),
    Option("--condition", "condition id", "ID"),
    Option("--payer", "payer (plan) id", "ID"),
    Option("--deductible-met", "deductible already met this year", "USD", usd),
    Option("--oop-met", "out-of-pocket already spent this year", "USD", usd),
    Option("--years", f"horizon in years ({MIN_YEARS}-{MAX_YEARS}, default 1)", "N", years),
    Option("--region", "US state (two letters): Medicare amounts for that state", "XX", region),
    Option("--supplement", "coverage after the plan (e.g. medigap-g, medigap-n)", "ID"),
    Option(
        "--units",
        "units the patient expects for a therapy: ID=N[,later=M] (repeat for more therapies)",
        "ID=N",
        units,
        repeat=True,
    ),
    Option(
        "--weights",
        f"what matters, each criterion 0-3 (default balanced), e.g. {WEIGHTS_EXAMPLE}",
        "W",
        weights,
    ),
)
FILTER_OPTIONS: tuple[Option, ...] = (
    Option("--category", "one of: " + ", ".join(CATEGORIES), "KIND", choices=CATEGORIES),
    Option(
        "--max-invasiveness",
        "one of: " + ", ".join(INVASIVENESS_LEVELS),
        "LEVEL",
        choices=INVASIVENESS_LEVELS,
    ),
    Option("--max-patient-cost", "keep options whose lowest cost to you fits", "USD", usd),
    Option("--max-downtime-days", f"at most {MAX_DOWNTIME_DAYS} days", "N", days),
    Option("--covered-only", "keep options your plan covers for your condition", switch=True),
    Option("--search", "match names, ids, summaries and condition names/aliases", "TEXT"),
)


def passthrough(args: argparse.Namespace) -> list[str]:
    """The profile and filter options as given, for the app each browser session starts."""
    out: list[str] = []
    for option in (*PROFILE_OPTIONS, *FILTER_OPTIONS):
        out += option.given(getattr(args, option.dest, None))
    return out


def _data_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="folder holding therapies.toml and payers.toml (default: $REGEN_COMPARE_DATA, "
        "else the bundled data)",
    )


def _shared(parser: argparse.ArgumentParser, default: object, *, filters: bool = True) -> None:
    _data_option(parser, default)
    profile = parser.add_argument_group("profile")
    for option in PROFILE_OPTIONS:
        option.add_to(profile, default)
    if filters:
        narrowing = parser.add_argument_group("filters")
        for option in FILTER_OPTIONS:
            option.add_to(narrowing, default)


# --- errors: one line and a hint -------------------------------------------------------------

_LONG_TOKEN = re.compile(r"'[^'\n]*'|\S+")


def cut_long_values(message: str) -> str:
    """argparse quotes what the user typed in its errors: cut any value too long to read."""

    def cut(match: re.Match[str]) -> str:
        token = match.group(0)
        if len(token) <= ECHO_LIMIT + 2:
            return token
        if token.startswith("'") and token.endswith("'") and len(token) > 1:
            return "'" + display_safe(token[1:-1], limit=ECHO_LIMIT) + "'"
        return display_safe(token, limit=ECHO_LIMIT)

    return _LONG_TOKEN.sub(cut, message)


def usage_exit(prog: str, message: str) -> NoReturn:
    """Print the error in one line, then where to look, and exit 2 (no usage block)."""
    print(display_safe(f"{prog}: error: {message}", multiline=True), file=sys.stderr)
    print(f"hint: '{prog} --help' lists the options", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        usage_exit(self.prog, cut_long_values(message))


# --- the commands ----------------------------------------------------------------------------


def _add_list(sub: argparse._SubParsersAction[Parser], quiet: str) -> None:
    p_list = sub.add_parser("list", help="list therapies with costs for a profile")
    _shared(p_list, quiet)
    sort_keys = tuple(SORT_KEYS)
    p_list.add_argument(
        "--sort",
        metavar="KEY",
        choices=sort_keys,
        default="name",
        help="one of: " + ", ".join(sort_keys),
    )
    p_list.add_argument("--desc", action="store_true", help="sort descending")
    p_list.add_argument("--format", choices=LIST_FORMATS, default="table")

    p_cmp = sub.add_parser("compare", help="compare therapies side by side")
    p_cmp.add_argument("ids", nargs="+", metavar="ID", help="two or more therapy ids")
    _shared(p_cmp, quiet, filters=False)
    p_cmp.add_argument("--format", choices=LIST_FORMATS, default="table")

    p_exp = sub.add_parser("export", help="write a handout for the given therapies")
    p_exp.add_argument("ids", nargs="+", metavar="ID", help="therapy ids")
    p_exp.add_argument(
        "--to", metavar="FILE", required=True, help="output file; its ending picks the format"
    )
    p_exp.add_argument("--force", action="store_true", help="replace an existing file")
    p_exp.add_argument(
        "--detailed",
        action="store_true",
        help="the full-detail handout (every worked figure and source); default: the "
        "patient's handout",
    )
    _shared(p_exp, quiet, filters=False)


def _add_maintenance(sub: argparse._SubParsersAction[Parser], quiet: str) -> None:
    p_val = sub.add_parser(
        "validate",
        help="check the data files (and regions.toml when present); exit 1 listing every problem",
    )
    _data_option(p_val, quiet)
    p_val.add_argument("--strict", action="store_true", help="treat warnings as errors")

    p_schema = sub.add_parser("schema", help="JSON Schema of the data files")
    p_schema.add_argument(
        "--out",
        metavar="DIR",
        help="write therapies.schema.json, payers.schema.json and regions.schema.json there",
    )
    p_serve = sub.add_parser("serve", help="the app in a browser tab (textual-serve)")
    p_serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    p_serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p_serve.add_argument(
        "--allow-host",
        action="append",
        metavar="NAME",
        help="a name browsers may use to reach a non-loopback --host (repeatable); other "
        "names are refused (DNS rebinding), addresses and loopback names always work",
    )
    _shared(p_serve, quiet)

    p_data = sub.add_parser("data", help="maintainer tools: coverage report, data diff")
    data_sub = p_data.add_subparsers(dest="data_command", metavar="TOOL", required=True)
    p_report = data_sub.add_parser("report", help="coverage matrix, oldest sources, low confidence")
    _data_option(p_report, quiet)
    p_report.add_argument("--format", choices=REPORT_FORMATS, default="table")
    p_diff = data_sub.add_parser(
        "diff",
        help="what changed between two data folders (exit 0 equal, 1 different, 2 unreadable)",
    )
    p_diff.add_argument("old_dir", metavar="OLD_DIR")
    p_diff.add_argument("new_dir", metavar="NEW_DIR")
    p_diff.add_argument("--format", choices=("text", "json"), default="text")


def _add_scenario(sub: argparse._SubParsersAction[Parser], quiet: str) -> None:
    p_sc = sub.add_parser(
        "scenario",
        help="saved scenarios: list, show, save, rename, delete, compare two side by side",
    )
    sc_sub = p_sc.add_subparsers(dest="scenario_command", metavar="ACTION", required=True)
    sc_sub.add_parser("list", help="names of the saved scenarios")
    p_show = sc_sub.add_parser("show", help="what a scenario holds")
    p_show.add_argument("name", metavar="NAME")
    _data_option(p_show, quiet)
    p_save = sc_sub.add_parser("save", help="save a profile, weights, filters and marked therapies")
    p_save.add_argument("name", metavar="NAME")
    p_save.add_argument(
        "--mark",
        metavar="ID",
        action="append",
        default=[],
        help=f"a therapy to keep marked (up to {MAX_MARKS}; repeat the option)",
    )
    p_save.add_argument("--force", action="store_true", help="replace a scenario of that name")
    _shared(p_save, quiet)
    p_ren = sc_sub.add_parser("rename", help="rename a scenario")
    p_ren.add_argument("old", metavar="OLD")
    p_ren.add_argument("new", metavar="NEW")
    p_del = sc_sub.add_parser("delete", help="delete a scenario")
    p_del.add_argument("name", metavar="NAME")
    p_two = sc_sub.add_parser("compare", help="two scenarios side by side, differences marked")
    p_two.add_argument("left", metavar="A")
    p_two.add_argument("right", metavar="B")
    p_two.add_argument("--format", choices=REPORT_FORMATS, default="table")
    _data_option(p_two, quiet)


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Compare regenerative and traditional pain therapies on cost, recovery, "
        "invasiveness and coverage. With no command, opens the interactive app.",
        epilog="Educational estimates, not medical advice.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _shared(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    # Subcommands repeat the shared options with SUPPRESS so a value given before the command
    # is not reset by the subcommand's default.
    _add_list(sub, argparse.SUPPRESS)
    _add_maintenance(sub, argparse.SUPPRESS)
    _add_scenario(sub, argparse.SUPPRESS)
    return parser


def command_prog(args: Sequence[str | None]) -> str:
    """`regen-compare list` (for a hint), from the command words given."""
    return " ".join([PROG, *(a for a in args if a)])
