"""The command line's exit codes, one per situation, the same for every command (README.md,
"Exit codes"), and the errors that carry them to `cli.main`.
"""

from __future__ import annotations

import sys

from regen_compare.model.text import display_safe


def err(message: str) -> None:
    """Print one message for a person on stderr (display-safe: no escape sequences)."""
    print(display_safe(message, multiline=True), file=sys.stderr)


def say(message: str) -> None:
    """Print one line of a command's outcome on stdout (`wrote PATH`), display-safe like
    `err`: a path or a name typed or found on disk may hold escape sequences."""
    print(display_safe(message, multiline=True))


EXIT_OK = 0
"""Done."""
EXIT_DATA = 1
"""The files did not allow it. Bad data: a data file, the regions file or a saved scenario
has problems (each listed as FILE:LINE: key: message); `validate` found errors (or warnings,
with --strict). Or nothing was written (`EXIT_WRITE`, the same code)."""
EXIT_USAGE = 2
"""What was typed is wrong: an unknown option, id, scenario, region or criterion, a value out
of range; also the app started without a terminal."""
EXIT_WRITE = EXIT_DATA
"""Nothing was written: the file (or scenario) exists and --force was not given, the target
is a link, a folder or a device, or the system refused the write. The same code for every
command that writes (`export`, `scenario save`/`rename`/`delete`, `schema --out`), and the
one scripts already knew for a failed write."""
EXIT_INTERNAL = 70
"""A bug (EX_SOFTWARE): one readable line; REGEN_COMPARE_DEBUG=1 shows the traceback."""
EXIT_INTERRUPTED = 130
"""Stopped with ctrl+c."""

EXIT_DIFF_SAME = 0
EXIT_DIFF_CHANGED = 1
EXIT_DIFF_UNREADABLE = 2
"""`data diff` follows diff(1): 0 the same, 1 different, 2 a folder could not be compared."""


class UsageError(Exception):
    """A problem with what the user typed (exit 2): one line, then a hint."""


class NotWritten(Exception):
    """An output was refused or failed (exit 1): the message says which file and why."""


class BadData(Exception):
    """A file the command read is damaged (exit 1): the message names it and says why."""
