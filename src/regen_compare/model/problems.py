"""The one error type that leaves the loader, and how a problem is written for a maintainer."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a data file, located as precisely as we can."""

    file: str
    line: int | None
    message: str
    where: str = ""
    """The key path as a maintainer writes it: `therapy[prp-injection].price.max`."""
    column: int | None = None
    severity: Severity = "error"
    excerpt: str | None = None
    """The offending source line (already display-safe), for syntax errors."""

    def __str__(self) -> str:
        location = self.file
        if self.line is not None:
            location += f":{self.line}"
            if self.column is not None:
                location += f":{self.column}"
        label = "warning: " if self.severity == "warning" else ""
        where = f"{self.where}: " if self.where else ""
        text = f"{location}: {label}{where}{self.message}"
        if self.excerpt is not None:
            text += f"\n    {self.excerpt}"
        return text

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.line or 0, self.column or 0)


def has_error(problems: Iterable[Problem]) -> bool:
    """Whether any of `problems` is an error (the rest are warnings)."""
    return any(p.severity == "error" for p in problems)


class DataError(Exception):
    """Bad data: every problem found in every file, at once. Nothing else leaves the loader."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.errors))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a close candidate exists, else an empty string."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def close_matches(word: str, candidates: Iterable[str], n: int = 5) -> list[str]:
    """Up to `n` candidates a person may have meant, best first: those that `word` begins or
    begins a hyphenated part of (`medicare` → both Medicare plans, `back` → both low-back
    conditions), then those spelled alike (`medicaer` → `medicare-original`)."""
    pool = list(candidates)
    key = word.strip().casefold()
    by_prefix = [
        c for c in pool if key and any(part.startswith(key) for part in _parts(c.casefold()))
    ]
    alike = difflib.get_close_matches(word, pool, n=n, cutoff=0.5)
    return list(dict.fromkeys(by_prefix + alike))[:n]


def _parts(candidate: str) -> list[str]:
    """The candidate and every tail of it that starts after a hyphen."""
    return [candidate] + [candidate[i + 1 :] for i, ch in enumerate(candidate) if ch == "-"]
