"""The limits on what a person may type, in one place for the command line and the panel.

Money and years are defined with the models that enforce them (`model.MAX_MONEY`,
`costs.MAX_YEARS`); the rest are limits of the input alone.
"""

from __future__ import annotations

from decimal import Decimal

from regen_compare.costs import MAX_YEARS
from regen_compare.fit_weights import MAX_WEIGHT
from regen_compare.model import MAX_MONEY

__all__ = ["MAX_DOWNTIME_DAYS", "MAX_MARKS", "MAX_MONEY", "MAX_WEIGHT", "MAX_YEARS", "MIN_YEARS"]

MIN_YEARS = 1
MAX_DOWNTIME_DAYS = Decimal(3650)
"""The most days of downtime a filter may ask for (ten years)."""
MAX_MARKS = 4
"""The most therapies marked for the side-by-side, saved in a scenario or exported at once."""
