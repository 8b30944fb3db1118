"""regen-compare: regenerative vs traditional pain therapies, side by side, priced for one patient.

This package root must stay light: the command line imports it before deciding whether the TUI
(and so Textual) is needed at all.
"""

__version__ = "0.1.0"
