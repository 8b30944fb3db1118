"""Small modal dialogs: where to save (or download) a handout, how many units a patient
expects, and yes/no questions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from regen_compare.model import vocabulary as labels
from regen_compare.tui.widgets.footer import AppFooter
from regen_compare.tui.widgets.switch_box import SwitchBox

FORMATS = {"html": "HTML", "md": "Markdown"}
"""The handout formats the app offers, the default first."""
MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class ExportChoice:
    path: Path
    fmt: str
    """"html" or "md"."""
    detailed: bool = False
    """The full-detail handout (every figure worked out) instead of the patient's."""


def format_for(path: str) -> str:
    """The format a typed path asks for: Markdown for `.md`/`.markdown`, else HTML (the
    default: a page any browser opens and prints)."""
    return "md" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "html"


def with_format(path: str, fmt: str) -> str:
    """`path` with the extension of `fmt` (the file name is kept)."""
    p = Path(path or "regen-compare-handout")
    suffix = ".html" if fmt == "html" else ".md"
    text = str(p.with_suffix(suffix)) if p.name else str(p) + suffix
    if path.startswith("./") and not text.startswith("./"):
        text = "./" + text
    return text


def saved_path(text: str) -> str:
    """The path to write: as typed, with `.html` added when it has no extension at all (so
    the file opens in a browser); any other ending is kept as typed."""
    return text if Path(text).suffix else with_format(text, "html")


class ExportDialog(ModalScreen[ExportChoice | None]):
    """Ask for the handout's path; the extension decides the format (.md → Markdown, any
    other → HTML, the default). The "Full detail" checkbox says on or off in words."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+t", "toggle_format", "Markdown/HTML"),
    ]

    def __init__(
        self, default_path: str, *, download: bool = False, detailed: bool = False
    ) -> None:
        super().__init__()
        self._default = default_path
        self._download = download
        self._detailed = detailed
        """In a browser: the handout is downloaded, so only a file name is asked for."""

    def compose(self) -> ComposeResult:
        yield AppFooter()  # this screen's keys, over the footer of the screen beneath
        with Vertical(id="dialog"):
            yield Label(Text("Export the comparison as a handout", style="bold"))
            if self._download:
                prompt = (
                    "Download as (your browser saves it; .html → HTML, .md → Markdown; "
                    "ctrl+t switches):"
                )
            else:
                prompt = "Save to (.html → HTML, .md → Markdown; ctrl+t switches):"
            yield Static(Text(prompt))
            yield Input(self._default, id="export-path")
            yield Static(Text(""), id="export-format")
            yield SwitchBox(
                "Full detail",
                self._detailed,
                detail="every figure, for the counselor",
                id="export-detailed",
            )
            with Horizontal(classes="buttons"):
                yield Button("Download" if self._download else "Save", variant="primary", id="save")
                yield Button("HTML", id="fmt-html")
                yield Button("Markdown", id="fmt-md")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        path_input = self.query_one("#export-path", Input)
        path_input.cursor_blink = getattr(self.app, "cursor_blink", True)
        path_input.focus()
        self._show_format()

    def _show_format(self) -> None:
        fmt = format_for(self.query_one("#export-path", Input).value)
        self.query_one("#export-format", Static).update(Text(f"Format: {FORMATS[fmt]}"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_format()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def _set_format(self, fmt: str) -> None:
        path_input = self.query_one("#export-path", Input)
        path_input.value = with_format(path_input.value, fmt)
        path_input.cursor_position = len(path_input.value)

    def action_toggle_format(self) -> None:
        current = format_for(self.query_one("#export-path", Input).value)
        self._set_format("md" if current == "html" else "html")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        elif event.button.id == "cancel":
            self.dismiss(None)
        elif event.button.id in ("fmt-md", "fmt-html"):
            self._set_format(event.button.id.removeprefix("fmt-"))

    def _save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.notify("Type a file name.", severity="warning", markup=False)
            return
        detailed = self.query_one("#export-detailed", Checkbox).value
        text = saved_path(text)
        self.dismiss(ExportChoice(Path(text).expanduser(), format_for(text), detailed))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; y / n / enter / escape work, and so do the buttons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, *, yes: str = "Replace (y)", no: str = "Cancel (n)") -> None:
        super().__init__()
        self._question = question
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        yield AppFooter()  # this screen's keys, over the footer of the screen beneath
        with Vertical(id="dialog"):
            yield Static(Text(self._question), id="question")
            with Horizontal(classes="buttons"):
                yield Button(self._yes, variant="warning", id="yes")
                yield Button(self._no, id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True)
class UnitsChoice:
    """What the units dialog gives back: the numbers, or `reset` (the data's figures again)."""

    first_year: Decimal | None
    later_years: Decimal | None
    reset: bool = False


def read_units(text: str, limit: Decimal) -> Decimal | None:
    """A number of units as typed (`3`, `1.5`); None when it is not one (0 to `limit`)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or not Decimal(0) <= value <= limit or value != round(value, 2):
        return None
    return value


class UnitsDialog(ModalScreen[UnitsChoice | None]):
    """How many injections (sessions, procedures…) the patient expects, this year and in each
    later year, instead of the data's assumed range; Enter keeps them, "Data's figures" puts
    the range back, esc leaves everything as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        name: str,
        unit: str,
        data_text: str,
        *,
        first_year: Decimal | None,
        later_years: Decimal | None,
        limit: Decimal,
    ) -> None:
        super().__init__()
        # Not `_name`: that is Textual's own (`DOMNode.name`).
        self._therapy, self._unit, self._data_text = name, unit, data_text
        self._first, self._later, self._limit = first_year, later_years, limit

    def compose(self) -> ComposeResult:
        yield AppFooter()  # this screen's keys, over the footer of the screen beneath
        with Vertical(id="dialog"):
            units = labels.unit_noun(self._unit, Decimal(2))
            # A Static wraps at words: a long therapy name is never cut.
            yield Static(Text(f"How many {units}: {self._therapy}", style="bold"))
            yield Static(Text(self._data_text))
            yield Static(Text(f"This year ({units}):"))
            first = "" if self._first is None else str(self._first)
            yield Input(first, id="units-first", placeholder="e.g. 3")
            yield Static(Text(f"Each later year ({units}; empty: the data's figure):"))
            later = "" if self._later is None else str(self._later)
            yield Input(later, id="units-later", placeholder="e.g. 1")
            yield Static(Text(""), id="units-problem")
            with Horizontal(classes="buttons"):
                yield Button("Keep (enter)", variant="primary", id="keep")
                yield Button("Data's figures", id="reset")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        first = self.query_one("#units-first", Input)
        first.cursor_blink = getattr(self.app, "cursor_blink", True)
        self.query_one("#units-later", Input).cursor_blink = first.cursor_blink
        first.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._keep()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "keep":
            self._keep()
        elif event.button.id == "reset":
            self.dismiss(UnitsChoice(None, None, reset=True))
        else:
            self.dismiss(None)

    def _keep(self) -> None:
        first_text = self.query_one("#units-first", Input).value
        later_text = self.query_one("#units-later", Input).value
        first = read_units(first_text, self._limit)
        later = read_units(later_text, self._limit) if later_text.strip() else None
        if first is None or (later_text.strip() and later is None):
            problem = self.query_one("#units-problem", Static)
            problem.update(Text(f"⚠ Type a number from 0 to {self._limit}.", style="bold"))
            return
        self.dismiss(UnitsChoice(first, later))

    def action_cancel(self) -> None:
        self.dismiss(None)
