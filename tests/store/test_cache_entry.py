"""The catalog as plain data (`load_entry`): the same catalog back, exactly, built lazily."""

from __future__ import annotations

import marshal
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from regen_compare.data.load import LoadResult, bundled_data_dir, from_entry, load_catalog, to_entry
from regen_compare.store import entry as load_entry

TODAY = date.today()


@pytest.fixture(scope="module")
def fresh() -> LoadResult:
    return load_catalog(bundled_data_dir(), today=TODAY)


def _decoded(fresh: LoadResult) -> LoadResult:
    result = from_entry(bundled_data_dir(), to_entry(fresh))
    assert result is not None
    return result


def test_the_bundled_catalog_reads_back_the_same(fresh: LoadResult) -> None:
    back = _decoded(fresh)
    old, new = fresh.catalog, back.catalog
    assert new.conditions == old.conditions
    assert new.therapies == old.therapies
    assert new.payers == old.payers
    assert list(new.therapies) == list(old.therapies)  # data order kept
    assert dict(new.search_text) == dict(old.search_text)
    assert new.as_of == old.as_of
    assert new.coverage_rule_count == old.coverage_rule_count
    assert back.warnings == fresh.warnings
    for tid, therapy in old.therapies.items():
        again = new.therapies[tid]
        assert again.model_dump() == therapy.model_dump()
    for pid, payer in old.payers.items():
        for rule in payer.coverage:
            assert new.coverage(pid, rule.therapy) == rule


def test_money_keeps_its_exact_digits() -> None:
    """`Decimal('0.10')` comes back as `0.10`, not `0.1` nor a float: same value, same text."""
    from regen_compare.model.entities import Coverage

    shared = load_entry._Shared()
    encode = load_entry._model_encoder(Coverage, {})
    decode = load_entry._model_decoder(Coverage, shared, {})
    rule = Coverage.model_validate(
        {"therapy": "t", "status": "covered", "coinsurance": 0.1, "deductible": Decimal("250.50")}
    )
    back = decode(marshal.loads(marshal.dumps(encode(rule))))
    assert back == rule
    assert str(back.deductible) == "250.50"
    assert str(back.coinsurance) == str(rule.coinsurance)
    assert type(back.deductible) is Decimal


def test_models_are_built_only_when_used(fresh: LoadResult) -> None:
    catalog = _decoded(fresh).catalog
    therapies = catalog.therapies
    assert isinstance(therapies, load_entry.LazyModels)
    assert repr(therapies).endswith("0 built>")
    first = next(iter(fresh.catalog.therapies))
    assert first in therapies and len(therapies) == len(fresh.catalog.therapies)
    assert repr(therapies).endswith("0 built>")  # `in` and `len` build nothing
    assert therapies[first] is therapies[first]  # built once, then kept
    assert repr(therapies).endswith(" 1 built>")
    payers = catalog.payers
    assert isinstance(payers, load_entry.LazyModels)
    names = {pid: p.name for pid, p in fresh.catalog.payers.items()}
    assert list(catalog.names_of_payers().items()) == list(names.items())
    assert repr(payers).endswith(" 0 built>")  # the names are kept beside the payers
    payer = next(p for p in fresh.catalog.payers.values() if p.coverage)
    assert catalog.coverage(payer.id, payer.coverage[0].therapy) == payer.coverage[0]
    assert repr(payers).endswith(" 1 built>")  # only the payer asked about
    assert catalog.as_of == fresh.catalog.as_of
    assert repr(payers).endswith(" 1 built>")  # kept in the entry, not worked out


def test_equal_values_are_kept_once(fresh: LoadResult) -> None:
    """What makes 10,000 therapies small: equal leaves shared."""
    therapies = list(_decoded(fresh).catalog.therapies.values())
    as_of = {t.as_of for t in therapies}
    assert len({id(t.as_of) for t in therapies}) == len(as_of)
    slugs = [c for t in therapies for c in t.conditions]
    assert len({id(c) for c in slugs}) == len(set(slugs))


@pytest.mark.parametrize(
    "damage",
    [
        "not a tuple",
        "other format",
        "blob is text",
        "ids and blobs differ",
        "bad warning",
        "a payer name short",
        "a payer name not text",
    ],
)
def test_a_foreign_layout_is_refused(fresh: LoadResult, damage: str) -> None:
    parts = list(marshal.loads(to_entry(fresh)))
    if damage == "not a tuple":
        payload = marshal.dumps([1, 2, 3])
    else:
        if damage == "other format":
            parts[0] = load_entry.FORMAT + 1
        elif damage == "blob is text":
            ids, blobs = parts[2]
            parts[2] = (ids, ("x", *blobs[1:]))
        elif damage == "ids and blobs differ":
            ids, blobs = parts[2]
            parts[2] = (ids, blobs[1:])
        elif damage == "a payer name short":
            parts[9] = parts[9][1:]
        elif damage == "a payer name not text":
            parts[9] = (1, *parts[9][1:])
        else:
            parts[8] = (("file", "1", "message", "", None, "warning", None),)
        payload = marshal.dumps(tuple(parts))
    assert from_entry(bundled_data_dir(), payload) is None
    with pytest.raises((load_entry.EntryError, ValueError)):
        load_entry.decode(payload, (Path("t"), Path("p")))


def test_a_catalog_made_without_names_reads_them_off_its_payers(fresh: LoadResult) -> None:
    from regen_compare.model.catalog import Catalog

    payers = fresh.catalog.payers
    made = Catalog(conditions={}, therapies={}, payers=payers)
    assert made.payer_names is None
    assert dict(made.names_of_payers()) == {pid: p.name for pid, p in payers.items()}
    assert dict(fresh.catalog.names_of_payers()) == dict(made.names_of_payers())


def test_tables_keyed_by_a_kind_of_service_and_true_or_false_read_back_the_same() -> None:
    """A plan's copays and a supplement's kept copays are keyed by an enum; a supplement's
    rules are true or false: each comes back as the very value, not its text."""
    from regen_compare.model.catalog import Catalog
    from regen_compare.model.entities import Payer, ServiceKind, Supplement

    source = {"title": "t", "url": "https://example.org/s", "accessed": date(2026, 1, 1)}
    payer = Payer.model_validate(
        {
            "id": "ma", "name": "MA", "kind": "medicare_advantage", "deductible": 0,
            "coinsurance": 0.2, "as_of": date(2026, 1, 1), "sources": [source],
            "copays": {"specialist_visit": 50, "hospital_stay": 987},
        }
    )  # fmt: skip
    plan_n = Supplement.model_validate(
        {
            "id": "n", "name": "Plan N", "supplements": ["ma"], "pays_deductible": False,
            "pays_coinsurance": True, "keeps_copay": {"specialist_visit": 20},
            "as_of": date(2026, 1, 1), "sources": [source],
        }
    )  # fmt: skip
    catalog = Catalog.build([], [], [payer], supplements=[plan_n])
    back, _ = load_entry.decode(load_entry.encode(catalog, []), (Path("t"), Path("p")))
    assert back.payers["ma"].copays == {
        ServiceKind.SPECIALIST_VISIT: Decimal(50),
        ServiceKind.HOSPITAL_STAY: Decimal(987),
    }
    supplement = back.supplements["n"]
    assert supplement.keeps_copay == {ServiceKind.SPECIALIST_VISIT: Decimal(20)}
    assert supplement.pays_deductible is False and supplement.pays_coinsurance is True
    assert supplement == plan_n
