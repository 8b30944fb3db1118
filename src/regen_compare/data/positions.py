"""One cheap pass over a TOML file before the real parser sees it.

It does two jobs the standard parser cannot:

* **Positions.** `tomllib` returns plain dicts with no line numbers, but a maintainer needs
  `therapies.toml:42:` next to every problem. The scan records the line where each table,
  array-of-tables element and key was written, keyed by the same path the parsed data has
  (`("therapy", 3, "price", "max")`).
* **Guards.** Python 3.11's `tomllib` is quadratic in the number of parts of a dotted key (a
  40 KB line took 1.6 GB) and recursive in nesting depth. The scan refuses such input first.

The scan never raises on malformed input: when it gets confused it stops recording, and the
real parser reports the syntax error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_KEY_PARTS = 32
MAX_NESTING = 64

Path = tuple[str | int, ...]


@dataclass
class ScanResult:
    positions: dict[Path, int] = field(default_factory=dict)
    guard_errors: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) for input the parser must not be given."""

    def line_of(self, path: Path) -> int | None:
        """The line of the longest prefix of `path` that was written down, or None."""
        for end in range(len(path), 0, -1):
            line = self.positions.get(path[:end])
            if line is not None:
                return line
        return None


class _Stop(Exception):
    pass


_BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.s = text
        self.n = len(text)
        self.i = 0
        self.line = 1
        self.result = ScanResult()
        self.table: Path = ()
        self.last_index: dict[Path, int] = {}

    # -- low level -------------------------------------------------------------------------
    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < self.n else ""

    def advance(self, k: int = 1) -> None:
        for _ in range(k):
            if self.i < self.n and self.s[self.i] == "\n":
                self.line += 1
            self.i += 1

    def skip_ws(self) -> None:
        while self.peek() in (" ", "\t"):
            self.i += 1

    def skip_comment(self) -> None:
        if self.peek() == "#":
            while self.i < self.n and self.s[self.i] != "\n":
                self.i += 1

    def skip_to_eol(self) -> None:
        while self.i < self.n and self.s[self.i] != "\n":
            self.i += 1

    # -- keys ------------------------------------------------------------------------------
    def key(self) -> list[str]:
        parts: list[str] = []
        start_line = self.line
        while True:
            self.skip_ws()
            c = self.peek()
            if c == '"' or c == "'":
                parts.append(self.quoted_key(c))
            elif c in _BARE and c:
                j = self.i
                while self.i < self.n and self.s[self.i] in _BARE:
                    self.i += 1
                parts.append(self.s[j : self.i])
            else:
                raise _Stop
            if len(parts) > MAX_KEY_PARTS:
                self.result.guard_errors.append(
                    (start_line, f"a dotted key has more than {MAX_KEY_PARTS} parts")
                )
                raise _Stop
            self.skip_ws()
            if self.peek() == ".":
                self.i += 1
                continue
            return parts

    def quoted_key(self, quote: str) -> str:
        self.i += 1
        out = []
        while True:
            c = self.peek()
            if c == "" or c == "\n":
                raise _Stop
            if c == "\\" and quote == '"':
                out.append(self.s[self.i : self.i + 2])
                self.i += 2
                continue
            self.i += 1
            if c == quote:
                return "".join(out)
            out.append(c)

    # -- values ----------------------------------------------------------------------------
    def string(self) -> None:
        quote = self.peek()
        if self.s.startswith(quote * 3, self.i):
            self.advance(3)
            end = quote * 3
            while self.i < self.n:
                if quote == '"' and self.peek() == "\\":
                    self.advance(2)
                    continue
                if self.s.startswith(end, self.i):
                    self.advance(3)
                    while self.peek() == quote:  # up to two quotes may close the string
                        self.advance()
                    return
                self.advance()
            raise _Stop
        self.i += 1
        while True:
            c = self.peek()
            if c == "" or c == "\n":
                raise _Stop
            if c == "\\" and quote == '"':
                self.i += 2
                continue
            self.i += 1
            if c == quote:
                return

    def value(self, path: Path, depth: int) -> None:
        self.skip_ws()
        c = self.peek()
        if c == '"' or c == "'":
            self.string()
        elif c == "[":
            self.array(path, depth + 1)
        elif c == "{":
            self.inline_table(path, depth + 1)
        else:
            while self.i < self.n and self.s[self.i] not in ",]}\n#":
                self.i += 1

    def check_depth(self, depth: int) -> None:
        if depth > MAX_NESTING:
            self.result.guard_errors.append(
                (self.line, f"arrays or inline tables are nested more than {MAX_NESTING} deep")
            )
            raise _Stop

    def array(self, path: Path, depth: int) -> None:
        self.check_depth(depth)
        self.i += 1
        index = 0
        while True:
            self.skip_blank_in_array()
            if self.peek() == "]":
                self.i += 1
                return
            if self.peek() == "":
                raise _Stop
            element: Path = (*path, index)
            self.result.positions.setdefault(element, self.line)
            self.value(element, depth)
            self.skip_blank_in_array()
            if self.peek() == ",":
                self.i += 1
                index += 1
            elif self.peek() != "]":
                raise _Stop

    def skip_blank_in_array(self) -> None:
        while True:
            c = self.peek()
            if c in (" ", "\t", "\r"):
                self.i += 1
            elif c == "\n":
                self.advance()
            elif c == "#":
                self.skip_comment()
            else:
                return

    def inline_table(self, path: Path, depth: int) -> None:
        self.check_depth(depth)
        self.i += 1
        self.skip_ws()
        if self.peek() == "}":
            self.i += 1
            return
        while True:
            parts = self.key()
            self.result.positions.setdefault((*path, *parts), self.line)
            self.skip_ws()
            if self.peek() != "=":
                raise _Stop
            self.i += 1
            self.value((*path, *parts), depth)
            self.skip_ws()
            if self.peek() == ",":
                self.i += 1
                continue
            if self.peek() == "}":
                self.i += 1
                return
            raise _Stop

    # -- statements ------------------------------------------------------------------------
    def header(self) -> None:
        line = self.line
        array = self.s.startswith("[[", self.i)
        self.i += 2 if array else 1
        parts = self.key()
        self.skip_ws()
        closing = "]]" if array else "]"
        if not self.s.startswith(closing, self.i):
            raise _Stop
        self.i += len(closing)
        resolved: Path = ()
        for part in parts[:-1]:
            resolved = (*resolved, part)
            if resolved in self.last_index:
                resolved = (*resolved, self.last_index[resolved])
        resolved = (*resolved, parts[-1])
        if array:
            self.result.positions.setdefault(resolved, line)
            index = self.last_index.get(resolved, -1) + 1
            self.last_index[resolved] = index
            resolved = (*resolved, index)
        self.table = resolved
        self.result.positions.setdefault(resolved, line)

    def statement(self) -> None:
        line = self.line
        parts = self.key()
        self.skip_ws()
        if self.peek() != "=":
            raise _Stop
        self.i += 1
        path = (*self.table, *parts)
        for end in range(len(self.table) + 1, len(path) + 1):
            self.result.positions.setdefault(path[:end], line)
        self.value(path, 0)

    def run(self) -> ScanResult:
        try:
            while self.i < self.n:
                c = self.peek()
                if c in (" ", "\t", "\r", "\ufeff"):
                    self.i += 1
                elif c == "\n":
                    self.advance()
                elif c == "#":
                    self.skip_comment()
                elif c == "[":
                    self.header()
                    self.skip_ws()
                    self.skip_comment()
                else:
                    self.statement()
                    self.skip_ws()
                    self.skip_comment()
        except (_Stop, IndexError):
            self._guard_rest()
        return self.result

    def _guard_rest(self) -> None:
        # The scan stopped early (malformed or unusual input). The parser will still see the
        # rest, so keep its quadratic case away with a cruder check: dots before the `=`.
        if self.result.guard_errors:
            return
        line = self.line
        for text in self.s[self.i :].split("\n"):
            head = text.split("=", 1)[0] if "=" in text else text
            if head.count(".") >= MAX_KEY_PARTS and not head.lstrip().startswith("#"):
                self.result.guard_errors.append(
                    (line, f"a dotted key has more than {MAX_KEY_PARTS} parts")
                )
                return
            line += 1


def scan(text: str) -> ScanResult:
    """Record key positions and check the parser guards; linear in the size of `text`."""
    return _Scanner(text).run()
