"""The data model: what a therapy, a payer and a coverage rule are, checked strictly.

Strict on purpose: these files are edited by hand, so a typo'd key, a price written as a string
or `nan` must be an error with a location, never a silently changed figure. Money is `Decimal`
so that no figure a patient sees carries float drift. The scalar types live in `model/types.py`.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from regen_compare.model.types import (
    AT_LEAST_ONE,
    MAX_MONEY,
    SCHEMA_VERSIONS,
    SLUG_PATTERN,
    Date,
    Days,
    Frequency,
    InHundred,
    LongText,
    Money,
    Name,
    OptionalLongText,
    OptionalName,
    Published,
    Share,
    ShortName,
    Slug,
    Strict,
    Units,
    Url,
    Weeks,
    entity,
)

__all__ = [
    "MAX_MONEY",
    "SCHEMA_VERSIONS",
    "SLUG_PATTERN",
    "Date",
    "Money",
    "Name",
    "Published",
    "Slug",
    "Strict",
    "Url",
]

# --- enums (their order is meaningful where noted) -----------------------------------------


class Category(StrEnum):
    REGENERATIVE = "regenerative"
    TRADITIONAL = "traditional"


class Modality(StrEnum):
    MEDICATION = "medication"
    INJECTION = "injection"
    PROCEDURE = "procedure"
    SURGERY = "surgery"
    REHABILITATION = "rehabilitation"
    GENE_THERAPY = "gene-therapy"
    DEVICE = "device"


class Invasiveness(StrEnum):
    """Ordered from least to most invasive; `rank` gives the order."""

    NON_INVASIVE = "non_invasive"
    INJECTION = "injection"
    MINIMALLY_INVASIVE_PROCEDURE = "minimally_invasive_procedure"
    OUTPATIENT_SURGERY = "outpatient_surgery"
    INPATIENT_SURGERY = "inpatient_surgery"

    @property
    def rank(self) -> int:
        return list(Invasiveness).index(self)


class Anesthesia(StrEnum):
    NONE = "none"
    LOCAL = "local"
    SEDATION = "sedation"
    REGIONAL = "regional"
    GENERAL = "general"


class Evidence(StrEnum):
    """Ordered from strongest to weakest; `rank` 0 is the strongest."""

    STRONG = "strong"
    MODERATE = "moderate"
    LIMITED = "limited"
    INSUFFICIENT = "insufficient"
    INVESTIGATIONAL = "investigational"

    @property
    def rank(self) -> int:
        return list(Evidence).index(self)


class Regulatory(StrEnum):
    APPROVED = "approved"
    OTC = "otc"
    DEVICE_CLEARED = "device_cleared"
    DEVICE_APPROVED = "device_approved"
    HCT_P_361 = "hct_p_361"
    OFF_LABEL = "off_label"
    INVESTIGATIONAL = "investigational"
    UNAPPROVED = "unapproved"
    NOT_APPLICABLE = "not_applicable"
    """Not a drug, biologic or device (physical therapy): no FDA status to show."""


class DependencyRisk(StrEnum):
    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class PriceUnit(StrEnum):
    INJECTION = "injection"
    SESSION = "session"
    PROCEDURE = "procedure"
    MONTH = "month"
    COURSE = "course"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class PayerKind(StrEnum):
    MEDICARE = "medicare"
    MEDICARE_ADVANTAGE = "medicare_advantage"
    MEDICAID = "medicaid"
    COMMERCIAL = "commercial"
    MARKETPLACE = "marketplace"
    VA = "va"
    TRICARE = "tricare"
    WORKERS_COMP = "workers_comp"
    SELF_PAY = "self_pay"


class CoverageStatus(StrEnum):
    """A rule's status in the data. `unknown` is never written: it is the absence of a rule."""

    COVERED = "covered"
    PRIOR_AUTH = "prior_auth"
    NOT_COVERED = "not_covered"
    INVESTIGATIONAL = "investigational"


