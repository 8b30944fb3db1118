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


def test_when_the_comparator_helped_more_the_words_say_fewer_never_no_difference() -> None:
    # Steroid injection for tennis elbow: 83 in 100 helped, 96 with a placebo injection.
    found = benefit("Meaningful improvement", with_therapy=83, with_comparator=96)
    assert chances.difference_sentence(found) == (
        "That is about 13 fewer in 100 people than with a placebo pill."
    )
    sentence = chances.icon_sentence(found)
    assert "fewer than the 96 in 100 helped with a placebo pill" in sentence
    assert "more were helped with it" not in sentence
    same = benefit("Meaningful improvement", with_therapy=50, with_comparator=50)
    assert chances.difference_sentence(same) == "That is no more people than with a placebo pill."
