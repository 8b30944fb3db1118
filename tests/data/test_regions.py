"""The regional factors: every range recomputed from CMS's rows, the method checked against
CMS's own published factors, the loader's guarantees (every problem at once, with its line),
and how a region moves an amount (Medicare only, never a cash price)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP
from decimal import Decimal as D
from pathlib import Path

import pytest

from helpers import REGION_FL, make_payer, make_therapy
from regen_compare.data.regions import (
    REGIONS_FILE,
    Region,
    UnknownRegion,
    adjust_cash,
    adjust_medicare,
    applies_to,
    cash_note,
    load_regions,
    regional_rule,
)
from regen_compare.engine.costs import Basis, Profile, price_therapy
from regen_compare.model.entities import Coverage, CoverageStatus, PayerKind
from regen_compare.model.money import Range
from regen_compare.model.problems import DataError

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "data" / REGIONS_FILE
TODAY = date(2026, 12, 7)

# CMS, "ADDENDUM E. FINAL CY 2025 GEOGRAPHIC PRACTICE COST INDICES (GPCIs) BY STATE AND
# MEDICARE LOCALITY", file GPCI2025 in the RVU25D relative value files:
# https://www.cms.gov/medicare/payment/fee-schedules/physician/pfs-relative-value-files/rvu25d
# Columns: state, locality, work GPCI (with the 1.0 floor; Alaska 1.5), practice-expense GPCI,
# malpractice GPCI, locality name (long names cut with …). All 109 localities, as published.
CMS_GPCI_2025 = """\
AL 00 1.000 0.869 0.575 ALABAMA
AK 01 1.500 1.081 0.592 ALASKA*
AZ 00 1.000 0.975 0.854 ARIZONA
AR 13 1.000 0.860 0.518 ARKANSAS
CA 54 1.017 1.093 0.662 BAKERSFIELD
CA 55 1.014 1.093 0.560 CHICO
CA 71 1.014 1.093 0.570 EL CENTRO
CA 56 1.014 1.093 0.560 FRESNO
CA 57 1.014 1.093 0.560 HANFORD-CORCORAN
CA 18 1.042 1.194 0.690 LOS ANGELES-LONG BEACH-ANAHEIM (LOS ANGELES/ORANGE CNTY)
CA 58 1.014 1.093 0.560 MADERA
CA 59 1.014 1.093 0.560 MERCED
CA 60 1.014 1.093 0.560 MODESTO
CA 51 1.058 1.310 0.521 NAPA
CA 17 1.026 1.183 0.651 OXNARD-THOUSAND OAKS-VENTURA
CA 61 1.014 1.093 0.560 REDDING
CA 62 1.014 1.093 0.892 RIVERSIDE-SAN BERNARDINO-ONTARIO
CA 63 1.034 1.156 0.560 SACRAMENTO-ROSEVILLE-FOLSOM
CA 64 1.035 1.165 0.560 SALINAS
CA 72 1.028 1.191 0.572 SAN DIEGO-CHULA VISTA-CARLSBAD
CA 05 1.088 1.419 0.445 SAN FRANCISCO-OAKLAND-BERKELEY (SAN FRANCISCO/SAN MATEO/ALAMEDA/CONTRA COST…
CA 52 1.088 1.419 0.470 SAN FRANCISCO-OAKLAND-BERKELEY (MARIN CNTY)
CA 65 1.100 1.435 0.560 SAN JOSE-SUNNYVALE-SANTA CLARA (SAN BENITO CNTY)
CA 73 1.014 1.132 0.560 SAN LUIS OBISPO-PASO ROBLES
CA 09 1.100 1.435 0.420 SAN JOSE-SUNNYVALE-SANTA CLARA (SANTA CLARA CNTY)
CA 66 1.017 1.209 0.560 SANTA CRUZ-WATSONVILLE
CA 74 1.022 1.175 0.560 SANTA MARIA-SANTA BARBARA
CA 67 1.027 1.232 0.560 SANTA ROSA-PETALUMA
CA 68 1.014 1.093 0.560 STOCKTON
CA 53 1.058 1.310 0.470 VALLEJO
CA 69 1.014 1.093 0.560 VISALIA
CA 70 1.014 1.093 0.560 YUBA CITY
CA 75 1.014 1.093 0.560 REST OF CALIFORNIA
CO 01 1.008 1.053 0.827 COLORADO
CT 00 1.022 1.091 1.207 CONNECTICUT
DC 01 1.057 1.192 1.168 DC + MD/VA SUBURBS
DE 01 1.009 0.992 0.949 DELAWARE
FL 03 1.000 0.998 1.770 FORT LAUDERDALE
FL 04 1.000 1.027 2.500 MIAMI
FL 99 1.000 0.940 1.467 REST OF FLORIDA
GA 01 1.000 0.997 1.128 ATLANTA
GA 99 1.000 0.883 1.125 REST OF GEORGIA
HI 01 1.000 1.149 0.561 HAWAII, GUAM
ID 00 1.000 0.908 0.461 IDAHO
IL 16 1.007 1.023 2.018 CHICAGO
IL 12 1.000 0.918 1.784 EAST ST. LOUIS
IL 15 1.007 1.048 1.556 SUBURBAN CHICAGO
IL 99 1.000 0.912 1.381 REST OF ILLINOIS
IN 00 1.000 0.922 0.485 INDIANA
IA 00 1.000 0.913 0.457 IOWA
KS 00 1.000 0.906 0.540 KANSAS
KY 00 1.000 0.877 0.913 KENTUCKY
LA 01 1.000 0.935 1.156 NEW ORLEANS
LA 99 1.000 0.881 0.982 REST OF LOUISIANA
ME 03 1.000 1.012 0.656 SOUTHERN MAINE
ME 99 1.000 0.913 0.650 REST OF MAINE
MD 01 1.020 1.078 1.309 BALTIMORE/SURR. CNTYS
MD 99 1.012 1.016 0.973 REST OF MARYLAND
MA 01 1.042 1.197 0.894 METROPOLITAN BOSTON
MA 99 1.017 1.061 0.796 REST OF MASSACHUSETTS
MI 01 1.003 0.986 1.718 DETROIT
MI 99 1.000 0.911 1.173 REST OF MICHIGAN
MN 00 1.000 1.025 0.300 MINNESOTA
MS 00 1.000 0.852 0.768 MISSISSIPPI
MO 02 1.000 0.948 0.992 METROPOLITAN KANSAS CITY
MO 01 1.000 0.952 0.994 METROPOLITAN ST. LOUIS
MO 99 1.000 0.859 0.974 REST OF MISSOURI
MT 01 1.000 1.000 0.978 MONTANA**
NE 00 1.000 0.917 0.304 NEBRASKA
NV 00 1.000 1.000 0.844 NEVADA**
NH 40 1.000 1.034 0.898 NEW HAMPSHIRE
NJ 01 1.064 1.172 1.032 NORTHERN NJ
NJ 99 1.042 1.106 1.069 REST OF NEW JERSEY
NM 05 1.000 0.908 1.172 NEW MEXICO
NY 01 1.065 1.166 1.656 MANHATTAN
NY 02 1.065 1.200 1.911 NYC SUBURBS/LONG ISLAND
NY 03 1.046 1.106 1.269 POUGHKPSIE/N NYC SUBURBS
NY 04 1.065 1.195 1.462 QUEENS
NY 99 1.000 0.949 0.732 REST OF NEW YORK
NC 00 1.000 0.926 0.665 NORTH CAROLINA
ND 01 1.000 1.000 0.517 NORTH DAKOTA**
OH 00 1.000 0.911 1.033 OHIO
OK 00 1.000 0.891 0.813 OKLAHOMA
OR 01 1.013 1.103 0.688 PORTLAND
OR 99 1.000 0.986 0.643 REST OF OREGON
PA 01 1.024 1.053 1.177 METROPOLITAN PHILADELPHIA
PA 99 1.000 0.927 0.925 REST OF PENNSYLVANIA
PR 20 1.000 1.007 0.982 PUERTO RICO
RI 01 1.025 1.039 0.849 RHODE ISLAND
SC 01 1.000 0.913 0.817 SOUTH CAROLINA
SD 02 1.000 1.000 0.382 SOUTH DAKOTA**
TN 35 1.000 0.896 0.544 TENNESSEE
TX 31 1.000 1.046 0.914 AUSTIN
TX 20 1.000 0.903 0.947 BEAUMONT
TX 09 1.014 1.006 0.795 BRAZORIA
TX 11 1.011 1.007 0.877 DALLAS
TX 28 1.011 0.998 0.902 FORT WORTH
TX 15 1.014 1.000 0.855 GALVESTON
TX 18 1.014 1.003 1.409 HOUSTON
TX 99 1.000 0.945 0.934 REST OF TEXAS
UT 09 1.000 0.933 0.930 UTAH
VT 50 1.000 0.993 0.518 VERMONT
VA 00 1.002 0.984 0.755 VIRGINIA
VI 50 1.000 1.007 0.982 VIRGIN ISLANDS
WA 02 1.043 1.220 0.853 SEATTLE (KING CNTY)
WA 99 1.007 1.040 0.803 REST OF WASHINGTON
WV 16 1.000 0.862 1.333 WEST VIRGINIA
WI 00 1.000 0.957 0.331 WISCONSIN
WY 21 1.000 1.000 0.739 WYOMING**
"""

# Counties in the "DC + MD/VA SUBURBS" locality (CMS 25LOCCO, same page): Montgomery and
# Prince George's in Maryland; Alexandria, Arlington, Fairfax, Fairfax City, Falls Church in
# Virginia. So that locality's factor belongs to the Maryland and Virginia ranges too.
CROSS_STATE = {"DC": ("MD", "VA")}

WEIGHTS = (D("0.50866"), D("0.44839"), D("0.04295"))
"""Cost shares of work, practice expense and malpractice (the 2006-based MEI)."""


def gaf(work: str, pe: str, mp: str) -> D:
    total = WEIGHTS[0] * D(work) + WEIGHTS[1] * D(pe) + WEIGHTS[2] * D(mp)
    return total.quantize(D("0.001"), rounding=ROUND_HALF_UP)


def expected_ranges() -> dict[str, tuple[D, D, int]]:
    by_state: dict[str, list[D]] = {}
    for line in CMS_GPCI_2025.splitlines():
        state, _locality, work, pe, mp, *_name = line.split()
        factor = gaf(work, pe, mp)
        by_state.setdefault(state, []).append(factor)
        for other in CROSS_STATE.get(state, ()):
            by_state.setdefault(other, []).append(factor)
    return {s: (min(f), max(f), len(f)) for s, f in by_state.items()}


def test_every_bundled_range_is_recomputed_from_the_cms_rows() -> None:
    assert len(CMS_GPCI_2025.splitlines()) == 109
    regions = load_regions(BUNDLED, today=TODAY)
    expected = expected_ranges()
    assert set(regions.regions) == set(expected)
    for code, (low, high, count) in expected.items():
        region = regions.regions[code]
        assert (region.medicare_gaf.min, region.medicare_gaf.max) == (low, high), code
        assert region.localities == count, code
        assert region.cash_index is None, code
        assert region.sources[0].url.endswith("/pfs-relative-value-files/rvu25d")


def test_bundled_file_is_clean() -> None:
    regions = load_regions(BUNDLED, today=TODAY)
    assert regions.warnings == []
    assert len(regions.regions) == 53  # 50 states, DC, Puerto Rico, the Virgin Islands


@pytest.mark.parametrize(
    ("code", "low", "high"),
    [
        # Alabama, one locality: 0.50866 × 1.000 + 0.44839 × 0.869 + 0.04295 × 0.575
        #   = 0.50866 + 0.38965 + 0.02470 = 0.92301 → 0.923
        ("AL", "0.923", "0.923"),
        # Florida: Rest of Florida 0.50866 + 0.44839 × 0.940 + 0.04295 × 1.467 = 0.993;
        # Miami 0.50866 + 0.44839 × 1.027 + 0.04295 × 2.500 = 1.077
        ("FL", "0.993", "1.077"),
        # New York: Rest of New York 0.50866 + 0.44839 × 0.949 + 0.04295 × 0.732 = 0.966;
        # NYC Suburbs/Long Island 0.50866 × 1.065 + 0.44839 × 1.200 + 0.04295 × 1.911 = 1.162
        ("NY", "0.966", "1.162"),
        # Alaska: the 1.5 work floor: 0.50866 × 1.5 + 0.44839 × 1.081 + 0.04295 × 0.592 = 1.273
        ("AK", "1.273", "1.273"),
        # Virginia: Virginia 0.983; the DC + MD/VA suburbs locality 1.122
        ("VA", "0.983", "1.122"),
    ],
)
def test_hand_worked_states(code: str, low: str, high: str) -> None:
    region = load_regions(BUNDLED, today=TODAY).get(code)
    assert (region.medicare_gaf.min, region.medicare_gaf.max) == (D(low), D(high))


@pytest.mark.parametrize(
    ("gpcis", "published"),
    [
        (("0.980", "0.886", "0.611"), "0.922"),  # Alabama
        (("1.500", "1.107", "0.712"), "1.290"),  # Alaska
        (("0.986", "1.000", "0.877"), "0.988"),  # Arizona
        (("1.000", "1.011", "1.090"), "1.009"),  # Colorado
        (("1.024", "1.121", "1.232"), "1.076"),  # Connecticut
    ],
)
def test_the_weights_reproduce_cms_published_gafs(
    gpcis: tuple[str, str, str], published: str
) -> None:
    """The method check: CMS's CY 2015 GPCIs (CY 2014 final rule, Addendum E, 2015 columns)
    weighted 50.866 / 44.839 / 4.295 give exactly the GAFs CMS published in Addendum D of the
    CY 2016 proposed rule (no GPCI update between them)."""
    assert gaf(*gpcis) == D(published)


# --- applying a region --------------------------------------------------------------------------


def region(**extra: object) -> Region:
    data: dict[str, object] = {
        "code": "FL",
        "name": "Florida",
        "medicare_gaf": {"min": 0.993, "max": 1.077},
        "localities": 3,
        "as_of": TODAY,
        "sources": [{"title": "t", "url": "https://example.org/p", "accessed": TODAY}],
    }
    data.update(extra)
    return Region.model_validate(data)


def test_adjust_medicare_one_factor_keeps_the_typical_figure() -> None:
    # Alabama × 0.923: $265 → $244.595 → $244.60; $200–$300 typical $265 likewise.
    alabama = region(
        code="AL", name="Alabama", medicare_gaf={"min": 0.923, "max": 0.923}, localities=1
    )
    moved = adjust_medicare(Range(D(200), D(300), D(265)), alabama)
    assert moved == Range(D("184.60"), D("276.90"), D("244.60"))


def test_adjust_medicare_across_localities_is_a_range_without_a_typical_figure() -> None:
    # Florida 0.993–1.077: $265 becomes $263.15–$285.41 (the locality decides).
    moved = adjust_medicare(Range(D(265), D(265), D(265)), region())
    assert moved == Range(D("263.15"), D("285.41"), None)


def test_no_region_changes_nothing() -> None:
    amount = Range(D(1), D(2), D("1.5"))
    assert adjust_medicare(amount, None) is amount
    assert adjust_cash(amount, None) is amount


def test_cash_prices_stay_national_without_a_sourced_index() -> None:
    amount = Range(D(100), D(200), D(150))
    assert adjust_cash(amount, region()) == amount
    assert cash_note(region()) == (
        "cash prices are national (no sourced regional price index for Florida)"
    )
    assert cash_note(None) == "cash prices are national"
    assert region().to_json()["cash_prices"] == "national"


def test_a_sourced_cash_index_moves_cash_prices() -> None:
    sourced = region(
        cash_index={"min": 0.9, "max": 1.1},
        sources=[
            {
                "title": "t",
                "url": "https://example.org/p",
                "accessed": TODAY,
                "supports": ["cash_index"],
            }
        ],
    )
    assert adjust_cash(Range(D(100), D(200), D(150)), sourced) == Range(D(90), D(220), None)
    assert "sourced regional index" in cash_note(sourced)


def test_describe_names_the_region_and_what_moves() -> None:
    assert region().describe() == (
        "Florida (FL): Medicare amounts × 0.993–1.077 (your locality decides; 3 localities); "
        "cash prices are national (no sourced regional price index for Florida)"
    )


def test_regional_rule_moves_original_medicare_allowed_amounts_only() -> None:
    therapy = make_therapy(
        conditions=["back"],
        price={"min": 800, "max": 800, "unit": "injection"},
        units={"first_year": {"min": 1, "max": 1}, "later_years": {"min": 0, "max": 0}},
    )
    medicare = make_payer(id="m", name="Medicare", kind="medicare")
    rule = Coverage.model_validate(
        {"therapy": "t", "status": "covered", "allowed": {"min": 265, "max": 265}}
    )
    moved = regional_rule(rule, PayerKind.MEDICARE, region())
    assert moved is not None and moved.allowed is not None
    assert (moved.allowed.min, moved.allowed.max) == (D("263.15"), D("285.41"))
    # The patient's 20%: $52.63–$57.08 in Florida instead of $53 nationally.
    cost = price_therapy(therapy, medicare, moved, Profile(payer="m"))
    assert cost.basis is Basis.PLAN
    assert cost.patient_total == Range(D("52.630"), D("57.082"), D("54.8560"))
    # Cash is never moved, and other plans' amounts stay as the data gives them.
    assert cost.cash_total == Range(D(800), D(800), D(800))
    assert regional_rule(rule, PayerKind.COMMERCIAL, region()) is rule
    assert regional_rule(rule, PayerKind.MEDICARE, None) is rule
    plain = Coverage.model_validate({"therapy": "t", "status": "covered"})
    assert regional_rule(plain, PayerKind.MEDICARE, region()) is plain
    assert applies_to(PayerKind.MEDICARE) and not applies_to(PayerKind.MEDICARE_ADVANTAGE)


def test_get_is_case_insensitive_and_unknown_codes_list_the_valid_ones() -> None:
    regions = load_regions(BUNDLED, today=TODAY)
    assert regions.get(" fl ").code == "FL"
    with pytest.raises(UnknownRegion) as caught:
        regions.get("FX")
    message = str(caught.value)
    assert message.startswith("unknown region 'FX'")
    assert "one of AK, AL, AR" in message
    with pytest.raises(UnknownRegion, match="did you mean"):
        regions.get("NYY")


# --- the loader's guarantees ---------------------------------------------------------------

HEADER = "schema_version = 1\n"
GOOD = REGION_FL


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / REGIONS_FILE
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def problems(tmp_path: Path, text: str | bytes) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_regions(write(tmp_path, text), today=TODAY)
    return [str(p) for p in caught.value.errors]


def test_good_file_and_folder_both_load(tmp_path: Path) -> None:
    write(tmp_path, HEADER + GOOD)
    assert load_regions(tmp_path, today=TODAY).get("FL").localities == 3


def test_every_problem_at_once_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + GOOD.replace("localities = 3", "localitees = 3").replace("min = 0.993", "min = nan")
        + GOOD.replace('"FL"', '"fl"').replace("max = 1.077", 'max = "1.077"')
    )
    path = str(tmp_path / REGIONS_FILE)
    found = problems(tmp_path, text)
    nan = "must be a finite number (nan and inf are not allowed) (got nan)"
    assert f"{path}:6: region[FL].medicare_gaf.min: {nan}" in found
    assert (
        f"{path}:7: region[FL].localitees: unknown key 'localitees' (did you mean 'localities'?)"
        in found
    )
    assert any(
        p.startswith(f"{path}:12: region[fl].code: 'fl' is not a region code") for p in found
    )
    assert (
        f"{path}:14: region[fl].medicare_gaf.max: must be a number, not str (got '1.077')" in found
    )


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (
            ("max = 1.077", "max = 0.9"),
            6,
            "region[FL].medicare_gaf: min (0.993) is greater than max (0.9)",
        ),
        (("max = 1.077", "max = 1.0775"), 6, "a factor must have at most 3 decimal places"),
        (("min = 0.993", "min = 0"), 6, "a factor must be greater than 0"),
        (("max = 1.077", "max = 4"), 6, "a factor must be at most 3"),
        (("max = 1.077", "max = true"), 6, "must be a number, not bool"),
        (("localities = 3", "localities = 1"), 3, "one locality has one factor"),
        (("localities = 3", "localities = 0"), 7, "region[FL].localities"),
        (
            ("as_of = 2026-11-01", "as_of = 2027-01-01"),
            8,
            "region[FL].as_of: as_of 2027-01-01 is in the future",
        ),
        (("as_of = 2026-11-01", 'as_of = "2026-11-01"'), 8, "must be a TOML date"),
        (
            (
                'sources = [{ title = "t", url = "https://example.org/p", accessed = 2026-11-01 }]',
                "sources = []",
            ),
            9,
            "region[FL].sources: must list at least one item",
        ),
        (
            ("localities = 3", "localities = 3\ncash_index = { min = 1, max = 1 }"),
            3,
            "cash_index needs a source that supports it",
        ),
    ],
)
def test_bad_values_are_located(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    text = HEADER + GOOD.replace(*change)
    found = problems(tmp_path, text)
    path = str(tmp_path / REGIONS_FILE)
    assert any(p.startswith(f"{path}:{line}: ") and message in p for p in found), found


def test_duplicate_codes(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + GOOD + GOOD)
    path = str(tmp_path / REGIONS_FILE)
    assert found == [f"{path}:12: region[FL].code: duplicate code 'FL' (first defined on line 3)"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD, "schema_version: required key is missing"),
        ("schema_version = 2\n" + GOOD, "is not a schema version this program knows"),
        (HEADER + "regions = []\n", "unknown top-level key 'regions' (did you mean 'region'?)"),
        (HEADER + "region = 3\n", "must be an array of tables ([[region]])"),
        (HEADER + "[[region]\n", "TOML syntax error"),
    ],
)
def test_file_level_problems(tmp_path: Path, text: str, message: str) -> None:
    found = problems(tmp_path, text)
    assert any(message in p for p in found), found


def test_encoding_and_file_kind_guards(tmp_path: Path) -> None:
    path = str(tmp_path / REGIONS_FILE)
    assert problems(tmp_path, (HEADER + GOOD).encode("utf-16")) == [
        f"{path}:1: is UTF-16 text; save it as UTF-8 (without a byte-order mark)"
    ]
    assert problems(tmp_path, b'schema_version = 1\nname = "\xff"\n')[0].startswith(f"{path}:2:")
    # A byte-order mark and CRLF line ends are fine.
    write(tmp_path, ("\ufeff" + HEADER + GOOD).replace("\n", "\r\n").encode("utf-8"))
    assert load_regions(tmp_path / REGIONS_FILE, today=TODAY).get("FL")
    with pytest.raises(DataError, match="file not found"):
        load_regions(tmp_path / "missing.toml", today=TODAY)


def test_oversized_file_is_refused_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regen_compare.data import load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 100)
    text = HEADER + GOOD
    found = problems(tmp_path, text)
    assert f"is {len(text.encode()):,} bytes; files over 100 bytes are refused" in found[0]


def test_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    found = problems(tmp_path, HEADER + GOOD.replace('name = "Florida"', 'name = "Flo\\u001b[31m"'))
    assert found and all("\x1b" not in p for p in found)


def test_stale_dates_warn_without_failing(tmp_path: Path) -> None:
    old = GOOD.replace("accessed = 2026-11-01", "accessed = 2023-01-01")
    result = load_regions(write(tmp_path, HEADER + old), today=TODAY)
    assert [p.where for p in result.warnings] == ["region[FL].sources[1].accessed"]
    assert "more than 2 years old" in result.warnings[0].message


def wiser(**extra: object) -> Region:
    source = {
        "title": "t", "url": "https://example.org/w", "accessed": TODAY, "supports": ["prior_auth"]
    }  # fmt: skip
    prior = {
        "payer": "m",
        "therapies": ["t"],
        "policy": "WISeR model",
        "since": date(2026, 1, 1),
    }
    return region(prior_auth=[prior], sources=[source], **extra)


def test_a_states_own_prior_auth_turns_a_covering_rule_into_prior_auth() -> None:
    rule = Coverage.model_validate({"therapy": "t", "status": "covered", "policy": "LCD L1"})
    moved = regional_rule(rule, PayerKind.MEDICARE, wiser(), "m")
    assert moved is not None and moved.status is CoverageStatus.PRIOR_AUTH
    assert moved.policy == "LCD L1; WISeR model (Florida, since 2026-01-01)"
    # Another plan, another therapy, or a rule that does not cover: as the data gives them.
    assert regional_rule(rule, PayerKind.MEDICARE, wiser(), "someone-else") is rule
    other = Coverage.model_validate({"therapy": "x", "status": "covered"})
    assert regional_rule(other, PayerKind.MEDICARE, wiser(), "m") is other
    refused = Coverage.model_validate({"therapy": "t", "status": "not_covered"})
    assert regional_rule(refused, PayerKind.MEDICARE, wiser(), "m") is refused


def test_a_regional_prior_auth_needs_its_source() -> None:
    prior = {"payer": "m", "therapies": ["t"], "policy": "p", "since": date(2026, 1, 1)}
    with pytest.raises(ValueError, match="prior_auth needs a source"):
        region(prior_auth=[prior])


def test_wiser_states_show_prior_auth_for_epidural_injections_under_medicare() -> None:
    """The bundled data: in Texas (a WISeR state) an epidural steroid injection needs prior
    authorization under Original Medicare; in Florida it does not."""
    from regen_compare.data.load import load_catalog
    from regen_compare.engine.query import build_rows

    catalog = load_catalog(REPO / "data", today=TODAY).catalog
    regions = load_regions(BUNDLED, today=TODAY)
    status = {}
    for code in ("TX", "FL"):
        profile = Profile(payer="medicare-original", region=code)
        rows = {r.id: r for r in build_rows(catalog, profile, regions=regions)}
        status[code] = rows["epidural-steroid-injection"].cost.status
    assert status["TX"] is not None and status["TX"].value == "prior_auth"
    assert status["FL"] is not None and status["FL"].value == "covered"


def test_validate_names_each_unknown_id_a_regional_prior_auth_gives_on_its_line(
    tmp_path: Path,
) -> None:
    """A typo in a state's prior-auth rule would leave it silently unused: `validate` says so
    (the file read and parsed once, the references checked with the rest)."""
    from regen_compare.data.regions import read_bytes, regions_from

    text = (
        HEADER
        + GOOD.replace(
            "accessed = 2026-11-01 }]", 'accessed = 2026-11-01, supports = ["prior_auth"] }]'
        )
        + (
            "\n[[region.prior_auth]]\n"
            'payer = "medicare-orignal"\n'
            'therapies = ["epidural-steroid-injection", "epidural-steroid-injektion"]\n'
            'policy = "WISeR"\n'
            "since = 2026-01-01\n"
        )
    )
    path = write(tmp_path, text)
    lines = text.splitlines()
    payer_line = next(n for n, line in enumerate(lines, 1) if line.startswith("payer"))
    known = ({"medicare-original"}, {"epidural-steroid-injection", "physical-therapy"})
    with pytest.raises(DataError) as caught:
        regions_from(path, read_bytes(path), today=TODAY, known=known)
    assert [str(p) for p in caught.value.errors] == [
        f"{path}:{payer_line}: region[FL].prior_auth[1].payer: unknown payer id "
        "'medicare-orignal' (did you mean 'medicare-original'?)",
        f"{path}:{payer_line + 1}: region[FL].prior_auth[1].therapies[2]: unknown therapy "
        "id 'epidural-steroid-injektion' (did you mean 'epidural-steroid-injection'?)",
    ]
    typos_known = (
        {"medicare-orignal"},
        {"epidural-steroid-injektion", "epidural-steroid-injection"},
    )
    assert regions_from(path, read_bytes(path), today=TODAY, known=typos_known).regions
    # Without the data's ids (the app, a cached start), the references are not checked.
    assert load_regions(path, today=TODAY).regions


def test_the_validate_command_reports_an_unknown_id_in_regions_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from regen_compare.cli.main import main

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    path = data / REGIONS_FILE
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'therapies = ["epidural-steroid-injection"]', 'therapies = ["no-such-therapy"]', 1
        ),
        encoding="utf-8",
    )
    assert main(["validate", "--data-dir", str(data)]) == 1
    assert "unknown therapy id 'no-such-therapy'" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["dangling-link", "folder"])
def test_something_else_at_regions_toml_is_refused_the_same_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    """validate, list --region and the app's loader read regions.toml through one function:
    a dangling link or a folder there is the same refusal for all three, naming that path."""
    import shutil

    from regen_compare.cli.main import main
    from regen_compare.data.regions import load_beside

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    target = data / REGIONS_FILE
    target.unlink()
    if kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "gone.toml")
    assert main(["validate", "--data-dir", str(data)]) == 1
    assert f"{target}:" in capsys.readouterr().err
    assert main(["list", "--data-dir", str(data), "--region", "FL"]) == 1
    assert f"{target}:" in capsys.readouterr().err
    found, error = load_beside(data, TODAY)
    assert found is None and error is not None and str(target) in error