class ServiceKind(StrEnum):
    """Where and how a therapy is delivered, as a plan's copay table prices it (a Medicare
    Advantage plan charges a specialist-visit copay for an injection in the office, an
    outpatient-surgery copay for a procedure in a surgery center, a copay per hospital stay)."""

    PRIMARY_CARE_VISIT = "primary_care_visit"
    SPECIALIST_VISIT = "specialist_visit"
    OUTPATIENT_PROCEDURE = "outpatient_procedure"
    OUTPATIENT_SURGERY = "outpatient_surgery"
    HOSPITAL_STAY = "hospital_stay"
    THERAPY_VISIT = "therapy_visit"
    PRESCRIPTION_DRUG = "prescription_drug"


class AssumedFigure(StrEnum):
    """A figure of a therapy that may rest on an assumption rather than a source."""

    PRICE = "price"
    PRICE_TYPICAL = "price.typical"
    UNITS_FIRST_YEAR = "units.first_year"
    UNITS_LATER_YEARS = "units.later_years"
    DOWNTIME = "recovery.downtime_days"
    FULL_RECOVERY = "recovery.full_weeks"


class Certainty(StrEnum):
    """How sure the evidence for a benefit is (GRADE's four levels), strongest first."""

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"


class SourceKind(StrEnum):
    """Who published a source, so a reader can weigh it: a clinic's or a seller's own page
    is marked as such wherever sources are listed for a patient."""

    RESEARCH = "research"
    """A trial, review or other study (journal, preprint, registry)."""
    GUIDELINE = "guideline"
    """A clinical practice guideline or a professional society's recommendation."""
    GOVERNMENT = "government"
    """A government agency (CMS, FDA, CDC, NICE) or the text of a law or regulation."""
    INSURER = "insurer"
    """An insurer's or plan's own policy or page."""
    CLINIC = "clinic"
    """A clinic's, practice's or hospital's own page about care it offers."""
    VENDOR = "vendor"
    """A company that sells the product, drug, device or service (maker, pharmacy, lender)."""
    NEWS = "news"
    """A news report or a blog that reports on others' work."""


class SourceSupport(StrEnum):
    PRICE = "price"
    UNITS = "units"
    RECOVERY = "recovery"
    INVASIVENESS = "invasiveness"
    EVIDENCE = "evidence"
    REGULATORY = "regulatory"
    RISKS = "risks"
    WARNINGS = "warnings"
    COVERAGE = "coverage"
    PLAN = "plan"
    ETHICS = "ethics"
    BENEFIT = "benefit"
    HARMS = "harms"
    GUIDELINE = "guideline"


# --- structures -----------------------------------------------------------------------------


@entity
class _Range(Strict):
    def _check(self) -> None:
        low, high = getattr(self, "min"), getattr(self, "max")  # noqa: B009
        if low > high:
            raise ValueError(f"min ({low}) is greater than max ({high})")


@entity
class _TypicalRange(_Range):
    """A money range that may carry the typical (median, average) figure a source gives.

    Sorting and the ★ use it, so it must lie inside the range it describes."""

    def _check(self) -> None:
        _Range._check(self)
        typical = getattr(self, "typical")  # noqa: B009
        low, high = getattr(self, "min"), getattr(self, "max")  # noqa: B009
        if typical is not None and not low <= typical <= high:
            raise ValueError(f"typical ({typical}) must lie between min ({low}) and max ({high})")


@entity
class MoneyRange(_TypicalRange):
    min: Money
    typical: Money | None = None
    max: Money


@entity
class UnitsRange(_Range):
    min: Units
    max: Units


@entity
class DaysRange(_Range):
    min: Days
    max: Days


@entity
class WeeksRange(_Range):
    min: Weeks
    max: Weeks


@entity
class Price(_TypicalRange):
    min: Money
    typical: Money | None = None
    max: Money
    unit: PriceUnit


