"""The "who is asking" header keeps condition, plan and horizon in view at 80 columns: the
plan's name gives way first, never the horizon."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.tui.bar_text import profile_summary, without_asides

REPO = Path(__file__).resolve().parents[2]


def test_the_plan_name_is_shortened_before_the_horizon_is_cut() -> None:
    catalog = load_catalog(REPO / "data", today=date(2026, 12, 7)).catalog
    profile = Profile(
        condition="low-back-pain-radicular",
        payer="medicare-advantage-typical",
        years=5,
        region="TX",
    )
    full = profile_summary(catalog, profile).plain
    assert full.index("5 years") > 80  # the long names would push the horizon off screen
    shown = profile_summary(catalog, profile, 80).plain[:80]
    assert "Low back pain with sciatica" in shown and "Medicare Advantage plan" in shown
    assert "5 years · TX" in shown


@pytest.mark.parametrize(
    "profile",
    [
        Profile(condition="knee-osteoarthritis", payer="medicare-original", years=5,
                deductible_met=Decimal(100)),
        Profile(condition="low-back-pain-radicular", payer="medicare-advantage-typical",
                years=5, region="TX"),
    ],
)  # fmt: skip
def test_no_fact_of_the_bar_is_cut_inside_a_word(profile: Profile) -> None:
    """From 60 columns up, each fact is whole, whole without its bracketed aside, or cut
    after a whole word (with …); the horizon is always there."""
    catalog = load_catalog(REPO / "data", today=date(2026, 12, 7)).catalog
    full = profile_summary(catalog, profile).plain.split(" · ")
    whole = set(full) | {without_asides(f) for f in full}
    for width in range(60, 130):
        shown = profile_summary(catalog, profile, width).plain
        assert len(shown) <= width and "5 years" in shown, width
        for fact in shown.split(" · "):
            if fact in whole:
                continue
            stem = fact.removesuffix("…")
            assert fact.endswith("…") and any(
                w.startswith(stem) and w[len(stem)] in " ,(" for w in whole if len(w) > len(stem)
            ), (width, fact)
