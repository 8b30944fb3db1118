"""The command line's entry point: parse, run one command, turn every outcome into one exit
code (README.md, "Exit codes"; the codes are in `cli.exits`).

The jobs live in their own modules: `cli.parser` (options, their choices and limits from
the core), `cli.context` (data, profile, filters, weights, region), `cli.commands` (the
scriptable commands), `cli.launch` (the app, here or in a browser tab; Textual is
imported only there, and only when the app starts). A command's slow modules (the app, the
server, the exports) are imported only when that command runs.

A usage error prints one line and a hint; any other error prints only itself.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from regen_compare.cli.exits import (
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    EXIT_WRITE,
    BadData,
    NotWritten,
    UsageError,
    err,
)
from regen_compare.data import gcpause
from regen_compare.model.problems import DataError
from regen_compare.store.atomic import WriteError

if TYPE_CHECKING:  # argparse is imported with the parser
    import argparse

__all__ = ["COMMANDS", "EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "EXIT_WRITE", "main"]

Command = Callable[["argparse.Namespace"], int]


def _command(module: str, name: str) -> Command:
    """A command whose module is imported when it runs (the others never are)."""

    def run(args: argparse.Namespace) -> int:
        handler: Command = getattr(importlib.import_module(f"regen_compare.{module}"), name)
        return handler(args)

    run.__name__ = name
    return run


COMMANDS: dict[str, Command] = {
    "list": _command("cli.commands", "cmd_list"),
    "compare": _command("cli.commands", "cmd_compare"),
    "export": _command("cli.commands", "cmd_export"),
    "validate": _command("cli.commands", "cmd_validate"),
    "schema": _command("cli.commands", "cmd_schema"),
    "data": _command("cli.commands", "cmd_data"),
    "scenario": _command("cli.commands", "cmd_scenario"),
    "serve": _command("cli.launch", "cmd_serve"),
}
START_APP = _command("cli.launch", "cmd_tui")
"""No command: the app."""


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


def _run(handler: Callable[[], int], command: str | None) -> int:
    """Run one command; every error ends as one exit code and a message without a traceback
    (usage errors end in `usage_exit`)."""
    try:
        return handler()
    except UsageError as exc:
        from regen_compare.cli.parser import command_prog, usage_exit

        usage_exit(command_prog([command]), str(exc))
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
    # The collector waits until the app's first frame (`gcpause`): a start allocates only
    # what it keeps. Any other command gets it back once parsed.
    gcpause.hold_for_start()
    try:
        words = list(sys.argv[1:] if argv is None else argv)
        from regen_compare.cli.parser import build_parser, command_prog, usage_exit

        args = build_parser().parse_args(words)
        empty = _empty_paths(args)
        if empty is not None:
            usage_exit(command_prog([args.command]), f"{empty} needs a folder, not an empty string")
        handler = COMMANDS.get(args.command or "", START_APP)
        if handler is not START_APP:
            gcpause.start_over(keep=False)
        return _guarded(lambda: handler(args), args.command)
    finally:
        gcpause.start_over(keep=False)  # the app did, unless it never showed a frame


def _guarded(handler: Callable[[], int], command: str | None) -> int:
    try:
        return _run(handler, command)
    except Exception as exc:
        # A traceback shown to a user is a bug; so is this, but it ends in one readable line.
        if os.environ.get("REGEN_COMPARE_DEBUG"):
            raise
        err(internal_error(exc))
        return EXIT_INTERNAL


def internal_error(exc: BaseException) -> str:
    """The one line a bug ends in: what kind of error and where in our code, never its
    message (it may quote the patient's profile or data: the app's crash in a consult is
    reported on the screen everyone is looking at). REGEN_COMPARE_DEBUG=1 shows it all."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "regen_compare" in Path(f.filename).parts] or frames
    where = ""
    if ours:
        parts = Path(ours[-1].filename).parts
        inside = (
            parts[parts.index("regen_compare") + 1 :] if "regen_compare" in parts else parts[-1:]
        )
        where = f" in {'/'.join(inside)}:{ours[-1].lineno}"
    return (
        f"regen-compare: internal error ({type(exc).__name__}{where}). This is a bug: please "
        "report it; REGEN_COMPARE_DEBUG=1 shows the traceback."
    )


if __name__ == "__main__":
    raise SystemExit(main())