@entity
class UnitsPerYear(Strict):
    first_year: UnitsRange
    later_years: UnitsRange


@entity
class Recovery(Strict):
    downtime_days: DaysRange
    """Days until normal daily activity."""
    full_weeks: WeeksRange
    """Weeks until full effect or full recovery."""


@entity
class Source(Strict):
    title: Name
    url: Url
    accessed: Date
    published: Published | None = None
    supports: tuple[SourceSupport, ...] = ()
    kind: SourceKind | None = None
    """Who published it (optional): a clinic's or a seller's page is marked for patients."""


@entity
class Assumption(Strict):
    """A figure that rests on an assumption rather than a source, and why: every face shows
    the mark and the reason wherever the figure appears."""

    figure: AssumedFigure
    reason: LongText


@entity
class Benefit(Strict):
    """The chance of a meaningful benefit for one condition, as a trial or review measured it:
    how many in 100 reached it with the therapy and with its comparator. A count left out is
    "not known" and is shown as such, never filled in."""

    condition: Slug
    measure: Name
    """What counted as a benefit, in words (`at least 30% less pain`)."""
    timeframe: Name
    """When it was measured (`after 3 months`)."""
    with_therapy: InHundred | None = None
    """How many in 100 reached it with the therapy; absent: not known."""
    comparator: OptionalName = None
    """What the therapy was compared with, named (`a placebo pill`, `saline injections`)."""
    with_comparator: InHundred | None = None
    """How many in 100 reached it with the comparator; absent: not known."""
    finding: LongText
    """What the trials found, in plain words (shown first, and whenever a count is missing)."""
    certainty: Certainty | None = None
    evidence: OptionalName = None
    """How much evidence: trials, participants, the review (`13 trials, 2,500 people`)."""
    sources: Annotated[tuple[Source, ...], AT_LEAST_ONE]

    def _check(self) -> None:
        if self.with_comparator is not None and self.comparator is None:
            raise ValueError("with_comparator needs comparator: say what it was compared with")

    @property
    def difference(self) -> Decimal | None:
        """How many more in 100 were helped than with the comparator (None: not known)."""
        if self.with_therapy is None or self.with_comparator is None:
            return None
        return self.with_therapy - self.with_comparator


@entity
class Harm(Strict):
    """A main harm with a frequency a source gives: `count` in `out_of` people."""

    what: Name
    count: Frequency
    out_of: Literal[100, 1000, 10000]
    timeframe: OptionalName = None
    sources: Annotated[tuple[Source, ...], AT_LEAST_ONE]

    def _check(self) -> None:
        if self.count == 0:
            raise ValueError("count must be more than 0 (leave out a harm nobody counted)")
        if self.count > self.out_of:
            raise ValueError(f"count ({self.count}) is more than out_of ({self.out_of})")


@entity
class Condition(Strict):
    id: Slug
    name: Name
    aliases: tuple[Name, ...] = ()
    usual_care: tuple[Slug, ...] = ()
    """Traditional therapies a clinician would usually try, in order (the compare screen's
    'add usual care' key uses this)."""
    guideline: Source | None = None
    """The guideline whose first-line care `usual_care` follows."""


