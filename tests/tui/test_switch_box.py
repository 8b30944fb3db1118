"""The on/off box reads without colour: empty when off, marked when on, its state in words."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Checkbox

from regen_compare.tui.widgets.switch_box import OFF_MARK, ON_MARK, SwitchBox


class OneBox(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[bool] = []

    def compose(self) -> ComposeResult:
        yield SwitchBox("Full detail", detail="every figure", id="box")

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.changes.append(event.value)


async def test_the_box_is_empty_when_off_and_says_its_state_in_words() -> None:
    app = OneBox()
    async with app.run_test() as pilot:
        box = app.query_one(SwitchBox)
        assert box.BUTTON_INNER == OFF_MARK == " "
        assert str(box.label) == "Full detail: off (every figure)"
        await pilot.click("#box")
        await pilot.pause()
        assert box.value and box.BUTTON_INNER == ON_MARK
        assert str(box.label) == "Full detail: on (every figure)"
        assert app.changes == [True]  # Textual's own Changed message still comes
        assert "X" in str(box.render())
        box.value = False
        await pilot.pause()
        assert "X" not in str(box.render()) and str(box.label).endswith("off (every figure)")
