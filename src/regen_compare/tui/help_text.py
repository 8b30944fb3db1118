"""The F1 help: every key, grouped by where it works.

Kept as data next to nothing else so the help screen, the README and a test that checks
each listed action exists all read the same list.
"""

from __future__ import annotations

from regen_compare import labels

KeyHelp = tuple[str, str]

SECTIONS: list[tuple[str, list[KeyHelp]]] = [
    (
        "Main screen",
        [
            ("↑ ↓  j k  PgUp PgDn  Home End", "move in the therapy table"),
            ("space  m  or click [ ]", "mark / unmark for the side-by-side (up to 4)"),
            ("c", "compare the marked therapies"),
            ("u", "mark the usual traditional care for the chosen condition"),
            ("x", "clear all marks"),
            ("/", "search: filters as you type (esc returns to the table)"),
            ("f", "show / hide the profile and filter panel"),
            ("d", "show / hide the detail pane"),
            ("1 … 8  or click a header", "sort by that column; again reverses (▲ / ▼)"),
            ("s  r", "sort by the next column / reverse the order"),
            ("← →  h l", "scroll the columns sideways"),
            ("o", "saved scenarios: open, rename, delete, compare two"),
            ("tab  shift+tab", "move between the panel, the table and the detail pane"),
        ],
    ),
    (
        "Side-by-side",
        [
            ("g", "switch between the table and the cumulative cost chart"),
            ("u", "add the usual traditional care for the condition"),
            ("e", "export a handout (Markdown or HTML) to a file"),
            ("y", "copy the comparison as Markdown"),
            ("esc", "back to the list"),
        ],
    ),
    (
        "Saved scenarios",
        [
            ("ctrl+s", "save the profile, filters and marks under a name (asks to replace)"),
            ("o", "the list of saved scenarios"),
            ("enter", "open the highlighted scenario (profile, filters and marks)"),
            (
                "space  then  c",
                "pick two scenarios, then see them side by side (≠ marks a difference)",
            ),
            ("r  d", "rename / delete the highlighted scenario (delete asks first)"),
            ("esc", "close the list"),
        ],
    ),
    (
        "Everywhere",
        [
            ("F1", "this help"),
            ("ctrl+p", "command palette: payer, condition, export, theme, session…"),
            ("t", "theme: dark → light → high contrast"),
            ("ctrl+n", "clear the session for the next patient (profile and marks)"),
            ("ctrl+q", "quit"),
        ],
    ),
]

NOTES = [
    "★ marks the best value in a row of the side-by-side; words and symbols carry every "
    "meaning, colour only repeats it.",
    "Coverage: " + " · ".join(labels.STATUS.values()) + " (unknown: no rule in the data).",
    "Invasiveness: " + " · ".join(labels.INVASIVENESS_SHORT.values()) + ".",
    "Nothing about the patient is saved unless you save a scenario (ctrl+s) or export a "
    "handout. Scenarios hold ids and numbers only, in a folder only you can read.",
    "⚠ Old figures: dates more than 2 years old, figures whose newest source is over 5 years "
    "older than the data ('2014 figures') and sources that point at a home page are flagged "
    "in the detail pane and listed below; regen-compare validate lists every such warning.",
    "? before a figure: coverage unknown. It spans from what you would pay if the plan covered "
    "it on its general terms to the cash price; the detail pane works out both. Ask the plan.",
    "≈ before a figure: the typical figure (the source's typical price, else the middle of the "
    "range). Sorting, the ★ and the chart all use it.",
    "Data files edited on disk reload by themselves; errors are shown with file and line.",
]