@entity
class Therapy(Strict):
    id: Slug
    name: Name
    short_name: ShortName | None = None
    """For narrow tables: at most 24 characters, keeping the words a patient searches for."""
    category: Category
    modality: Modality
    conditions: Annotated[tuple[Slug, ...], AT_LEAST_ONE]
    invasiveness: Invasiveness
    anesthesia: Anesthesia
    evidence: Evidence
    evidence_by_condition: dict[Slug, Evidence] = field(default_factory=dict)
    evidence_notes: OptionalLongText = None
    regulatory: Regulatory
    regulatory_notes: OptionalLongText = None
    dependency_risk: DependencyRisk
    summary: LongText
    risks: tuple[Name, ...]
    warnings: tuple[LongText, ...] = ()
    ethics: tuple[LongText, ...] = ()
    """Plain-language points on the ethics of the source of cells or genes (donor consent,
    pay-to-participate "trials"): a patient should hear them beside the price."""
    as_of: Date
    price: Price | None = None
    """Cash price per unit. Absent for therapies that cannot be bought (trials only), or when
    no source gives a price (then `price_unknown` says why)."""
    price_unknown: OptionalLongText = None
    """Why there is no price: the app shows "price unknown" instead of inventing one."""
    units: UnitsPerYear
    recovery: Recovery
    service: ServiceKind | None = None
    """How a plan's copay table prices it (`Payer.copays`); absent: coinsurance applies."""
    not_included: tuple[Name, ...] = ()
    """What the price leaves out (rehab, imaging, the anesthesia fee), said next to it."""
    assumptions: tuple[Assumption, ...] = ()
    benefit: tuple[Benefit, ...] = ()
    harms: tuple[Harm, ...] = ()
    confidence: Confidence | None = None
    notes: OptionalLongText = None
    sources: Annotated[tuple[Source, ...], AT_LEAST_ONE]

    def _check(self) -> None:
        self._price_or_reason()
        self._assumptions_name_figures_it_has()

    def _price_or_reason(self) -> None:
        if self.price is not None and self.price_unknown is not None:
            raise ValueError("give either price or price_unknown, not both")
        if (
            self.price is None
            and self.price_unknown is None
            and self.regulatory is not Regulatory.INVESTIGATIONAL
        ):
            raise ValueError(
                "price is required; leave it out only when regulatory = 'investigational' "
                "(not for sale) or say why no price is known in price_unknown"
            )

    def _assumptions_name_figures_it_has(self) -> None:
        figures = [a.figure for a in self.assumptions]
        if len(set(figures)) != len(figures):
            raise ValueError("assumptions: each figure at most once")
        price_figures = {AssumedFigure.PRICE, AssumedFigure.PRICE_TYPICAL}
        if self.price is None and price_figures & set(figures):
            raise ValueError("assumptions: a price assumption needs a price")
        if (
            AssumedFigure.PRICE_TYPICAL in figures
            and self.price is not None
            and self.price.typical is None
        ):
            raise ValueError("assumptions: 'price.typical' needs price.typical")
        conditions = [b.condition for b in self.benefit]
        if len(set(conditions)) != len(conditions):
            raise ValueError("benefit: one entry per condition")

    def assumption(self, figure: AssumedFigure) -> Assumption | None:
        """The assumption behind one figure, if it rests on one."""
        return next((a for a in self.assumptions if a.figure is figure), None)

    def benefit_for(self, condition: str | None) -> Benefit | None:
        """The chance of benefit for one condition (none without a condition)."""
        if condition is None:
            return None
        return next((b for b in self.benefit if b.condition == condition), None)

    @property
    def label(self) -> str:
        """The name for narrow places: the short name when the data gives one."""
        return self.short_name or self.name

    @property
    def for_sale(self) -> bool:
        """False only for trial-only therapies (investigational, with no price)."""
        return self.price is not None or self.price_unknown is not None

    def evidence_for(self, condition: str | None) -> Evidence:
        """The evidence level for one condition when the data gives one, else the overall level."""
        if condition is not None and condition in self.evidence_by_condition:
            return self.evidence_by_condition[condition]
        return self.evidence


