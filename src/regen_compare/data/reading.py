"""From a path to a TOML document, each step guarded, each problem with its file and line.

Refuse what is not a small regular file before reading it, decode ourselves (so a bad byte
gets a line), pre-scan for input that would make the parser run away, then parse. Problems
are collected on a `FileContext`; nothing here raises for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from regen_compare.data import positions as toml_scan
from regen_compare.data.elements import ElementLines
from regen_compare.model.problems import Problem, Severity
from regen_compare.model.text import display_safe
from regen_compare.store.regular import Refusal, read_regular

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Files over this size are refused before they are read (the limit named in the message)."""

# A line holding 32 dots may be a run-away dotted key (quadratic in the parser): only then is
# the exact scanner run before parsing. A regex anchored on '.' costs ~2 ms per MB.
_MANY_DOTS = re.compile(r"\.(?:[^\n.]*\.){" + str(toml_scan.MAX_KEY_PARTS - 1) + "}")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def toml_parser() -> ModuleType:
    """The compiled `tomli` (~3× faster than tomllib, same messages), else `tomllib`.

    Imported on first use (function-level on purpose): a start-up served from the cache never
    pays its import (~35 ms).
    """
    try:
        import tomli

        return tomli
    except ImportError:  # pragma: no cover - tomli is a dependency; tomllib is the fallback
        import tomllib

        return tomllib


def toml_loads(text: str) -> dict[str, Any]:
    """Parse TOML text; raises the parser's own errors (see `parse` for the guarded path)."""
    document: dict[str, Any] = toml_parser().loads(text)
    return document


@dataclass
class FileContext:
    """Problems collected for one file, and the positions its keys were written at.

    Positions come from a scan of the text that is only run when a problem needs a line:
    valid files (the common case) never pay for it.
    """

    label: str
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    _scan: toml_scan.ScanResult | None = None
    _elements: ElementLines | None = None

    @property
    def scan(self) -> toml_scan.ScanResult:
        if self._scan is None:
            self._scan = toml_scan.scan(self.text)
        return self._scan

    def line_of(self, path: toml_scan.Path) -> int | None:
        """The line `path` was written at. A path into one element of an array of tables
        (`therapy`, 9999, …) is looked up in a scan of that element alone when the file's
        elements can be found exactly (`toml_elements`): the scan of the whole text takes
        ~6 s at 10,000 therapies, of one element well under a millisecond."""
        if self._scan is None:
            if self._elements is None or self._elements.text is not self.text:
                self._elements = ElementLines(self.text)
            line = self._elements.line_of(path)
            if line is not None:
                return line
        return self.scan.line_of(path)

    def add(
        self,
        message: str,
        *,
        path: toml_scan.Path = (),
        where: str = "",
        line: int | None = None,
        severity: Severity = "error",
    ) -> None:
        if line is None and path:
            line = self.line_of(path)
        self.problems.append(Problem(self.label, line, message, where=where, severity=severity))


def read_bytes(path: Path, label: str, limit: int = MAX_FILE_BYTES) -> bytes | Problem:
    """The file's bytes, or why it was refused (missing, a folder, a device, over `limit`)
    as a problem of the file `label` (`store.regular.read_regular`)."""
    found = read_regular(path, limit)
    return Problem(label, None, found.reason) if isinstance(found, Refusal) else found


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode(data: bytes, label: str) -> str | Problem:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(label, 1, "is UTF-16 text; save it as UTF-8 (without a byte-order mark)")
    nul = data.find(b"\x00")
    if nul != -1:
        sample = data[:200]
        if sample and sample.count(b"\x00") * 3 >= len(sample):
            return Problem(label, 1, "looks like UTF-16 text; save it as UTF-8")
        line, col = _line_col(data, nul)
        return Problem(
            label, line, "contains a NUL byte: this is not a text file (binary data?)", column=col
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(data, exc.start)
        bad = data[exc.start : exc.start + 1].hex()
        return Problem(
            label,
            line,
            f"is not valid UTF-8 (byte 0x{bad}); save the file as UTF-8",
            column=col,
        )


def _refuse_guarded(ctx: FileContext) -> bool:
    for guard_line, message in ctx.scan.guard_errors:
        ctx.add(f"refused: {message}", line=guard_line)
    return bool(ctx.scan.guard_errors)


def _syntax_problem(text: str, label: str, message: str) -> Problem:
    """The parser's message with its line, column and the offending line shown."""
    lines = text.splitlines()
    line: int | None = None
    column: int | None = None
    match = _AT.search(message)
    if match:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()]
    elif _AT_END.search(message):
        line = max(len(lines), 1)
        message = _AT_END.sub("", message)
    excerpt = None
    if line is not None and 0 < line <= len(lines):
        excerpt = display_safe(lines[line - 1].rstrip("\r"), limit=120)
    return Problem(
        label, line, f"TOML syntax error: {display_safe(message)}", column=column, excerpt=excerpt
    )


Loads = Callable[[str], dict[str, Any]]


def parse(text: str, ctx: FileContext, loads: Loads = toml_loads) -> dict[str, Any] | None:
    """The document, or None with the reason on `ctx` (syntax, run-away or huge input)."""
    return _parse(text, ctx, loads, may_run_away=bool(_MANY_DOTS.search(text)))


def _parse(
    text: str, ctx: FileContext, loads: Loads, *, may_run_away: bool
) -> dict[str, Any] | None:
    ctx.text = text
    if may_run_away and _refuse_guarded(ctx):
        return None
    parser = toml_parser()
    try:
        return loads(text)
    except parser.TOMLDecodeError as exc:
        ctx.problems.append(_syntax_problem(text, ctx.label, str(exc)))
    except RecursionError:
        if not _refuse_guarded(ctx):  # the scan names the line when it can
            ctx.add("refused: arrays, tables or keys are nested too deep")
    except MemoryError:
        ctx.add("refused: the file is too complex to parse")
    except ValueError as exc:  # e.g. an integer with thousands of digits
        long_number = re.search(r"\d{1000,}", text)
        where = text.count("\n", 0, long_number.start()) + 1 if long_number else None
        ctx.add(f"a value cannot be read: {display_safe(str(exc), limit=160)}", line=where)
    return None


def read_document(
    path: Path, ctx: FileContext, limit: int = MAX_FILE_BYTES, loads: Loads = toml_loads
) -> dict[str, Any] | None:
    """Read, decode and parse one file; None with the problems on `ctx` when it cannot."""
    return document_of(read_bytes(path, ctx.label, limit), ctx, loads)


def document_of(
    data: bytes | Problem, ctx: FileContext, loads: Loads = toml_loads
) -> dict[str, Any] | None:
    """Decode and parse what `read_bytes` gave (a refusal goes on `ctx`): for a caller that
    keeps the very bytes it checked (a cache keys its entry on them)."""
    text = _text_of(data, ctx)
    return None if text is None else parse(text, ctx, loads)


def _text_of(data: bytes | str | Problem, ctx: FileContext) -> str | None:
    """The file's text (bytes decoded), or None with the refusal or decoding problem on `ctx`."""
    text = decode(data, ctx.label) if isinstance(data, bytes) else data
    if isinstance(text, Problem):
        ctx.problems.append(text)
        return None
    return text
