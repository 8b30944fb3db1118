"""One vocabulary: every face (the app's table, detail pane and side-by-side, the handouts,
the command line's tables and the data report) says an evidence grade, a coverage status and
a recovery measure with the same words, the ones `model/vocabulary.py` holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import build_rows
from regen_compare.model import vocabulary as labels
from regen_compare.model.entities import Evidence
from regen_compare.present import maintenance
from regen_compare.present.comparison import comparison
from regen_compare.present.export import render_handout
from regen_compare.present.report import print_compare, print_list
from regen_compare.tui.detail_text import detail_text
from regen_compare.tui.display import columns, display_row

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)
PROFILE = Profile(condition="knee-osteoarthritis", payer="employer-ppo-typical", years=5)
SHOWN = ("prp-injection", "bmac-injection", "total-knee-replacement")

OTHER_WORDS = (
    "✗ investigational",
    "✗ experimental",
    "insufficient",
    "other cond.",
    "Full recovery",
    "full effect/recovery",
    "Back to daily activity",
)
"""Words the faces used before one vocabulary held them."""


@pytest.fixture(scope="module")
def faces() -> dict[str, str]:
    catalog = load_catalog(REPO / "data", today=TODAY).catalog
    rows = {r.id: r for r in build_rows(catalog, PROFILE)}
    shown = [rows[t] for t in SHOWN]
    assert shown[1].evidence is Evidence.INSUFFICIENT  # BMAC: "too little"
    assert shown[0].cost.status is not None and shown[0].cost.status.value == "investigational"
    console = Console(width=200, record=True, color_system=None)
    print_list(console, shown, len(rows), PROFILE, catalog)
    print_compare(console, shown, PROFILE, catalog)
    cli = console.export_text()
    table = " | ".join(
        " ".join(display_row(r, True, PROFILE).cells)
        + " "
        + " ".join(c.title for c in columns(PROFILE))
        for r in shown
    )
    side = "\n".join(
        f"{line.label} {' '.join(c.text for c in line.cells)}"
        for line in comparison(shown, PROFILE)
    )
    detail = "\n".join(detail_text(r, catalog, PROFILE).plain for r in shown)
    handouts = {
        f"handout {fmt} {level}": render_handout(
            fmt, shown, PROFILE, catalog, today=TODAY, detailed=level == "detailed"
        )
        for fmt in ("md", "html")
        for level in ("patient", "detailed")
    }
    report = maintenance.render_report(maintenance.build_report(catalog), "table")
    return {
        "table": table,
        "side-by-side": side,
        "detail": detail,
        "cli": cli,
        "report": report,
        **handouts,
    }


def test_every_face_uses_the_vocabulary_words(faces: dict[str, str]) -> None:
    for face, text in faces.items():
        for word in OTHER_WORDS:
            assert word not in text, (face, word)
    for face in ("table", "side-by-side", "detail", "cli", "handout md detailed"):
        assert labels.EVIDENCE[Evidence.INSUFFICIENT] in faces[face], face
        assert labels.STATUS["investigational"] in faces[face], face
    for face in ("side-by-side", "detail"):
        assert labels.DOWNTIME in faces[face] and labels.FULL_EFFECT in faces[face], face
    assert labels.STATUS_SYMBOL["investigational"] in faces["report"]
    assert labels.STATUS["investigational"] in faces["report"]  # its legend