@entity
class Coverage(Strict):
    therapy: Slug
    status: CoverageStatus
    policy: OptionalName = None
    conditions: tuple[Slug, ...] = ()
    allowed: MoneyRange | None = None
    coinsurance: Share | None = None
    copay: Money | None = None
    max_per_unit: Money | None = None
    """The most the patient's coinsurance or copay comes to for one unit (Medicare's hospital
    outpatient copay cap); the deductible is paid on top of it."""
    other_conditions: Literal["not_covered", "unknown"] = "not_covered"
    """With `conditions`: what applies to a condition not listed. `not_covered` (the policy
    excludes it) or `unknown` (the policy is silent: the app shows both outcomes)."""
    deductible: Money | None = None
    oop_max: Money | None = None
    varies: OptionalLongText = None
    """Plans of this kind decide differently (one insurer covers it, another does not): the
    app then shows both outcomes, as for unknown coverage, with this sentence saying why."""
    notes: OptionalLongText = None
    confidence: Confidence | None = None
    sources: tuple[Source, ...] = ()

    def _check(self) -> None:
        if self.copay is not None and self.coinsurance is not None:
            raise ValueError(
                "give either copay or coinsurance, not both (a copay replaces coinsurance)"
            )
        if self.varies is not None and self.status not in (
            CoverageStatus.COVERED,
            CoverageStatus.PRIOR_AUTH,
        ):
            raise ValueError(
                "varies describes a rule some plans apply and others do not: give the terms "
                "of the plans that cover it (status covered or prior_auth)"
            )
        if (
            self.deductible is not None
            and self.oop_max is not None
            and self.oop_max < self.deductible
        ):
            raise ValueError(
                f"oop_max ({self.oop_max}) is less than deductible ({self.deductible})"
            )

    @property
    def separate_benefit(self) -> bool:
        """A rule with its own deductible or cap is priced as its own benefit (e.g. Part D)."""
        return self.deductible is not None or self.oop_max is not None


@entity
class Payer(Strict):
    id: Slug
    name: Name
    kind: PayerKind
    deductible: Money
    coinsurance: Share
    oop_max: Money | None = None
    allowed_from: Slug | None = None
    """Another payer whose allowed amounts this one pays (a Medicare Advantage plan pays rates
    near Original Medicare's): a covering rule without its own `allowed` takes that payer's
    amount for the same therapy, adjusted by region where that payer's are."""
    copays: dict[ServiceKind, Money] = field(default_factory=dict)
    """The plan's copay for each kind of service (`Therapy.service`), used by a covering rule
    that sets neither `copay` nor `coinsurance`."""
    as_of: Date
    notes: OptionalLongText = None
    confidence: Confidence | None = None
    sources: Annotated[tuple[Source, ...], AT_LEAST_ONE]
    coverage: tuple[Coverage, ...] = ()

    def _check(self) -> None:
        if self.oop_max is not None and self.oop_max < self.deductible:
            raise ValueError(
                f"oop_max ({self.oop_max}) is less than deductible ({self.deductible})"
            )


@entity
class Supplement(Strict):
    """Coverage that pays after another plan (Medigap Plan G or N, Medicaid for a patient with
    Medicare): what it pays of the patient's share of covered care, by its own sourced rules."""

    id: Slug
    name: Name
    supplements: Annotated[tuple[Slug, ...], AT_LEAST_ONE]
    """The payer ids it pays after."""
    pays_deductible: bool
    """It pays the main plan's deductible (Plan G does not pay Part B's; Medicaid does)."""
    pays_coinsurance: bool
    """It pays the coinsurance and copays of covered care."""
    keeps_copay: dict[ServiceKind, Money] = field(default_factory=dict)
    """What the patient still pays per unit of these services (Plan N: up to $20 an office
    visit)."""
    as_of: Date
    notes: OptionalLongText = None
    confidence: Confidence | None = None
    sources: Annotated[tuple[Source, ...], AT_LEAST_ONE]


@entity
class TherapiesFile(Strict):
    """The top level of therapies.toml (entities are validated one by one by the loader)."""

    schema_version: Literal[1]
    condition: tuple[Condition, ...] = ()
    therapy: tuple[Therapy, ...] = ()


@entity
class PayersFile(Strict):
    """The top level of payers.toml."""

    schema_version: Literal[1]
    payer: tuple[Payer, ...] = ()
    supplement: tuple[Supplement, ...] = ()
