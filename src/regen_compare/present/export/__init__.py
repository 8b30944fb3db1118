"""Handouts: what a patient takes home from a consult, as HTML, Markdown, CSV, JSON or TOML.

One handout covers one profile (condition, plan and supplement, amounts already met, horizon,
units set in the consult) and the therapies picked for it, in the order given. HTML and
Markdown come in two levels: the patient's handout (`patient.py`: a summary page in plain
words leading with what trials found, then harms, risks and ethics, then the main sources)
and the full-detail handout for the counselor (`content.py`: the side-by-side, every figure
worked out year by year, the chances and harms with their sources, every assumption's
reason, coverage rules, questions and every source with its dates). Neither shows a fit or a
★ "best fit" until the patient has said what matters (`weights` None: "not asked yet").

How each format is made safe and stable:

* Every handout is a pure function of its inputs: `today` is passed in, nothing reads a clock,
  so the same inputs give the same bytes (the golden tests rely on it).
* Markdown and HTML are rendered from one small document model (`Block`s holding *plain*
  strings), so both show the same content and only the renderers add markup. Every data string
  goes through `display_safe` first (no control, bidi or invisible characters reach a reader),
  then is escaped for the target: Markdown punctuation is backslash-escaped (`formats.md_cell`
  plus `&`, `~`, `#` and line-start list/heading markers), HTML text is `html.escape`d. URLs are
  shown as text (Markdown code spans, plain HTML text) in the full-detail handout; the
  patient's handout links each source by its full title (HTML prints its address after it),
  and no other text ever becomes a link (reliability notes D4). The HTML stands alone: inline
  `<style>` with `@media print` (later pages start on a new sheet), no scripts, no external
  assets (the picture of 100 people is inline SVG), and a Content-Security-Policy that forbids
  anything else.
* CSV: one row per therapy with the key figures, and the profile repeated in leading columns
  (`generated, condition, condition_name, payer, payer_name, deductible_met, oop_met, years`)
  so that every row stands on its own in a spreadsheet; the columns added after version 1
  (the benefit and assumption figures) follow the disclaimer, so positions never move.
  Every cell is `display_safe`d and passed through `formats.csv_cell`, so a cell a spreadsheet
  would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'` (OWASP CSV injection).
* JSON: `{"format", "version", "generated", "data_as_of", "disclaimer", "profile"
  (formats.profile_to_dict and `supplement`), "weights_asked", "condition", "payer",
  "comparison", "therapies"}`, each therapy being `formats.row_to_dict` plus its details
  (summary, risks, warnings, coverage rule, year-by-year breakdown, sources, questions) and
  the figures of `structured.new_figures` (short name, units, assumptions, what the price
  leaves out, benefit, harms). Keys are a contract: added, never renamed. Numbers are numbers
  (money via `money.json_number`); text is written losslessly with `ensure_ascii=True`, so no
  raw control character is in the file.
* TOML: the same structure written with tomli-w, with every `None` dropped (TOML has no null).
  tomli-w escapes C0 controls but writes C1, bidi and zero-width characters raw, so any
  non-printable character left in its output is rewritten as a TOML `\\uXXXX` escape: lossless
  (it reads back as the same string) and safe to print.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Weights
from regen_compare.engine.query import Row
from regen_compare.model.catalog import Catalog
from regen_compare.model.text import quote
from regen_compare.present.export.content import build_document, document_title, questions
from regen_compare.present.export.document import title_of
from regen_compare.present.export.html import html_text, render_html
from regen_compare.present.export.markdown import md_text, render_markdown
from regen_compare.present.export.patient import build_patient_document
from regen_compare.present.export.structured import drop_none, handout_dict, render_toml
from regen_compare.present.export.tabular import HANDOUT_CSV_COLUMNS, render_csv
from regen_compare.store import atomic

__all__ = [
    "HANDOUT_CSV_COLUMNS",
    "HANDOUT_FORMATS",
    "drop_none",
    "format_from_path",
    "handout_dict",
    "html_text",
    "md_text",
    "questions",
    "render_handout",
    "write_handout",
]

HANDOUT_FORMATS: tuple[str, ...] = ("md", "html", "csv", "json", "toml")

_SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".toml": "toml",
}


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The handout format a file name asks for, from its suffix (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    fmt = _SUFFIXES.get(suffix)
    if fmt is None:
        endings = ", ".join(_SUFFIXES)
        raise ValueError(
            f"cannot tell the handout format from {quote(os.fspath(path))}: "
            f"use a file name ending in {endings}"
        )
    return fmt


def render_handout(
    fmt: str,
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    *,
    today: date,
    detailed: bool = False,
    weights: Weights | None = None,
) -> str:
    """The handout for `rows` (in the order given) under `profile`, as text in `fmt`.

    Markdown and HTML come in two levels: the patient's handout (default: a summary page in
    plain words, then more about each option, then the sources behind the summary) and
    `detailed` (every figure worked out, the year-by-year tables, each source with its dates).
    `weights`: what matters to the patient, or None when they have not been asked: then no
    fit and no ★ "best fit" is shown, and the handout says "not asked yet" where it would be."""
    if fmt in ("md", "html"):
        doc = (
            build_document(rows, profile, catalog, today, weights)
            if detailed
            else build_patient_document(rows, profile, catalog, today, weights)
        )
        if fmt == "md":
            return render_markdown(doc)
        # The page's title is the document's own heading (the two handouts differ).
        return render_html(doc, title_of(doc) or document_title(profile, catalog))
    if fmt == "csv":
        return render_csv(rows, profile, catalog, today)
    if fmt == "json":
        data = handout_dict(rows, profile, catalog, today=today, weights=weights)
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    if fmt == "toml":
        return render_toml(handout_dict(rows, profile, catalog, today=today, weights=weights))
    raise ValueError(
        f"unknown handout format {quote(fmt)}: choose one of {', '.join(HANDOUT_FORMATS)}"
    )


def write_handout(
    path: str | os.PathLike[str],
    fmt: str,
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    *,
    today: date,
    force: bool,
    detailed: bool = False,
    weights: Weights | None = None,
) -> Path:
    """Render and write a handout atomically; without `force` an existing file is an error.

    Raises `atomic.WriteError` when the file cannot be written (the old file is untouched) and
    `ValueError` for an unknown format (before anything is written).
    """
    text = render_handout(
        fmt, rows, profile, catalog, today=today, detailed=detailed, weights=weights
    )
    return atomic.write_atomic(path, text, overwrite=force)
