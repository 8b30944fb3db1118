"""Keys do what was typed: `/` and letters in one burst always search; a search puts the
cursor on the best match by name; Enter goes to it; esc clears a search from the table too;
an empty list names the condition when it is the cause; a condition change names the marks
it hides; no fit is shown until the patient says what matters."""

from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.widgets import Input
from tui_helpers import AppFactory, loaded

from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED
from regen_compare.tui.widgets.therapy_table import TherapyTable

KNEE = Profile(condition="knee-osteoarthritis")


def burst(app: object, text: str) -> None:
    """Every key posted at once, as a terminal delivers a fast burst: none is handled before
    the next arrives (Pilot.press waits after each key, which hides the race). `\r` is Enter,
    ` ` the space bar."""
    names = {"/": "slash", "\r": "enter", " ": "space"}
    for char in text:
        app.post_message(events.Key(names.get(char, char), char))  # type: ignore[attr-defined]


async def test_slash_and_letters_in_one_burst_search_and_run_no_command(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        theme, sort, marks = app.theme, app.consult.session.sort_key, app.consult.session.marks
        burst(app, "/stem")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "stem"
        assert app.consult.session.filters.search == "stem"
        assert (app.theme, app.consult.session.sort_key) == (theme, sort)  # no t, no s
        assert app.consult.session.marks == marks  # no m


async def test_search_enter_and_a_mark_in_one_burst_mark_the_best_match(
    app_factory: AppFactory,
) -> None:
    """`/prp`, Enter, space typed at once: the space marks PRP in the table, it does not land
    in the search box after the text."""
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        burst(app, "/prp\r ")
        for _ in range(3):
            await pilot.pause()
        assert app.screen.query_one("#search", Input).value == "prp"
        assert app.focused is app.screen.query_one(TherapyTable)
        assert app.consult.session.marks == ("prp-injection",)


async def test_a_search_puts_the_cursor_on_the_best_match_and_enter_goes_there(
    app_factory: AppFactory,
) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TherapyTable)
        table.cursor = len(table.row_ids) - 1  # somewhere else first
        await pilot.press("/", *"therapy")
        await pilot.pause()
        # "Physical therapy course" (a word starts with it) beats "Knee gene therapy…"
        # (which only holds it further in) and anything matching the summary alone.
        assert table.cursor_id == "physical-therapy"
        await pilot.press("enter", "space")
        assert table.has_focus
        assert app.consult.session.marks == ("physical-therapy",)


async def test_esc_in_the_table_clears_the_search(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("/", *"knee", "enter")
        assert app.screen.query_one(TherapyTable).has_focus
        await pilot.press("escape")
        assert app.consult.session.filters.search == ""


async def test_an_empty_list_names_the_condition_that_hides_the_match(
    app_factory: AppFactory,
) -> None:
    app = app_factory(profile=Profile(condition="tennis-elbow"))
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("/", *"replacement")
        await pilot.pause()
        table = app.screen.query_one(TherapyTable)
        assert table.row_ids == []
        text = table.line_text(1)
        assert "None for Lateral epicondylitis" in text and "1 therapy matches" in text


async def test_changing_the_condition_names_the_marks_it_hides(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE, marked=("knee-replacement", "prp-injection"))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        message = app.consult.set_condition("tennis-elbow")
        assert message is not None and "Total knee replacement" in message
        assert [r.id for r in app.consult.marked_rows()] == ["prp-injection"]
        assert app.consult.session.marks == ("knee-replacement", "prp-injection")  # kept
        assert app.consult.set_condition(None) is None
        assert len(app.consult.marked_rows()) == 2


async def test_no_fit_is_shown_until_the_patient_says_what_matters(
    app_factory: AppFactory,
) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(160, 30)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TherapyTable)
        assert "not asked" in table.line_text(1)
        app.consult.set_weights(BALANCED)  # chosen on purpose: asked
        await pilot.pause()
        assert "not asked" not in table.line_text(1)


async def test_n_sets_the_units_of_the_therapy_under_the_cursor_and_prices_follow(
    app_factory: AppFactory,
) -> None:
    from decimal import Decimal

    app = app_factory(profile=replace(KNEE, years=3))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        table = app.screen.query_one(TherapyTable)
        table.move_to("prp-injection")
        before = app.consult.row_by_id["prp-injection"].cost.cash_total
        # Over 3 years the later years' units rest on an assumption (this year's do not).
        assert "~" in table.line_text(table.cursor + 1)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.name is None  # the therapy's name is the dialog's text, not its DOM name
        title = str(app.screen.query("Static").first().render())
        assert title.endswith(app.consult.row_by_id["prp-injection"].therapy.name)
        first = app.screen.query_one("#units-first", Input)
        first.value = "2"
        app.screen.query_one("#units-later", Input).value = "0"
        await pilot.press("enter")
        await loaded(pilot)
        choice = app.consult.session.profile.units_for("prp-injection")
        assert choice is not None and (choice.first_year, choice.later_years) == (2, 0)
        after = app.consult.row_by_id["prp-injection"].cost.cash_total
        assert after is not None and before is not None and after != before
        assert after.min == after.max == Decimal(2) * 500 or after.min == Decimal(1000)
        assert "~" not in table.line_text(table.cursor + 1)  # the patient's own numbers now
        # This year's number set, later years left to the data: the assumption is back.
        app.consult.set_units("prp-injection", Decimal(2), None)
        await loaded(pilot)
        assert "~" in table.line_text(table.cursor + 1)
        app.consult.set_units("prp-injection", Decimal(2), Decimal(0))
        await loaded(pilot)
        assert "~" not in table.line_text(table.cursor + 1)  # the patient's own number now
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#reset")
        await loaded(pilot)
        assert app.consult.session.profile.units_for("prp-injection") is None
