"""One-line bars: the profile summary, the row count with active filters, the disclaimer,
and the data-problem banner. Each takes plain strings and shows them as `Text`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from regen_compare.engine.costs import Profile
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.problems import Problem
from regen_compare.model.text import display_safe
from regen_compare.tui.bar_text import Part, fit_parts, profile_summary

MAX_PROBLEMS_SHOWN = 4


class ProfileBar(Static):
    """The "who is asking" line, laid out for its own width on every resize."""

    def __init__(self, *, id: str | None = None, prefix: str = "") -> None:
        super().__init__(id=id)
        self._prefix = prefix
        self._catalog: Catalog | None = None
        self._profile: Profile | None = None

    def show(self, catalog: Catalog | None, profile: Profile) -> None:
        if catalog is self._catalog and profile == self._profile:
            return
        self._catalog, self._profile = catalog, profile
        self.refresh()

    def render(self) -> Text:
        if self._profile is None:
            return Text(self._prefix)
        return profile_summary(self._catalog, self._profile, self.size.width, self._prefix)

    @property
    def plain(self) -> str:
        return self.render().plain


class FittedLine(Static):
    """A one-line bar of facts, fitted to its width on every resize (`fit_parts`): facts
    that do not fit are left out whole, never cut inside a word."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[Part, ...] = ()

    def show(self, parts: Sequence[Part]) -> None:
        """Show `parts` (repainted only when they change: this follows every keystroke)."""
        if tuple(parts) == self._parts:
            return
        self._parts = tuple(parts)
        self.refresh()

    def render(self) -> Text:
        return fit_parts(self._parts, self.size.width or None)

    @property
    def plain(self) -> str:
        """Every part, whatever the width shows."""
        return fit_parts(self._parts, None).plain


class Disclaimer(Static):
    """Always on screen: these are estimates, not advice."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(labels.DISCLAIMER), id=id, classes="disclaimer")


class ProblemBanner(Static):
    """Shown while the data on disk is broken; the last good data stays on screen."""

    def show_problems(self, problems: Sequence[Problem], *, have_data: bool) -> None:
        text = Text()
        if have_data:
            text.append("⚠ The data files have errors; still showing the last good data. ", "bold")
        else:
            text.append("⚠ The data files could not be loaded. ", "bold")
        text.append("Fix the file and it reloads by itself.\n")
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            text.append(display_safe(str(problem), multiline=True, limit=300) + "\n")
        more = len(problems) - MAX_PROBLEMS_SHOWN
        if more > 0:
            text.append(f"…and {more} more (run: regen-compare validate)\n")
        text.rstrip()
        self.update(text)
        self.display = True

    def clear_problems(self) -> None:
        if not self.display:
            return  # already clear: updating again would re-lay out the screen
        self.update(Text())
        self.display = False
