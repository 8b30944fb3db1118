"""The chance of benefit in words: the sentences every face (detail pane, side-by-side,
handouts) shares."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from regen_compare.model.entities import Benefit
from regen_compare.present import chances


def benefit(measure: str, **counts: float) -> Benefit:
    data: dict[str, Any] = {
        "condition": "knee",
        "measure": measure,
        "timeframe": "after 3 months",
        "comparator": "a placebo pill",
        "finding": "More people were helped than with a placebo.",
        "sources": [{"title": "t", "url": "https://example.org/r", "accessed": date(2026, 11, 1)}],
        **counts,
    }
    return Benefit.model_validate(data)


@pytest.mark.parametrize(
    ("measure", "shown"),
    [
        ("Meaningful pain relief", "had meaningful pain relief"),
        ("at least 30% less pain", "had at least 30% less pain"),
        ("ACL stability restored", "had ACL stability restored"),
        ("PRP-level relief", "had PRP-level relief"),
    ],
)
def test_a_measure_reads_in_lower_case_mid_sentence_but_an_acronym_keeps_its_capitals(
    measure: str, shown: str
) -> None:
    found = benefit(measure, with_therapy=57, with_comparator=39)
    assert shown in chances.helped_sentence(found)
    assert shown in chances.helped_sentence(benefit(measure))  # "Not known how many … had"
