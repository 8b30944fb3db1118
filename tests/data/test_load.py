"""The loader: valid data loads; every class of problem is reported with file, line and key."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from helpers import SMALL_PAYERS, SMALL_THERAPIES, line_of, make_data, python_output
from regen_compare.data import load as load_module
from regen_compare.data.load import MAX_FILE_BYTES, load_catalog
from regen_compare.model.problems import DataError

TODAY = date(2026, 11, 22)


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_catalog(folder, today=TODAY)
    return [str(p) for p in caught.value.errors]


def only_problem(folder: Path) -> str:
    found = problems_of(folder)
    assert len(found) == 1, found
    return found[0]


def test_small_fixture_loads(small_data: Path) -> None:
    result = load_catalog(small_data, today=TODAY)
    catalog = result.catalog
    assert len(catalog.conditions) == 2
    assert len(catalog.therapies) == 5
    assert len(catalog.payers) == 3
    assert catalog.coverage_rule_count == 7
    assert result.warnings == []
    assert catalog.therapies["gene-therapy"].price is None


def test_bom_and_crlf_are_accepted(tmp_path: Path, small_data: Path) -> None:
    plain = load_catalog(small_data, today=TODAY).catalog
    folder = make_data(
        tmp_path,
        therapies=b"\xef\xbb\xbf" + SMALL_THERAPIES.replace("\n", "\r\n").encode(),
        payers=SMALL_PAYERS.replace("\n", "\r\n"),
    )
    variant = load_catalog(folder, today=TODAY).catalog
    assert variant.therapies == plain.therapies
    assert variant.payers == plain.payers


def test_unknown_key_names_line_path_and_suggestion(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace(
        'confidence = "medium"', 'confidence = "medium"\nrecovery_dyas = 3'
    )
    message = only_problem(make_data(tmp_path, therapies=text))
    line = line_of(text, "recovery_dyas")
    assert message.startswith(f"{tmp_path / 'therapies.toml'}:{line}: ")
    assert "therapy[prp-injection].recovery_dyas: unknown key 'recovery_dyas'" in message
    assert "(did you mean 'recovery'?)" in message


def test_bad_enum_matches_the_design_example(tmp_path: Path) -> None:
    text = SMALL_PAYERS.replace('status = "not_covered"', 'status = "covred"')
    message = only_problem(make_data(tmp_path, payers=text))
    line = line_of(text, "covred")
    assert message == (
        f"{tmp_path / 'payers.toml'}:{line}: payer[medicare].coverage[prp-injection].status: "
        "'covred' is not one of covered, prior_auth, not_covered, investigational "
        "(did you mean 'covered'?)"
    )


@pytest.mark.parametrize(
    ("replacement", "key", "words"),
    [
        (
            'price = { min = "500", max = 2500, unit = "injection" }',
            "price.min",
            "must be a number",
        ),
        ('price = { min = nan, max = 2500, unit = "injection" }', "price.min", "finite"),
        ('price = { min = 500, max = inf, unit = "injection" }', "price.max", "finite"),
        ('price = { min = 3000, max = 2500, unit = "injection" }', "price", "greater than max"),
        ('price = { min = -5, max = 2500, unit = "injection" }', "price.min", "negative"),
        ('price = { min = true, max = 2500, unit = "injection" }', "price.min", "not bool"),
        ('price = { min = 500.123, max = 2500, unit = "injection" }', "price.min", "2 decimal"),
        ('price = { min = 500, max = 99999999999, unit = "injection" }', "price.max", "at most"),
    ],
)
def test_money_is_strict(tmp_path: Path, replacement: str, key: str, words: str) -> None:
    text = SMALL_THERAPIES.replace(
        'price = { min = 500, max = 2500, unit = "injection" }', replacement
    )
    message = only_problem(make_data(tmp_path, therapies=text))
    line = line_of(text, replacement)
    assert f"therapies.toml:{line}: therapy[prp-injection].{key}: " in message
    assert words in message


def test_missing_required_key(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace('anesthesia = "general"\n', "")
    message = only_problem(make_data(tmp_path, therapies=text))
    assert "therapy[knee-replacement].anesthesia: required key is missing" in message
    header = line_of(text, 'id = "knee-replacement"') - 1
    assert f"therapies.toml:{header}:" in message


def test_ids_must_be_slugs(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace('id = "gene-therapy"', 'id = "Gene Therapy"').replace(
        '"gene-therapy"', '"Gene Therapy"'
    )
    found = problems_of(make_data(tmp_path, therapies=text))
    assert any("therapy[Gene Therapy].id: 'Gene Therapy' is not a valid id" in p for p in found)


def test_coinsurance_share_range(tmp_path: Path) -> None:
    text = SMALL_PAYERS.replace("coinsurance = 0.20\noop_max", "coinsurance = 20\noop_max")
    message = only_problem(make_data(tmp_path, payers=text))
    assert "payer[ppo].coinsurance: a share must be at most 1 (got 20)" in message


def test_duplicate_id_reports_both_lines(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace('id = "steroid-injection"', 'id = "physical-therapy"')
    text = text.replace('"steroid-injection", ', "")
    payers = SMALL_PAYERS.replace(
        'therapy = "steroid-injection"', 'therapy = "knee-replacement"', 0
    )
    found = problems_of(make_data(tmp_path, therapies=text, payers=payers))
    first = line_of(text, 'id = "physical-therapy"', 1) - 1
    second = line_of(text, 'id = "physical-therapy"', 2)
    assert any(
        f"therapies.toml:{second}: therapy[physical-therapy].id: duplicate id "
        f"'physical-therapy' (first defined on line {first})" in p
        for p in found
    ), found


def test_a_repeated_supplement_id_is_one_problem(tmp_path: Path) -> None:
    """Reported once, like every repeated id, never a second time in other words."""
    supplement = (
        '\n[[supplement]]\nid = "gap"\nname = "Gap"\nsupplements = ["medicare"]\n'
        "pays_deductible = true\npays_coinsurance = true\nas_of = 2026-01-05\n"
        'sources = [{ title = "t", url = "https://example.org/g", accessed = 2026-01-05 }]\n'
    )
    found = problems_of(make_data(tmp_path, payers=SMALL_PAYERS + supplement + supplement))
    about_gap = [p for p in found if "supplement[gap]" in p]
    assert len(about_gap) == 1 and "duplicate id 'gap'" in about_gap[0], found


def test_unknown_references_with_suggestions(tmp_path: Path) -> None:
    therapies = SMALL_THERAPIES.replace(
        'conditions = ["knee-osteoarthritis"]\ninvasiveness = "inpatient_surgery"',
        'conditions = ["knee-osteoarthritus"]\ninvasiveness = "inpatient_surgery"',
    )
    payers = SMALL_PAYERS.replace(
        'therapy = "knee-replacement"\nstatus = "covered"',
        'therapy = "knee-replacment"\nstatus = "covered"',
    )
    found = problems_of(make_data(tmp_path, therapies=therapies, payers=payers))
    assert any(
        "therapy[knee-replacement].conditions[1]: unknown condition id 'knee-osteoarthritus' "
        "(did you mean 'knee-osteoarthritis'?)" in p
        for p in found
    ), found
    assert any(
        f"payers.toml:{line_of(payers, 'knee-replacment')}: "
        "payer[ppo].coverage[knee-replacment].therapy: unknown therapy id 'knee-replacment' "
        "(did you mean 'knee-replacement'?)" in p
        for p in found
    ), found


def test_one_rule_per_payer_and_therapy(tmp_path: Path) -> None:
    # A second rule for the same therapy under the same payer (Medicare).
    payers = SMALL_PAYERS.replace(
        '[[payer.coverage]]\ntherapy = "physical-therapy"\nstatus = "covered"\n\n'
        '[[payer]]\nid = "ppo"',
        '[[payer.coverage]]\ntherapy = "physical-therapy"\nstatus = "covered"\n\n'
        '[[payer.coverage]]\ntherapy = "physical-therapy"\nstatus = "not_covered"\n\n'
        '[[payer]]\nid = "ppo"',
    )
    message = only_problem(make_data(tmp_path, payers=payers))
    assert "payer[medicare].coverage[physical-therapy]: a second coverage rule for " in message
    first = line_of(payers, 'therapy = "physical-therapy"') - 1
    assert f"(first rule on line {first})" in message


def test_no_cascade_when_therapies_do_not_parse(tmp_path: Path) -> None:
    therapies = SMALL_THERAPIES.replace('name = "Total knee replacement"', 'name = "Total knee')
    payers = SMALL_PAYERS.replace('therapy = "knee-replacement"', 'therapy = "no-such-therapy"')
    found = problems_of(make_data(tmp_path, therapies=therapies, payers=payers))
    assert len(found) == 1, found
    line = line_of(therapies, 'name = "Total knee')
    assert f"therapies.toml:{line}:" in found[0]
    assert "TOML syntax error" in found[0]
    assert 'name = "Total knee' in found[0]  # the offending line is quoted


def test_schema_version_must_be_known(tmp_path: Path) -> None:
    message = only_problem(
        make_data(tmp_path, payers=SMALL_PAYERS.replace("schema_version = 1", "schema_version = 7"))
    )
    assert "payers.toml:1: schema_version: 7 is not a schema version" in message


def test_unknown_top_level_key(tmp_path: Path) -> None:
    message = only_problem(make_data(tmp_path, payers=SMALL_PAYERS + "\n[[payers]]\nid = 'x'\n"))
    assert "unknown top-level key 'payers' (did you mean 'payer'?)" in message


def test_every_problem_in_both_files_at_once(tmp_path: Path) -> None:
    therapies = SMALL_THERAPIES.replace('evidence = "strong"', 'evidence = "stong"', 1)
    therapies = therapies.replace('modality = "surgery"', 'modality = "surgry"')
    payers = SMALL_PAYERS.replace("deductible = 1500", 'deductible = "1500"')
    found = problems_of(make_data(tmp_path, therapies=therapies, payers=payers))
    assert len(found) == 3
    assert "therapies.toml" in found[0] and "payers.toml" in found[-1]


def test_control_characters_in_values_are_rejected_and_escaped(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace(
        'name = "Total knee replacement"', 'name = "Total \\u001b]52;c;AAAA\\u0007 knee \\u202e"'
    )
    message = only_problem(make_data(tmp_path, therapies=text))
    assert "\x1b" not in message and "\x07" not in message and "\u202e" not in message
    assert "\\x1b" in message
    assert "therapy[knee-replacement].name: contains a control character" in message


@pytest.mark.parametrize(
    ("value", "ok"),
    [("Knee\u200bpain", False), ("Knee \u2066pain", False), ("Family 👨\u200d👩\u200d👧", True)],
)
def test_invisible_and_bidi_characters(tmp_path: Path, value: str, ok: bool) -> None:
    text = SMALL_THERAPIES.replace('"Total knee replacement"', f'"{value}"')
    folder = make_data(tmp_path, therapies=text)
    if ok:
        assert load_catalog(folder, today=TODAY).catalog.therapies["knee-replacement"].name == value
    else:
        assert "therapy[knee-replacement].name:" in only_problem(folder)


def test_urls_must_be_http(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace("https://example.org/tka", "javascript:alert(1)")
    assert "sources[1].url: must be an http:// or https:// address" in only_problem(
        make_data(tmp_path, therapies=text)
    )


def test_price_may_be_left_out_only_for_investigational(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace('price = { min = 8000, max = 30000, unit = "procedure" }\n', "")
    assert "price is required" in only_problem(make_data(tmp_path, therapies=text))


def test_dates_future_is_error_and_old_is_warning(tmp_path: Path) -> None:
    future = SMALL_THERAPIES.replace("as_of = 2026-06-01", "as_of = 2027-01-01", 1)
    assert "therapy[prp-injection].as_of: as_of 2027-01-01 is in the future" in only_problem(
        make_data(tmp_path / "future", therapies=future)
    )
    stale = SMALL_THERAPIES.replace("accessed = 2026-05-20", "accessed = 2023-05-20", 1)
    result = load_catalog(make_data(tmp_path / "stale", therapies=stale), today=TODAY)
    [warning] = result.warnings
    assert warning.severity == "warning"
    assert "therapy[prp-injection].sources[1].accessed" in str(warning)
    assert "more than 2 years old" in str(warning)


def test_quoted_date_is_not_a_date(tmp_path: Path) -> None:
    text = SMALL_THERAPIES.replace("as_of = 2026-06-01", 'as_of = "2026-06-01"', 1)
    assert "as_of: must be a TOML date" in only_problem(make_data(tmp_path, therapies=text))


# --- encodings and file kinds ---------------------------------------------------------------


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    data = SMALL_THERAPIES.encode().replace(b"Lateral", b"Lat\xe9ral")
    message = only_problem(make_data(tmp_path, therapies=data))
    assert f"therapies.toml:{line_of(SMALL_THERAPIES, 'Lateral')}:" in message
    assert "not valid UTF-8" in message


def test_utf16_is_explained(tmp_path: Path) -> None:
    message = only_problem(make_data(tmp_path, therapies=SMALL_THERAPIES.encode("utf-16")))
    assert "UTF-16" in message and "UTF-8" in message


def test_binary_is_explained(tmp_path: Path) -> None:
    message = only_problem(make_data(tmp_path, payers=b"schema_version = 1\n\x00\x01\x02"))
    assert "payers.toml:2:" in message and "NUL byte" in message


def test_oversized_file_refused_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_data(tmp_path)
    with open(folder / "therapies.toml", "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)

    real_loads = load_module._toml_loads

    def refuse(text: str) -> object:
        if len(text) > MAX_FILE_BYTES:
            raise AssertionError("the parser must not be called on the oversized file")
        return real_loads(text)

    monkeypatch.setattr(load_module, "_toml_loads", refuse)
    message = only_problem(folder)
    assert "files over 16 MiB are refused" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_refused(tmp_path: Path) -> None:
    folder = make_data(tmp_path)
    (folder / "payers.toml").unlink()
    os.mkfifo(folder / "payers.toml")
    assert "not a regular file" in only_problem(folder)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    folder = make_data(tmp_path)
    (folder / "payers.toml").unlink()
    (folder / "payers.toml").mkdir()
    (folder / "therapies.toml").unlink()
    found = problems_of(folder)
    assert any("therapies.toml: file not found" in p for p in found)
    assert any("payers.toml: is a folder" in p for p in found)


def test_runaway_dotted_key_refused(tmp_path: Path) -> None:
    key = ".".join(["a"] * 10_000)
    message = only_problem(make_data(tmp_path, payers=f"schema_version = 1\n{key} = 1\n"))
    assert "payers.toml:2: refused: a dotted key has more than 32 parts" in message


def test_deep_nesting_refused(tmp_path: Path) -> None:
    message = only_problem(
        make_data(tmp_path, payers="schema_version = 1\nx = " + "[" * 2000 + "]" * 2000 + "\n")
    )
    assert "payers.toml:2: refused: arrays or inline tables are nested more than 64 deep" in message


def test_huge_integer_is_located(tmp_path: Path) -> None:
    message = only_problem(
        make_data(tmp_path, payers="schema_version = 1\n\nx = " + "9" * 5000 + "\n")
    )
    assert "payers.toml:3:" in message


def test_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import regen_compare.data.load, regen_compare.engine.costs, regen_compare.engine.query\n"
        "import regen_compare.present.comparison, regen_compare.present.formats\n"
        "import regen_compare.present.export, regen_compare.present.report\n"
        "import regen_compare.cli.main, regen_compare.data.schema\n"
        "print('textual' in sys.modules)\n"
    )
    assert python_output(code).strip() == "False"


def test_price_unknown_needs_a_reason_and_excludes_a_price(tmp_path: Path) -> None:
    no_price = SMALL_THERAPIES.replace(
        'price = { min = 100, max = 150, unit = "session" }',
        'price_unknown = "No verified source gives a price."',
    )
    catalog = load_catalog(make_data(tmp_path / "ok", therapies=no_price), today=TODAY).catalog
    assert catalog.therapies["physical-therapy"].price is None
    both = SMALL_THERAPIES.replace(
        'price = { min = 100, max = 150, unit = "session" }',
        'price = { min = 100, max = 150, unit = "session" }\nprice_unknown = "x"',
    )
    assert "either price or price_unknown" in only_problem(
        make_data(tmp_path / "both", therapies=both)
    )


def test_coverage_rule_source_dates(tmp_path: Path) -> None:
    rule = (
        '[[payer.coverage]]\ntherapy = "prp-injection"\nstatus = "not_covered"\n'
        'policy = "NCD 270.3"\n'
    )
    assert rule in SMALL_PAYERS
    dated = rule + 'sources = [{ title = "t", url = "https://example.org/p", accessed = DATE }]\n'
    stale = SMALL_PAYERS.replace(rule, dated.replace("DATE", "2020-01-01"))
    [warning] = load_catalog(make_data(tmp_path / "s", payers=stale), today=TODAY).warnings
    assert "payer[medicare].coverage[prp-injection].sources[1].accessed" in str(warning)
    future = SMALL_PAYERS.replace(rule, dated.replace("DATE", "2027-01-01"))
    assert "accessed date 2027-01-01 is in the future" in only_problem(
        make_data(tmp_path / "f", payers=future)
    )


def test_old_figures_home_pages_and_empty_text_warn(tmp_path: Path) -> None:
    """Each of the honest-numbers warnings, located; each turns red if its check goes."""
    price = 'price = { min = 100, max = 150, unit = "session" }'
    assert price in SMALL_THERAPIES
    old = SMALL_THERAPIES.replace(price, price + '\nnotes = ""', 1) + (
        '\n[[therapy.sources]]\ntitle = "2014 price list"\n'
        'url = "https://example.org/prices"\naccessed = 2026-05-20\npublished = "2014"\n'
        'supports = ["price"]\n'
    )
    home = SMALL_PAYERS.replace("https://example.org/medicare", "https://example.org/", 1)
    warnings = [str(w) for w in load_catalog(make_data(tmp_path, old, home), today=TODAY).warnings]
    joined = "\n".join(warnings)
    assert "price was published in 2014" in joined and "'2014 figures'" in joined
    assert "payer[medicare].sources[1].url: 'https://example.org/' is a site's home page" in joined
    assert ".notes: is empty, so it is read as absent" in joined


def test_a_load_holds_one_file_s_tables_at_a_time(tmp_path: Path) -> None:
    """Each raw table is let go once checked, and therapies.toml's tables are gone before
    payers.toml is parsed: a cold load at 10,000 therapies otherwise holds both files'
    tables beside every model (~50 MB more at its peak)."""
    from regen_compare.data import reading
    from regen_compare.data.validate import check_files

    folder = make_data(tmp_path)
    parsed: list[dict[str, object]] = []
    alive_when_payers_parsed: list[object] = []

    def loads(text: str) -> dict[str, object]:
        if parsed:  # the second file: payers.toml
            therapies = parsed[0]["therapy"]
            assert isinstance(therapies, list)
            alive_when_payers_parsed.extend(t for t in therapies if t is not None)
        document = reading.toml_loads(text)
        parsed.append(document)
        return document

    files = (folder / "therapies.toml", folder / "payers.toml")
    data: list[bytes | object] = [files[0].read_bytes(), files[1].read_bytes()]
    catalog, _ = check_files(files, TODAY, data, loads)  # type: ignore[arg-type]
    assert len(catalog.therapies) == 5 and len(catalog.payers) == 3
    assert alive_when_payers_parsed == []
    assert parsed[1]["payer"] == [None, None, None]
    assert data == []  # the bytes were taken, to be freed once read


def test_a_raw_table_dropped_early_still_gets_every_check(tmp_path: Path) -> None:
    """References and empty texts are checked on each raw table before it is let go."""
    therapies = SMALL_THERAPIES.replace(
        'conditions = ["knee-osteoarthritis"]', 'conditions = ["knee-osteoarthritis", "no-such"]', 1
    ).replace('summary = "', 'notes = " "\nsummary = "', 1)
    payers = SMALL_PAYERS.replace('therapy = "prp-injection"', 'therapy = "prp-injektion"', 1)
    with pytest.raises(DataError) as caught:
        load_catalog(make_data(tmp_path, therapies=therapies, payers=payers), today=TODAY)
    text = "\n".join(p.message for p in caught.value.problems)
    assert "unknown condition id 'no-such'" in text
    assert "unknown therapy id 'prp-injektion'" in text
    assert "is empty, so it is read as absent" in text


def test_a_cold_load_serves_the_catalog_its_entry_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a load that parsed hands on is the catalog built from its cache entry, as a
    start from the cache is: the validated models (which would pin the parsed tables'
    memory) go; with the cache off too, and it equals what was validated."""
    from regen_compare.store import cache
    from regen_compare.store.entry import LazyModels

    folder = make_data(tmp_path)
    validated = load_catalog(folder, today=TODAY).catalog  # no cache asked: the models
    assert not isinstance(validated.therapies, LazyModels)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    served = load_catalog(folder, today=TODAY, use_cache=True).catalog
    assert isinstance(served.therapies, LazyModels)
    assert dict(served.therapies) == dict(validated.therapies)
    assert dict(served.payers) == dict(validated.payers)
