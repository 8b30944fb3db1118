"""The footer: the screen's keys in its first frame, one per action, a key that is off says
so in words, and a click on a key runs its action."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Label

from regen_compare.tui.widgets.footer import AppFooter


class KeysApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "ring", "Ring"),
        Binding("y,z", "other", "Other"),
        Binding("h", "hidden", "Hidden", show=False),
        Binding("o", "off", "Switched off"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rung = 0
        self.first_line: str | None = None

    def compose(self) -> ComposeResult:
        yield Label("body")
        yield AppFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "off" else True

    def action_ring(self) -> None:
        self.rung += 1

    def action_other(self) -> None:
        pass

    def post_display_hook(self) -> None:
        if self.first_line is None:
            footer = self.query_one(AppFooter)
            self.first_line = footer.render_line(0).text if footer.region.area else ""


async def test_the_first_frame_shows_every_shown_key_once() -> None:
    app = KeysApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        line = app.first_line or ""
        assert "x  Ring" in line and "Other" in line
        assert line.count("Other") == 1  # y and z: one action, one key
        assert "Hidden" not in line
        assert "Switched off (off)" in line  # off, in words


async def test_a_click_on_a_key_runs_its_action() -> None:
    app = KeysApp()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        line = app.query_one(AppFooter).render_line(0).text
        await pilot.click(AppFooter, offset=(line.index("Ring"), 0))
        assert app.rung == 1
