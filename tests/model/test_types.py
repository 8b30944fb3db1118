"""The scalar checks' fast paths (what valid data takes) reject exactly what the full checks do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from regen_compare.model.types import Days, LongText, Money, Name, Slug, Units


def _error(kind: Any, value: object) -> str:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(kind).validate_python(value)
    return str(caught.value.errors()[0]["msg"])


@pytest.mark.parametrize("value", ["knee\n", "Knee", "a--b", "-a", "a b", "é"])
def test_a_slug_is_checked_by_its_pattern_alone(value: str) -> None:
    """No Python re-check follows the pattern: pydantic-core's `$` must be the very end (a
    trailing newline passes Python's `re.match` with the same pattern)."""
    assert "pattern" in _error(Slug, value)


def test_a_valid_slug_passes() -> None:
    assert TypeAdapter(Slug).validate_python("prp-injection-2") == "prp-injection-2"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("   ", "must not be empty"),
        ("", "must not be empty"),
        ("a\x1b[31m", "control character"),
        ("a\u202eb", "bidirectional"),
        ("a\u200bb", "invisible"),
        ("two\nlines", "line break"),
    ],
)
def test_one_line_text_is_still_refused(value: str, words: str) -> None:
    assert words in _error(Name, value)


def test_multiline_text_keeps_its_line_breaks_and_refuses_blanks() -> None:
    assert TypeAdapter(LongText).validate_python("one\ntwo") == "one\ntwo"
    assert "must not be empty" in _error(LongText, " \n ")


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        (Money, -1, "must not be negative"),
        (Money, 10_000_001, "at most"),
        (Money, True, "not bool"),
        (Units, 1001, "at most 1,000"),
        (Units, -1, "must not be negative"),
        (Units, True, "not bool"),
        (Days, 3651, "at most 3,650"),
    ],
)
def test_whole_numbers_out_of_range_are_refused(kind: Any, value: int, words: str) -> None:
    assert words in _error(kind, value)


def test_whole_numbers_are_exact_and_shared() -> None:
    first = TypeAdapter(Money).validate_python(12)
    again = TypeAdapter(Units).validate_python(12)
    assert first == Decimal(12) and str(first) == "12"
    assert first is again  # one Decimal per small whole number, not one per figure
    assert TypeAdapter(Money).validate_python(250_000) == Decimal(250_000)
    assert TypeAdapter(Money).validate_python(10_000_000) == Decimal(10_000_000)
    assert TypeAdapter(Units).validate_python(1000) == Decimal(1000)
    assert TypeAdapter(Units).validate_python(0) == Decimal(0)
