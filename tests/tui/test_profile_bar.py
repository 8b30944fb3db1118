"""The "who is asking" header keeps condition, plan and horizon in view at 80 columns: the
plan's name gives way first, never the horizon."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.tui.bar_text import profile_summary

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
    assert "Low back pain with sciatica" in shown and "Medicare Advanta…" in shown
    assert "5 years · TX" in shown
