"""Deterministic synthetic data sets in the real format, for the benchmark.

`python bench/synth.py OUT_DIR --therapies 10000 --payers 50` writes therapies.toml and
payers.toml that validate cleanly; the same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from regen_compare.data.writing import payers_toml, therapies_toml
from regen_compare.model.entities import (
    Anesthesia,
    Category,
    Condition,
    CoverageStatus,
    DependencyRisk,
    Evidence,
    Invasiveness,
    Modality,
    Payer,
    PayerKind,
    PriceUnit,
    Regulatory,
    Therapy,
)

AS_OF = date(2026, 6, 1)
WORDS = (
    "knee",
    "back",
    "tendon",
    "shoulder",
    "hip",
    "spine",
    "nerve",
    "joint",
    "muscle",
    "injection",
    "therapy",
    "clinic",
    "regional",
    "platelet",
    "steroid",
    "course",
)


def _range(rng: random.Random, low: int, high: int) -> dict[str, int]:
    a, b = rng.randint(low, high), rng.randint(low, high)
    return {"min": min(a, b), "max": max(a, b)}


def build(
    therapy_count: int, payer_count: int, seed: int = 1
) -> tuple[list[Condition], list[Therapy], list[Payer]]:
    rng = random.Random(seed)
    conditions = [
        Condition.model_validate(
            {
                "id": f"condition-{i}",
                "name": f"Condition {i}",
                "aliases": [f"{rng.choice(WORDS)} pain {i}"],
            }
        )
        for i in range(12)
    ]
    source = {
        "title": "Synthetic source",
        "url": "https://example.org/synthetic",
        "accessed": AS_OF,
        "supports": ["price", "units"],
    }
    therapies = []
    for i in range(therapy_count):
        name = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
        data: dict[str, Any] = {
            "id": f"therapy-{i:05d}",
            "name": f"{name} {i}",
            "category": rng.choice(list(Category)).value,
            "modality": rng.choice(list(Modality)).value,
            "conditions": sorted(
                {f"condition-{rng.randrange(12)}" for _ in range(rng.randint(1, 3))}
            ),
            "invasiveness": rng.choice(list(Invasiveness)).value,
            "anesthesia": rng.choice(list(Anesthesia)).value,
            "evidence": rng.choice(list(Evidence)).value,
            "regulatory": rng.choice(
                [r for r in Regulatory if r is not Regulatory.INVESTIGATIONAL]
            ).value,
            "dependency_risk": rng.choice(list(DependencyRisk)).value,
            "summary": f"A synthetic {rng.choice(WORDS)} option number {i} for the benchmark.",
            "risks": ["Soreness"],
            "as_of": AS_OF,
            "price": {**_range(rng, 10, 30000), "unit": rng.choice(list(PriceUnit)).value},
            "units": {"first_year": _range(rng, 1, 12), "later_years": _range(rng, 0, 6)},
            "recovery": {"downtime_days": _range(rng, 0, 60), "full_weeks": _range(rng, 0, 52)},
            "confidence": "medium",
            "sources": [source],
        }
        therapies.append(Therapy.model_validate(data))
    payers = []
    kinds = [k for k in PayerKind if k is not PayerKind.SELF_PAY]
    for j in range(payer_count):
        rules = []
        for t in rng.sample(therapies, k=min(len(therapies), max(1, therapy_count // 20))):
            rule: dict[str, Any] = {
                "therapy": t.id,
                "status": rng.choice(list(CoverageStatus)).value,
                "policy": f"POL-{rng.randint(100, 999)}",
            }
            if rng.random() < 0.3:
                rule["allowed"] = _range(rng, 10, 20000)
            rules.append(rule)
        deductible = Decimal(rng.randint(0, 3000))
        payers.append(
            Payer.model_validate(
                {
                    "id": f"payer-{j:02d}",
                    "name": f"Synthetic plan {j}",
                    "kind": rng.choice(kinds).value,
                    "deductible": deductible,
                    "coinsurance": Decimal(rng.choice(["0.1", "0.2", "0.3"])),
                    "oop_max": deductible + rng.randint(1000, 8000),
                    "as_of": AS_OF,
                    "sources": [{**source, "supports": ["plan"]}],
                    "coverage": rules,
                }
            )
        )
    return conditions, therapies, payers


def write(folder: Path, therapy_count: int, payer_count: int = 50, seed: int = 1) -> Path:
    conditions, therapies, payers = build(therapy_count, payer_count, seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "therapies.toml").write_text(therapies_toml(conditions, therapies), encoding="utf-8")
    (folder / "payers.toml").write_text(payers_toml(payers), encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--therapies", type=int, default=1000)
    parser.add_argument("--payers", type=int, default=50)
    args = parser.parse_args()
    print(write(args.out, args.therapies, args.payers))
