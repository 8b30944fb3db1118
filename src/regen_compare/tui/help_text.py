"""The F1 help: every key, grouped by where it works, and what the table's symbols mean.

The key lines are built from `tui.keys` — the same lists the bindings and the palette are
built from — so the help cannot list a key that does not exist or miss one that does
(tests/tui/test_keys.py checks both, and that every listed action exists).
"""

from __future__ import annotations

from regen_compare.model import vocabulary as labels
from regen_compare.present import chances
from regen_compare.tui import keys

KeyHelp = tuple[str, str]

SECTIONS: list[tuple[str, list[KeyHelp]]] = [
    (title, [(key.display, key.help) for key in group]) for title, group in keys.SECTIONS
]

SYMBOLS_HINT = "≈ typical · ~ assumed · ? coverage unknown · F1: every key and symbol"
"""The status line's reminder of the table's symbols (F1 explains each in full)."""
SYMBOLS_HINT_SHORT = "F1: symbols"
"""The hint where the whole one does not fit (80 columns with a condition chosen)."""

NOTES = [
    "★ marks the best value in a row of the side-by-side; words and symbols carry every "
    "meaning, colour only repeats it.",
    labels.COVERAGE_HELP + ".",
    "Invasive: level 1 (least) to 5 (most) and a word: "
    + " · ".join(
        f"{short} = {labels.INVASIVENESS[level]}"
        for level, short in labels.INVASIVENESS_SHORT.items()
    )
    + ".",
    "Fit: 0–100, how well the option matches what matters to the patient (the weights in "
    "the panel); the detail pane shows every criterion's points. ★ on the side-by-side marks "
    "the best fit. 'not asked' until the patient says what matters; — means every weight is 0.",
    "Helped: how many in 100 people reached a meaningful benefit in trials, with the option "
    "and with what it was compared with (a placebo, salt-water injections, no exercise). "
    f"The pictures of 100 people: {chances.ICON_LEGEND}. 'Not known' is said, never guessed.",
    "Nothing about the patient is saved unless you save a scenario (ctrl+s) or export a "
    "handout. Scenarios hold ids and numbers only, in a folder only you can read.",
    "⚠ Old figures: dates more than 2 years old, figures whose newest source is over 5 years "
    "older than the data ('2014 figures') and sources that point at a home page are flagged "
    "in the detail pane (and listed at the end of this help when the data has any); "
    "regen-compare validate lists every such warning.",
    "? before a figure: coverage unknown. It spans from what you would pay if the plan covered "
    "it on its general terms to the cash price; the detail pane works out both. Ask the plan.",
    "≈ before a figure: the typical figure (the source's typical price, else the middle of the "
    "range). Sorting, the ★ and the chart all use it.",
    "~ before a figure: it rests on an assumption, a price or a number of units no source "
    "gives; the detail pane says which and why, and n sets the number of units.",
    "Data files edited on disk reload by themselves; errors are shown with file and line.",
]
