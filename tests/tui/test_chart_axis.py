"""The chart's y-axis: sized so that every typical line has rows of its own."""

from __future__ import annotations

from regen_compare.tui.widgets.cost_chart import Series, axis_top, nice_ticks


def series(letter: str, central: int, high: int) -> Series:
    return Series(letter, letter, [0, 0], [0, central], [0, high])


def test_one_far_high_end_does_not_flatten_the_typical_lines() -> None:
    # PRP's $17,500 high end would put $859, $1,279 and $2,626 in the bottom two rows.
    top, clipped = axis_top(
        [series("A", 6000, 17500), series("B", 1279, 1759), series("C", 859, 967)]
    )
    assert clipped and top == 9000 and nice_ticks(top)[-1] == 10000


def test_high_ends_close_to_the_typical_lines_are_all_shown() -> None:
    top, clipped = axis_top([series("A", 2626, 3026), series("B", 1279, 1759)])
    assert not clipped and top == 3026


def test_nothing_but_zero() -> None:
    assert axis_top([series("A", 0, 0)]) == (0, False)


def test_a_typical_line_hidden_along_zero_under_a_smaller_one_is_named() -> None:
    from regen_compare.tui.widgets.cost_chart import Series, hidden_along_zero

    def line(letter: str, end: int) -> Series:
        return Series(letter, letter, [0, end], [0, end], [0, end])

    # $60k over 25 rows: a row is $2,400. $586 and $0 share the bottom row; $20k does not.
    shown = [line("A", 20_000), line("B", 0), line("C", 586)]
    assert hidden_along_zero(shown, 60_000 / 25) == {"C": "B"}
    assert hidden_along_zero(shown, 100) == {}  # a finer scale separates them
    assert hidden_along_zero([line("C", 586)], 2_400) == {}  # alone, nothing covers it
