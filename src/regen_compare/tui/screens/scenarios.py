"""Saved scenarios: name one (save / rename), the list (open, rename, delete, pick two), and
two scenarios side by side with the differing lines marked ≠.

The screens only show and ask; `tui.scenario_flow` does the reading and writing through
`regen_compare.scenarios` and is handed to the list as its `ScenarioActions`. Scenario names
are typed by people and therapy or plan names come from the data: all of them are shown as
display-safe `Text`, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from regen_compare.model.text import display_safe
from regen_compare.tui import keys
from regen_compare.tui.widgets.banners import Disclaimer
from regen_compare.tui.widgets.footer import AppFooter

if TYPE_CHECKING:
    from regen_compare.present.side_by_side import SideBySideLine

DIFFERS = "≠"
"""Marks a line whose two sides differ (a symbol and bold, not colour alone)."""
MAX_NAME = 120


class NameDialog(ModalScreen[str | None]):
    """Ask for a scenario name (save and rename share it)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, explanation: str, default: str = "", ok: str = "Save") -> None:
        super().__init__()
        self._title = title
        self._explanation = explanation
        self._default = default
        self._ok = ok

    def compose(self) -> ComposeResult:
        yield AppFooter()  # this screen's keys, over the footer of the screen beneath
        with Vertical(id="dialog"):
            yield Static(Text(self._title, style="bold"))
            yield Static(Text(self._explanation), id="name-explanation")
            yield Input(
                self._default,
                placeholder="e.g. Knee OA — Medicare",
                max_length=MAX_NAME,
                id="scenario-name",
            )
            with Horizontal(classes="buttons"):
                yield Button(f"{self._ok} (enter)", variant="primary", id="ok")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        name_input = self.query_one("#scenario-name", Input)
        name_input.cursor_blink = getattr(self.app, "cursor_blink", True)
        name_input.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        name = self.query_one("#scenario-name", Input).value.strip()
        if not name:
            self.notify("Type a name for the scenario.", severity="warning", markup=False)
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ScenarioActions(Protocol):
    """What the list asks of the scenario flow (`tui.scenario_flow.ScenarioFlow`)."""

    @property
    def current_name(self) -> str | None:
        """The scenario open now (marked "open now" in the list)."""
        ...

    def describe(self, name: str) -> Text: ...

    def open_scenario(self, name: str) -> bool: ...

    def start_rename(self, old: str, done: Callable[[str | None], None]) -> None: ...

    def start_delete(self, name: str, done: Callable[[str | None], None]) -> None: ...

    def compare_scenarios(self, left: str, right: str) -> bool: ...


class ScenariosScreen(ModalScreen[None]):
    """The saved scenarios: open, rename, delete, or pick two and compare them."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.SCENARIOS)

    def __init__(self, actions: ScenarioActions, *, compare_mode: bool = False) -> None:
        super().__init__()
        self.actions = actions
        self.names: list[str] = []
        self.picked: list[str] = []
        self._compare_mode = compare_mode

    def compose(self) -> ComposeResult:
        with Vertical(id="scenarios-box"):
            yield Static(Text("Saved scenarios", style="bold"), id="scenarios-title")
            yield Static(id="scenarios-hint")
            yield OptionList(id="scenario-list")
            yield Static(id="scenario-preview")
        yield AppFooter()

    def on_mount(self) -> None:
        self.refresh_names()
        self.query_one(OptionList).focus()

    def refresh_names(self, highlight: str | None = None) -> None:
        from regen_compare import scenarios

        try:
            self.names = scenarios.list_names()
        except OSError as exc:  # an unreadable folder: say so, keep the app running
            self.names = []
            self.notify(f"Cannot read the scenarios: {exc.strerror}", severity="error")
        self.picked = [p for p in self.picked if p in self.names]
        option_list = self.query_one(OptionList)
        keep = highlight or self.current
        option_list.clear_options()
        option_list.add_options(
            [Option(self._prompt(n), id=str(i)) for i, n in enumerate(self.names)]
        )
        if self.names:
            index = self.names.index(keep) if keep in self.names else 0
            option_list.highlighted = index
        self._show_hint()
        self._show_preview()

    def _prompt(self, name: str) -> Text:
        text = Text("[✓] " if name in self.picked else "[ ] ")
        text.append(display_safe(name, limit=MAX_NAME))
        if name == self.actions.current_name:
            text.append("  (open now)", "italic")
        return text

    def _show_hint(self) -> None:
        from regen_compare import scenarios

        hint = Text()
        if not self.names:
            hint.append("No saved scenarios yet. Press ctrl+s to save the current consult.\n")
        elif self._compare_mode or self.picked:
            hint.append(
                f"Pick two with space ({len(self.picked)}/2 picked), then press c to see "
                "them side by side.\n",
                "bold",
            )
        else:
            hint.append("enter opens · space picks two to compare (c) · r renames · d deletes\n")
        hint.append("Folder: " + display_safe(str(scenarios.scenarios_dir())), "italic")
        self.query_one("#scenarios-hint", Static).update(hint)

    @property
    def current(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self.names):
            return None
        return self.names[index]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_preview()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def _show_preview(self) -> None:
        name = self.current
        preview = self.query_one("#scenario-preview", Static)
        preview.update(self.actions.describe(name) if name else Text(""))

    # --- actions ------------------------------------------------------------------------

    def action_open(self) -> None:
        name = self.current
        if name is not None and self.actions.open_scenario(name):
            self.dismiss(None)

    def action_pick(self) -> None:
        name = self.current
        if name is None:
            return
        if name in self.picked:
            self.picked.remove(name)
        else:
            self.picked = [*self.picked[-1:], name]  # at most two: the newest two
        self._repaint_options()
        self._show_hint()

    def _repaint_options(self) -> None:
        option_list = self.query_one(OptionList)
        for i, name in enumerate(self.names):
            option_list.replace_option_prompt_at_index(i, self._prompt(name))

    def action_compare(self) -> None:
        pair = list(self.picked)
        if len(pair) == 1 and self.current is not None and self.current != pair[0]:
            pair.append(self.current)
        if len(pair) != 2:
            self.notify(
                "Pick two scenarios with space (or pick one and highlight the other), then c.",
                markup=False,
            )
            return
        self.actions.compare_scenarios(pair[0], pair[1])

    def action_rename(self) -> None:
        name = self.current
        if name is not None:
            self.actions.start_rename(name, self.refresh_names)

    def action_delete(self) -> None:
        name = self.current
        if name is not None:
            self.actions.start_delete(name, self.refresh_names)

    def action_close(self) -> None:
        self.dismiss(None)

    @property
    def list_text(self) -> list[str]:
        """The list's lines as plain text (for tests)."""
        option_list = self.query_one(OptionList)
        return [self._prompt(n).plain for n in self.names] if option_list else []


