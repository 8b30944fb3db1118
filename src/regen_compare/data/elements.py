"""Where each element of an array of tables starts, found exactly with plain text searches,
or not at all.

The line of a problem in one `[[therapy]]` (or `[[payer]]`) element is found in that element's
text alone (`reading.FileContext`): the key scanner, `toml_scan`, is pure Python and takes
~6 s over a file of 10,000 therapies; over one element, a fraction of a millisecond.

The answer is exact, or there is none. A file is read only when it has no multi-line string
(`\"\"\"` or `'''`) and no indented table header. Then every line that starts with `[` is a
table header (no other TOML value may span lines with such a line inside: an array holds
values, an inline table is one line, a comment or a quoted string ends at its line), and
each element starts at a line that reads `[[key]]`, maybe with a comment. Before the first
one no header may name the key at all (`[[ key ]]` there would be an element not seen), and
from it on every header must be `[[key]]` or one of its sub-tables, written plainly
(`[[ key ]]` or `[["key"]]` would hide an element inside the one before it; another table
there is not one the search knows).
"""

from __future__ import annotations

import re

from regen_compare.data import positions as toml_scan

_MULTILINE = ('"""', "'''")
_INDENTED_HEADER = re.compile(r"\n[ \t]+\[")


def element_starts(text: str, key: str) -> list[int] | None:
    """Where each `[[key]]` element's header line starts, in order; None when the search
    cannot be exact (see the module docstring) or there is no element."""
    if _unreadable(text):
        return None
    starts = _headers(text, f"[[{key}]]")
    if not starts or not _only_elements_after(text, starts, key):
        return None
    return starts


def element_end(text: str, starts: list[int], index: int) -> int:
    """Where element `index` ends: the next one's start, or the end of the text."""
    return starts[index + 1] if index + 1 < len(starts) else len(text)


def _unreadable(text: str) -> bool:
    """A multi-line string, or a table header that is indented (the first line's too)."""
    if any(mark in text for mark in _MULTILINE) or _INDENTED_HEADER.search(text):
        return True
    return text[:1] in (" ", "\t") and text.lstrip(" \t").startswith("[")


def _only_elements_after(text: str, starts: list[int], key: str) -> bool:
    first = starts[0]
    if any(line.startswith("[") and key in line for line in text[:first].splitlines()):
        return False
    headers = text.count("\n[", first)  # the first element's own is not counted
    subs = text.count(f"\n[{key}.", first) + text.count(f"\n[[{key}.", first)
    return headers == len(starts) - 1 + subs


def _headers(text: str, header: str) -> list[int]:
    """Where each line reading `header` starts; [] when one such line holds more than the
    header (and maybe a comment)."""
    starts: list[int] = []
    needle = "\n" + header
    pos = 0 if text.startswith(header) else text.find(needle) + 1 or -1
    while pos >= 0:
        line_end = text.find("\n", pos)
        line = text[pos : len(text) if line_end < 0 else line_end].rstrip("\r")
        rest = line[len(header) :].strip(" \t")
        if rest and not rest.startswith("#"):
            return []
        starts.append(pos)
        pos = text.find(needle, pos) + 1 or -1
    return starts


class ElementLines:
    """The lines of paths inside the elements of one text's arrays of tables, each element
    scanned once. Past `MAX_SCANS` elements it answers no more: one scan of the whole text
    (the caller's) is then cheaper than many of its parts."""

    MAX_SCANS = 64

    def __init__(self, text: str) -> None:
        self.text = text
        self._located: dict[str, tuple[list[int], list[int]] | None] = {}
        self._scans: dict[tuple[str, int], toml_scan.ScanResult] = {}

    def line_of(self, path: toml_scan.Path) -> int | None:
        """The line of `path` (`key`, index, …); None when it cannot be found this way."""
        if len(path) < 2 or not isinstance(path[0], str) or type(path[1]) is not int:
            return None
        key, index = path[0], path[1]
        located = self._locate(key)
        if located is None or not 0 <= index < len(located[0]):
            return None
        scanned = self._scans.get((key, index))
        if scanned is None:
            if len(self._scans) >= self.MAX_SCANS:
                return None
            starts = located[0]
            part = self.text[starts[index] : element_end(self.text, starts, index)]
            scanned = self._scans[(key, index)] = toml_scan.scan(part)
        local = scanned.line_of((key, 0, *path[2:]))  # (its header at least: never None)
        return None if local is None else located[1][index] + local

    def _locate(self, key: str) -> tuple[list[int], list[int]] | None:
        """Where each element starts, and how many lines come before it."""
        if key not in self._located:
            starts = element_starts(self.text, key)
            self._located[key] = (
                None if starts is None else (starts, _lines_before(self.text, starts))
            )
        return self._located[key]


def _lines_before(text: str, starts: list[int]) -> list[int]:
    lines, previous, counts = 0, 0, []
    for start in starts:
        lines += text.count("\n", previous, start)
        counts.append(lines)
        previous = start
    return counts
