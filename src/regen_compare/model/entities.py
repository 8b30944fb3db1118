"""The data model: what a therapy, a payer and a coverage rule are, checked strictly.

Strict on purpose: these files are edited by hand, so a typo'd key, a price written as a string
or `nan` must be an error with a location, never a silently changed figure. Money is `Decimal`
so that no figure a patient sees carries float drift. The scalar types live in `model_types.py`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from regen_compare.model.types import (
    MAX_MONEY,
    SCHEMA_VERSIONS,
    SLUG_PATTERN,
    Date,
    Days,
    LongText,
    Money,
    Name,
    OptionalLongText,
    OptionalName,
    Published,
    Share,
    Slug,
    Strict,
    Units,
    Url,
    Weeks,
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


# --- structures -----------------------------------------------------------------------------


class _Range(Strict):
    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        low, high = getattr(self, "min"), getattr(self, "max")  # noqa: B009
        if low > high:
            raise ValueError(f"min ({low}) is greater than max ({high})")
        return self


class _TypicalRange(_Range):
    """A money range that may carry the typical (median, average) figure a source gives.

    Sorting and the ★ use it, so it must lie inside the range it describes."""

    @model_validator(mode="after")
    def _typical_inside(self) -> _TypicalRange:
        typical = getattr(self, "typical")  # noqa: B009
        low, high = getattr(self, "min"), getattr(self, "max")  # noqa: B009
        if typical is not None and not low <= typical <= high:
            raise ValueError(f"typical ({typical}) must lie between min ({low}) and max ({high})")
        return self


class MoneyRange(_TypicalRange):
    min: Money
    typical: Money | None = None
    max: Money


class UnitsRange(_Range):
    min: Units
    max: Units


class DaysRange(_Range):
    min: Days
    max: Days


class WeeksRange(_Range):
    min: Weeks
    max: Weeks


class Price(_TypicalRange):
    min: Money
    typical: Money | None = None
    max: Money
    unit: PriceUnit


class UnitsPerYear(Strict):
    first_year: UnitsRange
    later_years: UnitsRange


class Recovery(Strict):
    downtime_days: DaysRange
    """Days until normal daily activity."""
    full_weeks: WeeksRange
    """Weeks until full effect or full recovery."""


class Source(Strict):
    title: Name
    url: Url
    accessed: Date
    published: Published | None = None
    supports: tuple[SourceSupport, ...] = ()


class Condition(Strict):
    id: Slug
    name: Name
    aliases: tuple[Name, ...] = ()
    usual_care: tuple[Slug, ...] = ()
    """Traditional therapies a clinician would usually try, in order (the compare screen's
    'add usual care' key uses this)."""


class Therapy(Strict):
    id: Slug
    name: Name
    category: Category
    modality: Modality
    conditions: tuple[Slug, ...] = Field(min_length=1)
    invasiveness: Invasiveness
    anesthesia: Anesthesia
    evidence: Evidence
    evidence_by_condition: dict[Slug, Evidence] = Field(default_factory=dict)
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
    confidence: Confidence | None = None
    notes: OptionalLongText = None
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _price_or_reason(self) -> Therapy:
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
        return self

    @property
    def for_sale(self) -> bool:
        """False only for trial-only therapies (investigational, with no price)."""
        return self.price is not None or self.price_unknown is not None

    def evidence_for(self, condition: str | None) -> Evidence:
        """The evidence level for one condition when the data gives one, else the overall level."""
        if condition is not None and condition in self.evidence_by_condition:
            return self.evidence_by_condition[condition]
        return self.evidence


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
    notes: OptionalLongText = None
    confidence: Confidence | None = None
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Coverage:
        if self.copay is not None and self.coinsurance is not None:
            raise ValueError(
                "give either copay or coinsurance, not both (a copay replaces coinsurance)"
            )
        if (
            self.deductible is not None
            and self.oop_max is not None
            and self.oop_max < self.deductible
        ):
            raise ValueError(
                f"oop_max ({self.oop_max}) is less than deductible ({self.deductible})"
            )
        return self

    @property
    def separate_benefit(self) -> bool:
        """A rule with its own deductible or cap is priced as its own benefit (e.g. Part D)."""
        return self.deductible is not None or self.oop_max is not None


class Payer(Strict):
    id: Slug
    name: Name
    kind: PayerKind
    deductible: Money
    coinsurance: Share
    oop_max: Money | None = None
    as_of: Date
    notes: OptionalLongText = None
    confidence: Confidence | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    coverage: tuple[Coverage, ...] = ()

    @model_validator(mode="after")
    def _cap_above_deductible(self) -> Payer:
        if self.oop_max is not None and self.oop_max < self.deductible:
            raise ValueError(
                f"oop_max ({self.oop_max}) is less than deductible ({self.deductible})"
            )
        return self


class TherapiesFile(Strict):
    """The top level of therapies.toml (entities are validated one by one by the loader)."""

    schema_version: Literal[1]
    condition: tuple[Condition, ...] = ()
    therapy: tuple[Therapy, ...] = ()


class PayersFile(Strict):
    """The top level of payers.toml."""

    schema_version: Literal[1]
    payer: tuple[Payer, ...] = ()
