"""The models are plain frozen classes (`model.types.Strict`): what `dataclass` would have
generated for them is written once in the base, and must behave as dataclass's would."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from regen_compare.model.entities import MoneyRange, Payer, PayerKind, Source


def _range(low: int, high: int, typical: int | None = None) -> MoneyRange:
    middle = None if typical is None else Decimal(typical)
    return MoneyRange(min=Decimal(low), max=Decimal(high), typical=middle)


def test_fields_by_keyword_with_their_defaults() -> None:
    shown = MoneyRange(min=Decimal(1), max=Decimal(2))
    assert shown.typical is None
    assert [f.name for f in dataclasses.fields(MoneyRange)] == ["min", "typical", "max"]
    with pytest.raises(TypeError, match="needs the keyword argument 'max'"):
        MoneyRange(min=Decimal(1))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="has no field 'maximum'"):
        MoneyRange(min=Decimal(1), max=Decimal(2), maximum=3)  # type: ignore[call-arg]


def test_a_default_factory_gives_each_model_its_own_value() -> None:
    def payer(pid: str) -> Payer:
        return Payer(
            id=pid,
            name=pid,
            kind=PayerKind.COMMERCIAL,
            deductible=Decimal(0),
            coinsurance=Decimal(0),
            as_of=date(2026, 1, 1),
            sources=(),
        )

    first, second = payer("a"), payer("b")
    assert first.copays == {} and first.copays is not second.copays


def test_equal_by_value_and_class_hashable_and_readable() -> None:
    assert _range(1, 2) == _range(1, 2)
    assert _range(1, 2) != _range(1, 3)
    assert hash(_range(1, 2, 1)) == hash(_range(1, 2, 1))
    assert len({_range(1, 2), _range(1, 2), _range(2, 3)}) == 2
    assert _range(1, 2) != Source(title="t", url="https://e.org", accessed=None)  # type: ignore[arg-type]
    assert repr(_range(1, 2)) == "MoneyRange(min=Decimal('1'), typical=None, max=Decimal('2'))"


def test_frozen() -> None:
    shown = _range(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.min = Decimal(0)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del shown.min  # type: ignore[misc]
    assert shown.min == 1


def test_a_copy_replaces_fields_and_keeps_the_rest() -> None:
    shown = _range(1, 5, 2)
    moved = shown.model_copy(update={"max": Decimal(9)})
    assert (moved.min, moved.typical, moved.max) == (1, 2, 9) and shown.max == 5


def test_validated_models_are_the_same_plain_models() -> None:
    """Pydantic builds instances of the class itself (slots set, no `__init__` run) that
    equal the ones built by keyword."""
    checked = MoneyRange.model_validate({"min": 1, "typical": 2, "max": 3})
    assert type(checked) is MoneyRange and checked == _range(1, 3, 2)
    assert not hasattr(checked, "__dict__")


def test_copies_and_pickles_are_equal_models() -> None:
    import copy
    import pickle

    shown = MoneyRange.model_validate({"min": 1, "typical": 2, "max": 3})
    for again in (copy.copy(shown), copy.deepcopy(shown), pickle.loads(pickle.dumps(shown))):
        assert type(again) is MoneyRange and again == shown
        with pytest.raises(dataclasses.FrozenInstanceError):
            again.min = Decimal(0)  # type: ignore[misc]
