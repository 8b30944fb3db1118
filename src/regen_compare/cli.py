"""The command line's entry point: parse, run one command, turn every outcome into one exit
code (README.md, "Exit codes"; the codes are in `cli_exits`).

The jobs live in their own modules: `cli_parser` (options, their choices and limits from
the core), `cli_context` (data, profile, filters, weights, region), `cli_commands` (the
scriptable commands) and `cli_tui` (the app, here or in a browser tab; the only place
Textual is imported, and only when the app starts).

A usage error prints one line and a hint; any other error prints only itself.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence

from regen_compare.atomic import WriteError
from regen_compare.cli_commands import (
    cmd_compare,
    cmd_data,
    cmd_export,
    cmd_list,
    cmd_scenario,
    cmd_schema,
    cmd_validate,
)
from regen_compare.cli_context import err
from regen_compare.cli_exits import (
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WRITE,
    BadData,
    NotWritten,
    UsageError,
)
from regen_compare.cli_parser import build_parser, command_prog, usage_exit
from regen_compare.cli_tui import cmd_serve, cmd_tui
from regen_compare.problems import DataError

__all__ = ["COMMANDS", "EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "EXIT_WRITE", "main"]

Command = Callable[[argparse.Namespace], int]

COMMANDS: dict[str, Command] = {
    "list": cmd_list,
    "compare": cmd_compare,
    "export": cmd_export,
    "validate": cmd_validate,
    "schema": cmd_schema,
    "data": cmd_data,
    "scenario": cmd_scenario,
    "serve": cmd_serve,
}


def _empty_paths(args: argparse.Namespace) -> str | None:
    """The first folder option given as an empty string (it would silently mean "default")."""
    for option in ("data_dir", "old_dir", "new_dir", "out"):
        if getattr(args, option, None) == "":
            return "--" + option.replace("_", "-") if option in ("data_dir", "out") else option
    return None


def _quiet_stdout() -> None:
    """The reader went away (e.g. `| head`): point stdout at /dev/null so the interpreter's
    last flush does not fail either."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _run(handler: Command, args: argparse.Namespace) -> int:
    """Run one command; every error ends as one exit code and a message without a traceback
    (usage errors end in `usage_exit`)."""
    try:
        return handler(args)
    except UsageError as exc:
        usage_exit(command_prog([args.command]), str(exc))
    except DataError as exc:
        for problem in exc.problems:
            err(str(problem))
        count = len(exc.errors)
        err(f"{count} problem{'s' if count != 1 else ''} found")
        return EXIT_DATA
    except BadData as exc:
        err(f"regen-compare: {exc}")
        return EXIT_DATA
    except (NotWritten, WriteError) as exc:
        err(f"regen-compare: {exc}")
        return EXIT_WRITE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
    except OSError as exc:  # e.g. `schema --out` into a folder that cannot be created
        where = f"{exc.filename}: " if exc.filename else ""
        err(f"regen-compare: {where}{exc.strerror or exc}")
        return EXIT_WRITE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    empty = _empty_paths(args)
    if empty is not None:
        usage_exit(command_prog([args.command]), f"{empty} needs a folder, not an empty string")
    handler = COMMANDS.get(args.command or "", cmd_tui)
    try:
        return _run(handler, args)
    except Exception as exc:
        # A traceback shown to a user is a bug; so is this, but it ends in one readable line.
        if os.environ.get("REGEN_COMPARE_DEBUG"):
            raise
        err(
            f"regen-compare: internal error ({type(exc).__name__}: {exc}). This is a bug: "
            "please report it; REGEN_COMPARE_DEBUG=1 shows the traceback."
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())
