"""Hostile text for the terminal-safety tests, put into a loaded catalog *after* validation.

Validation rejects control characters in data files, so a data set cannot carry these; the
tests inject them into the loaded models (`model_copy`) to prove the display layer stops
them on its own (defence in depth, reliability notes §4).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from regen_compare.data.load import LoadResult, load_catalog
from regen_compare.model.catalog import Catalog

OSC52 = "\x1b]52;c;UFdORUQ=\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J\x1b[H"
CSI8 = "\x9b31m"
DCS = "\x1bPpwned-dcs\x1b\\"
APC = "\x1b_pwned-apc\x1b\\"
RLO = "\u202e"
ESCAPES = OSC52 + OSC8 + TITLE + CLEAR + CSI8 + DCS + APC + RLO

MARKUP_NAME = "Knee [/] therapy"
CLICK_NAME = "[@click=app.quit]q[/]"
LINK_NAME = "[link=file:///etc/passwd]x[/link]"

FORBIDDEN_BYTES = [
    b"\x1b]52;c;",
    b"\x1b]0;PWNED",
    b"\x1b]8;;https://evil",
    b"\x1bPpwned",
    b"\x1b_pwned",
    b"\x9b31m",
    b"\xc2\x9b",
    "\u202e".encode(),
    b"\x1b[2J\x1b[H",
]
"""Raw sequences that must never reach the terminal (their escaped text may)."""


def hostile(catalog: Catalog) -> Catalog:
    """The catalog with escape sequences and markup in names, summaries, notes and rules."""
    therapies = dict(catalog.therapies)
    ids = list(therapies)
    specials = {
        ids[0]: MARKUP_NAME,
        ids[1]: CLICK_NAME + " " + LINK_NAME,
        ids[2]: "Steroid " + OSC52 + TITLE + " shot",
    }
    for n, tid in enumerate(ids):
        t = therapies[tid]
        therapies[tid] = t.model_copy(
            update={
                "name": specials.get(tid, t.name + " " + CSI8 + RLO + str(n)),
                "summary": "Summary " + ESCAPES + " [bold]not bold[/bold] " + CLICK_NAME,
                "notes": "Notes " + OSC8 + DCS + APC + " " + LINK_NAME,
                "risks": ("Risk " + CLEAR + TITLE,),
                "warnings": ("Warning " + OSC52,),
            }
        )
    payers = {
        pid: p.model_copy(
            update={
                "name": p.name + " " + TITLE + CSI8,
                "coverage": tuple(
                    r.model_copy(update={"notes": "Rule " + OSC52 + DCS, "policy": "P " + RLO})
                    for r in p.coverage
                ),
            }
        )
        for pid, p in catalog.payers.items()
    }
    conditions = {
        cid: c.model_copy(update={"name": c.name + " " + OSC8 + APC})
        for cid, c in catalog.conditions.items()
    }
    return Catalog.build(
        list(conditions.values()), list(therapies.values()), list(payers.values()), catalog.files
    )


def hostile_result(data_dir: Path, today: date) -> LoadResult:
    result = load_catalog(data_dir, today=today)
    return LoadResult(hostile(result.catalog), result.warnings)