def side_by_side_table(lines: Sequence[SideBySideLine], left: str, right: str) -> Table:
    """The two scenarios as columns; a line that differs carries ≠ and bold, same is dim."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, show_edge=False)
    table.add_column(Text(""), no_wrap=True, width=1)
    table.add_column(Text(""), min_width=14, max_width=30)
    table.add_column(Text(display_safe(left, limit=60), style="bold"), ratio=1)
    table.add_column(Text(display_safe(right, limit=60), style="bold"), ratio=1)
    therapy = None
    for line in lines:
        if line.therapy and line.therapy != therapy:
            therapy = line.therapy
            table.add_row(Text(""), Text(display_safe(therapy), style="bold underline"), "", "")
        style = "bold" if line.differs else "dim"
        table.add_row(
            Text(DIFFERS if line.differs else " ", style="bold"),
            Text(line.label, style=style),
            Text(display_safe(line.left), style=style),
            Text(display_safe(line.right), style=style),
        )
    return table


class ScenarioCompareScreen(Screen[None]):
    """Two saved scenarios priced side by side (e.g. the same therapies under two plans)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(
        self,
        left: str,
        right: str,
        lines: Sequence[SideBySideLine],
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.left = left
        self.right = right
        self.lines = list(lines)
        self.notes = list(notes)

    def compose(self) -> ComposeResult:
        title = Text("Two scenarios side by side · ", style="bold")
        title.append(display_safe(self.left, limit=50))
        title.append(" vs ")
        title.append(display_safe(self.right, limit=50))
        yield Static(title, id="scenario-compare-title")
        with VerticalScroll(id="scenario-compare-body", can_focus=True):
            yield Static(self._body(), id="scenario-compare-grid")
        yield Disclaimer(id="scenario-compare-disclaimer")
        yield AppFooter()

    def _body(self) -> Group:
        parts: list[Text | Table] = []
        if self.notes:
            notes = Text()
            for note in self.notes:
                notes.append("⚠ " + display_safe(note) + "\n", "bold")
            parts.append(notes)
        parts.append(side_by_side_table(self.lines, self.left, self.right))
        differing = sum(1 for line in self.lines if line.differs)
        parts.append(
            Text(
                f"{DIFFERS} marks the {differing} line{'s' if differing != 1 else ''} that "
                "differ (bold); the same on both sides is dimmed.",
                style="italic",
            )
        )
        from regen_compare.present.side_by_side import mark_hints

        for hint in mark_hints(self.lines):
            parts.append(Text(hint, style="italic"))
        return Group(*parts)

    def on_mount(self) -> None:
        self.query_one("#scenario-compare-body").focus()

    @property
    def grid_text(self) -> str:
        """The comparison as plain text (for tests)."""
        grid = self.query_one("#scenario-compare-grid", Static)
        if not grid.region.area:
            return ""
        return "\n".join(line.text for line in grid.render_lines(grid.region.reset_offset))
