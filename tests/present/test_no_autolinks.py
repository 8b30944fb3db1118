"""Data text never becomes a link in a Markdown or HTML handout, whatever renders it.

A summary holding a bare URL, a `www.` name, a bare domain and an e-mail address is exported;
the Markdown is rendered with link detection on (markdown-it's GFM-like preset with linkify,
as a viewer with autolinks would) and the only links in either format are the sources' own,
while the text still reads exactly as written.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from helpers import SMALL_THERAPIES, make_data
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import build_rows
from regen_compare.present import export
from regen_compare.present.export.html import html_text
from regen_compare.present.export.markdown import md_text

TODAY = date(2026, 11, 22)
HOSTILE = (
    "Book at https://clinic-offers.com/deal or www.clinic-offers.com, clinic-offers.com, "
    "write to sales@clinic-offers.com or //clinic-offers.com/x"
)
ORIGINAL = "Your own blood, spun to concentrate platelets, injected into the joint."
FINDING = "In the largest trial, PRP helped no more than salt-water injections."
SOURCE_URL = "https://example.org/prp"


def _linkify() -> MarkdownIt:
    return MarkdownIt("gfm-like", {"linkify": True})


def _hrefs(rendered: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', rendered)


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "ftp://files.example.com/a and mailto:me@example.com",
        "e.g. see Example.COM.",
    ],
)
def test_markdown_text_has_no_autolinks_and_reads_the_same(text: str) -> None:
    rendered = _linkify().render(md_text(text))
    assert _hrefs(rendered) == []
    assert html.unescape(re.sub(r"</?p>", "", rendered)).strip() == text
    # Without the escaping the same text *would* become links: the test can fail.
    assert _hrefs(_linkify().render(text)) != []


def test_html_text_has_no_single_run_address_and_reads_the_same() -> None:
    out = html_text(HOSTILE)
    assert html.unescape(out.replace("<wbr>", "")) == HOSTILE
    for address in ("https://", "www.clinic", "clinic-offers.com", "sales@"):
        assert address not in out


@pytest.fixture
def hostile_catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    assert ORIGINAL in SMALL_THERAPIES and FINDING in SMALL_THERAPIES
    therapies = SMALL_THERAPIES.replace(ORIGINAL, HOSTILE).replace(FINDING, HOSTILE)
    data = make_data(tmp_path / "data", therapies=therapies)
    return load_catalog(data, today=TODAY).catalog


@pytest.mark.parametrize("detailed", [False, True])
def test_markdown_handout_links_only_its_sources(hostile_catalog, detailed: bool) -> None:  # type: ignore[no-untyped-def]
    profile = Profile(condition="knee-osteoarthritis", payer="medicare")
    rows = [r for r in build_rows(hostile_catalog, profile) if r.id == "prp-injection"]
    text = export.render_handout(
        "md", rows, profile, hostile_catalog, today=TODAY, detailed=detailed
    )
    rendered = _linkify().render(text)
    assert "clinic-offers" in rendered
    assert [h for h in _hrefs(rendered) if "clinic-offers" in h] == []
    plain = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert HOSTILE in plain


@pytest.mark.parametrize("detailed", [False, True])
def test_html_handout_links_only_its_sources(hostile_catalog, detailed: bool) -> None:  # type: ignore[no-untyped-def]
    profile = Profile(condition="knee-osteoarthritis", payer="medicare")
    rows = [r for r in build_rows(hostile_catalog, profile) if r.id == "prp-injection"]
    page = export.render_handout(
        "html", rows, profile, hostile_catalog, today=TODAY, detailed=detailed
    )
    assert [h for h in _hrefs(page) if "clinic-offers" in h] == []
    assert HOSTILE in html.unescape(page.replace("<wbr>", ""))
    assert "clinic-offers.com" not in page.replace(HOSTILE, "")  # never one run of text
    assert SOURCE_URL in page  # the source URL keeps its rendering
