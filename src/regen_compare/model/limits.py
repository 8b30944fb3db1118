"""The limits of the input alone, shared by the command line, the panel and the keys' help.

Money, years and weights are defined with what enforces them (`model.MAX_MONEY`,
`costs.MAX_YEARS`, `fit_weights.MAX_WEIGHT`) and imported from there. This module imports
nothing of ours, so the first frame (`tui/keys.py`) can read `MAX_MARKS` without the models.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["MAX_DOWNTIME_DAYS", "MAX_MARKS", "MIN_YEARS"]

MIN_YEARS = 1
MAX_DOWNTIME_DAYS = Decimal(3650)
"""The most days of downtime a filter may ask for (ten years)."""
MAX_MARKS = 4
"""The most therapies marked for the side-by-side, saved in a scenario or exported at once."""
