"""What a data maintainer asks of the data: where coverage is unknown, which figures are
oldest or least certain, and what a change to the files does.

Pure functions over catalogs; `cli.commands` prints them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Confidence, Source
from regen_compare.model.text import display_safe
from regen_compare.model.types import published_from
from regen_compare.present.formats import md_cell, md_table
from regen_compare.present.report import make_console
from regen_compare.present.side_by_side import mark_hints


@dataclass(frozen=True)
class SourceAge:
    owner: str
    """Where the source is cited: `therapy[prp-injection]`, `payer[x].coverage[y]`."""
    title: str
    accessed: date
    published: str | None


@dataclass(frozen=True)
class PayerFreshness:
    """How much of one payer's column is ruled, and how recent its rules' sources are."""

    payer: str
    ruled: int
    """Therapies with a coverage rule under this payer (the rest show `?`)."""
    varies: int
    """Rules that say plans of this kind decide differently (shown as a span)."""
    sources: int
    """Sources cited by its rules (one cited by two rules counts twice)."""
    dated: int
    """Of those, the ones that give a publication date (only they can say how old a rule is)."""
    newest_published: str | None
    """The latest publication date among the rules' sources (`YYYY`, `YYYY-MM` or a day);
    None when no source of its rules gives one."""
    months_old: int | None
    """Whole months from the start of that date to the report's day."""


@dataclass(frozen=True)
class BenefitCoverage:
    """How much of one condition's options state a chance of benefit (issue: "not known" is
    a valid answer; the report shows where it is the answer)."""

    condition: str
    options: int
    """Therapies listed for the condition."""
    counted: int
    """Those whose benefit entry gives how many in 100 were helped."""
    finding_only: int
    """Those with a benefit entry that says what trials found but gives no count."""
    none: tuple[str, ...]
    """Therapy ids with no benefit entry for the condition (shown as "not known")."""


@dataclass
class Report:
    payers: list[str]
    therapies: list[str]
    matrix: dict[str, dict[str, str]]
    """therapy id → payer id → status (`unknown` where no rule exists)."""
    unknown_cells: int
    oldest_sources: list[SourceAge]
    low_confidence: list[tuple[str, str]]
    """(entity, note) for every figure marked low confidence."""
    no_rules: list[str]
    """Therapies with no coverage rule under any payer (self-pay aside)."""
    counts: dict[str, int] = field(default_factory=dict)
    unknown_by_payer: dict[str, int] = field(default_factory=dict)
    """payer id → how many therapies have no rule under it (what a patient sees as `?`)."""
    varies: set[tuple[str, str]] = field(default_factory=set)
    """(therapy id, payer id) of each rule marked `varies`: the matrix marks them † (≈ is
    the typical figure everywhere else)."""
    by_payer: list[PayerFreshness] = field(default_factory=list)
    benefit: list[BenefitCoverage] = field(default_factory=list)
    harms: int = 0
    """Therapies that state at least one harm with its frequency."""


def _published_key(source: SourceAge) -> tuple[str, date]:
    # Sources without a publication date sort by when they were read.
    return (source.published or source.accessed.isoformat(), source.accessed)


def _months_between(earlier: date, later: date) -> int:
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


def _freshness(catalog: Catalog, pid: str, ruled: int, today: date) -> PayerFreshness:
    rules = catalog.payers[pid].coverage
    cited = [s for rule in rules for s in rule.sources]
    dated = [s.published for s in cited if s.published]
    # A year or month alone counts from its first day: "2026" is not newer than "2026-04".
    newest = max(dated, key=published_from, default=None)
    return PayerFreshness(
        payer=pid,
        ruled=ruled,
        sources=len(cited),
        dated=len(dated),
        varies=sum(rule.varies is not None for rule in rules),
        newest_published=newest,
        months_old=None if newest is None else _months_between(published_from(newest), today),
    )


def _benefit_coverage(catalog: Catalog) -> list[BenefitCoverage]:
    out = []
    for cid in catalog.conditions:
        listed = [t for t in catalog.therapies.values() if cid in t.conditions]
        found = {t.id: t.benefit_for(cid) for t in listed}
        out.append(
            BenefitCoverage(
                condition=cid,
                options=len(listed),
                counted=sum(b is not None and b.with_therapy is not None for b in found.values()),
                finding_only=sum(b is not None and b.with_therapy is None for b in found.values()),
                none=tuple(tid for tid, b in found.items() if b is None),
            )
        )
    return out


def build_report(catalog: Catalog, oldest: int = 10, today: date | None = None) -> Report:
    """The report of `catalog` as of `today` (the sources' ages are counted to it)."""
    today = today or date.today()
    payers = [p.id for p in catalog.payers.values() if p.kind.value != "self_pay"]
    matrix: dict[str, dict[str, str]] = {}
    unknown = 0
    unknown_by_payer = dict.fromkeys(payers, 0)
    varies: set[tuple[str, str]] = set()
    no_rules = []
    for tid in catalog.therapies:
        row = {}
        for pid in payers:
            rule = catalog.coverage(pid, tid)
            row[pid] = rule.status.value if rule is not None else "unknown"
            unknown += rule is None
            unknown_by_payer[pid] += rule is None
            if rule is not None and rule.varies is not None:
                varies.add((tid, pid))
        matrix[tid] = row
        if all(v == "unknown" for v in row.values()):
            no_rules.append(tid)

    ages: list[SourceAge] = []

    def add(owner: str, sources: tuple[Source, ...]) -> None:
        ages.extend(SourceAge(owner, s.title, s.accessed, s.published) for s in sources)

    low: list[tuple[str, str]] = []
    for t in catalog.therapies.values():
        add(f"therapy[{t.id}]", t.sources)
        if t.confidence is Confidence.LOW:
            low.append((f"therapy[{t.id}]", t.notes or ""))
    for p in catalog.payers.values():
        add(f"payer[{p.id}]", p.sources)
        if p.confidence is Confidence.LOW:
            low.append((f"payer[{p.id}]", p.notes or ""))
        for rule in p.coverage:
            add(f"payer[{p.id}].coverage[{rule.therapy}]", rule.sources)
            if rule.confidence is Confidence.LOW:
                low.append((f"payer[{p.id}].coverage[{rule.therapy}]", rule.notes or ""))
    ages.sort(key=_published_key)
    return Report(
        payers=payers,
        therapies=list(catalog.therapies),
        matrix=matrix,
        unknown_cells=unknown,
        oldest_sources=ages[:oldest],
        low_confidence=low,
        no_rules=no_rules,
        unknown_by_payer=unknown_by_payer,
        varies=varies,
        benefit=_benefit_coverage(catalog),
        harms=sum(bool(t.harms) for t in catalog.therapies.values()),
        by_payer=[
            _freshness(catalog, pid, len(catalog.therapies) - unknown_by_payer[pid], today)
            for pid in payers
        ],
        counts={
            "therapies": len(catalog.therapies),
            "payers": len(catalog.payers),
            "coverage_rules": catalog.coverage_rule_count,
            "cells": len(payers) * len(catalog.therapies),
        },
    )


def report_to_dict(report: Report) -> dict[str, Any]:
    return {
        "counts": {**report.counts, "unknown_cells": report.unknown_cells},
        "unknown_by_payer": report.unknown_by_payer,
        "by_payer": {
            f.payer: {
                "ruled": f.ruled,
                "varies": f.varies,
                "sources": f.sources,
                "dated_sources": f.dated,
                "newest_source_published": f.newest_published,
                "newest_source_months_old": f.months_old,
            }
            for f in report.by_payer
        },
        "benefit_by_condition": {
            b.condition: {
                "options": b.options,
                "counted": b.counted,
                "finding_only": b.finding_only,
                "not_known": list(b.none),
            }
            for b in report.benefit
        },
        "therapies_with_harms": report.harms,
        "matrix": report.matrix,
        "varies": [
            {"therapy": tid, "payer": pid}
            for tid in report.therapies
            for pid in report.payers
            if (tid, pid) in report.varies
        ],
        "oldest_sources": [
            {
                "owner": s.owner,
                "title": s.title,
                "accessed": s.accessed.isoformat(),
                "published": s.published,
            }
            for s in report.oldest_sources
        ],
        "low_confidence": [{"owner": o, "note": n} for o, n in report.low_confidence],
        "therapies_without_rules": report.no_rules,
    }


# --- diff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str
    """`added`, `removed` or `changed`."""
    where: str
    old: str | None = None
    new: str | None = None

    def __str__(self) -> str:
        if self.kind == "changed":
            return f"~ {self.where}: {self.old} → {self.new}"
        sign = "+" if self.kind == "added" else "-"
        return f"{sign} {self.where}"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        normal = value.normalize()
        return int(normal) if normal == normal.to_integral_value() else float(normal)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "value"):  # enums
        return value.value
    return value


def _flatten(prefix: str, value: Any, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}.{key}", inner, out)
    else:
        out[prefix] = value


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return str(value)


def _compare_entities(
    label: str, old: dict[str, Any], new: dict[str, Any], skip: frozenset[str] = frozenset()
) -> list[Change]:
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            changes.append(Change("removed", f"{label}[{key}]"))
        elif key not in old:
            changes.append(Change("added", f"{label}[{key}]"))
        else:
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            _flatten(
                f"{label}[{key}]", {k: v for k, v in old[key].items() if k not in skip}, before
            )
            _flatten(f"{label}[{key}]", {k: v for k, v in new[key].items() if k not in skip}, after)
            for path in sorted(set(before) | set(after)):
                if before.get(path) != after.get(path):
                    changes.append(
                        Change("changed", path, _show(before.get(path)), _show(after.get(path)))
                    )
    return changes


def diff_catalogs(old: Catalog, new: Catalog) -> list[Change]:
    """Every added, removed and changed entity and figure, old → new, in a stable order."""

    def dump(models: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
        return {k: _plain(m.model_dump(**kw)) for k, m in models.items()}

    changes = _compare_entities("condition", dump(old.conditions), dump(new.conditions))
    changes += _compare_entities("therapy", dump(old.therapies), dump(new.therapies))
    changes += _compare_entities(
        "payer", dump(old.payers, exclude={"coverage"}), dump(new.payers, exclude={"coverage"})
    )
    for pid in sorted(set(old.payers) & set(new.payers)):
        before = {r.therapy: _plain(r.model_dump()) for r in old.payers[pid].coverage}
        after = {r.therapy: _plain(r.model_dump()) for r in new.payers[pid].coverage}
        changes += _compare_entities(f"payer[{pid}].coverage", before, after)
    return changes


# --- renderings: text, Markdown and JSON -------------------------------------------------


def _matrix_rows(report: Report) -> list[list[str]]:
    rows = []
    for tid in report.therapies:
        cells = [
            labels.STATUS_SYMBOL[report.matrix[tid][pid]]
            + ("†" if (tid, pid) in report.varies else "")
            for pid in report.payers
        ]
        rows.append([tid, *cells])
    return rows


def _summary_lines(report: Report) -> list[str]:
    c = report.counts
    lines = [
        f"{c['therapies']} therapies × {len(report.payers)} payers (self-pay aside): "
        f"{c['cells']} cells, {c['coverage_rules']} coverage rules, "
        f"{report.unknown_cells} unknown",
        "unknown per payer: "
        + ", ".join(f"{pid} {report.unknown_by_payer.get(pid, 0)}" for pid in report.payers),
        labels.STATUS_LEGEND + " (no rule) · † plans of this kind decide "
        "differently (varies: shown as a span)",
        "payers: " + ", ".join(f"{n + 1}={pid}" for n, pid in enumerate(report.payers)),
    ]
    return lines


def _freshness_rows(report: Report) -> list[list[str]]:
    rows = []
    for f in report.by_payer:
        if f.newest_published is None:
            newest = "no dated source"
        else:
            newest = f"{f.newest_published}: {f.months_old} months old"
        rows.append(
            [
                f.payer,
                f"{f.ruled}/{len(report.therapies)}",
                str(f.varies),
                f"{f.dated}/{f.sources}",
                newest,
            ]
        )
    return rows


def _benefit_rows(report: Report) -> list[list[str]]:
    return [
        [b.condition, str(b.options), str(b.counted), str(b.finding_only), str(len(b.none))]
        for b in report.benefit
    ]


BENEFIT_HEADER = ["condition", "options", "counted", "finding only", "not known"]
"""Per condition: its options, those whose chance of benefit is counted (how many in 100),
those with a finding but no count, and those with nothing (shown as "not known")."""


FRESHNESS_HEADER = ["payer", "ruled", "varies", "dated", "newest source"]
"""`ruled`: therapies with a rule, of all; `dated`: sources of the rules that give a
publication date, of all they cite; `newest source`: the latest of those dates, and its age in
whole months (counted from the start of a year or month given alone)."""


def render_report(report: Report, fmt: str) -> str:
    """The report as `json`, `markdown` or a terminal's text."""
    if fmt == "json":
        return json.dumps(report_to_dict(report), indent=2, ensure_ascii=True) + "\n"
    if fmt == "markdown":
        return _report_markdown(report)
    return _report_text(report)


def _matrix_header(report: Report) -> list[str]:
    return ["therapy", *(str(n + 1) for n in range(len(report.payers)))]


def _oldest_rows(report: Report) -> list[list[str]]:
    return [
        [s.owner, s.title, s.published or "—", s.accessed.isoformat()]
        for s in report.oldest_sources
    ]


def _not_known_lines(report: Report) -> list[str]:
    """Per condition, the options whose chance of benefit is not known (a line each)."""
    return [f"{b.condition}: {', '.join(b.none)}" for b in report.benefit if b.none]


def _harms_line(report: Report) -> str:
    return f"{report.harms} of {len(report.therapies)} therapies state a harm with its frequency"


def _report_markdown(report: Report) -> str:
    parts = ["# Data report\n", *(f"{line}  \n" for line in _summary_lines(report)), "\n"]
    parts += ["## Coverage matrix\n\n", md_table(_matrix_header(report), _matrix_rows(report))]
    parts += ["\n## Coverage per payer\n\n", md_table(FRESHNESS_HEADER, _freshness_rows(report))]
    parts += [
        "\n## Chance of benefit per condition\n\n",
        md_table(BENEFIT_HEADER, _benefit_rows(report)),
        "\nNot known:\n\n",
        "".join(f"- {display_safe(line)}\n" for line in _not_known_lines(report)) or "none\n",
        f"\n{_harms_line(report)}.\n\n",
    ]
    parts += [
        "## Oldest sources\n\n",
        md_table(["cited by", "title", "published", "accessed"], _oldest_rows(report)),
        "\n## Low-confidence figures\n\n",
    ]
    parts += [
        md_table(["entity", "note"], [list(x) for x in report.low_confidence])
        if report.low_confidence
        else "none\n"
    ]
    parts += ["\n## Therapies with no coverage rule anywhere\n\n"]
    parts += ["".join(f"- {display_safe(t)}\n" for t in report.no_rules) or "none\n"]
    return "".join(parts)


def _text_table(header: Sequence[str], rows: list[list[str]], *, wrap_last: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    for n, column in enumerate(header):
        table.add_column(column, no_wrap=not (wrap_last and n == len(header) - 1))
    for cells in rows:
        table.add_row(*(Text(display_safe(c)) for c in cells))
    return table


def _report_text(report: Report) -> str:
    buffer = io.StringIO()
    console = make_console(buffer)
    console.print(Text("Coverage matrix", style="bold"))
    console.print(_text_table(_matrix_header(report), _matrix_rows(report)))
    for line in _summary_lines(report):
        console.print(Text(display_safe(line)))
    console.print()
    console.print(Text("Coverage per payer", style="bold"))
    console.print(_text_table(FRESHNESS_HEADER, _freshness_rows(report), wrap_last=True))
    console.print()
    console.print(Text("Chance of benefit per condition", style="bold"))
    console.print(_text_table(BENEFIT_HEADER, _benefit_rows(report)))
    for line in _not_known_lines(report):
        console.print(Text(display_safe(f"  not known for {line}")))
    console.print(Text(_harms_line(report)))
    console.print()
    console.print(Text("Oldest sources", style="bold"))
    for owner, title, published, accessed in _oldest_rows(report):
        console.print(
            Text(display_safe(f"  {owner}: {title} (published {published}, accessed {accessed})"))
        )
    console.print()
    console.print(Text("Low-confidence figures", style="bold"))
    for owner, note in report.low_confidence or [("none", "")]:
        console.print(Text(display_safe(f"  {owner}" + (f": {note}" if note else ""), limit=200)))
    console.print()
    console.print(Text("Therapies with no coverage rule anywhere", style="bold"))
    for tid in report.no_rules or ["none"]:
        console.print(Text(f"  {display_safe(tid)}"))
    return buffer.getvalue()


def render_diff(changes: list[Change], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                [{"kind": c.kind, "where": c.where, "old": c.old, "new": c.new} for c in changes],
                indent=2,
                ensure_ascii=True,
            )
            + "\n"
        )
    if not changes:
        return "no differences\n"
    counts = {k: sum(c.kind == k for c in changes) for k in ("added", "removed", "changed")}
    lines = [display_safe(str(c)) for c in changes]
    lines.append(
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
    )
    return "\n".join(lines) + "\n"


def render_side_by_side(lines: list[Any], left: str, right: str, fmt: str) -> str:
    """Two scenarios side by side; a ≠ marks every line that differs."""
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "therapy": x.therapy,
                        "label": x.label,
                        "a": x.left,
                        "b": x.right,
                        "differs": x.differs,
                    }
                    for x in lines
                ],
                indent=2,
                ensure_ascii=True,
            )
            + "\n"
        )
    header = ["", "", left, right, ""]
    body = [[x.therapy, x.label, x.left, x.right, "≠" if x.differs else ""] for x in lines]
    legend = ["≠ differs between the two scenarios", *mark_hints(lines)]
    if fmt == "markdown":
        return md_table(header, body) + "".join(f"\n{md_cell(x)}\n" for x in legend)
    buffer = io.StringIO()
    console = make_console(buffer)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    for column in header:
        table.add_column(Text(display_safe(column)), overflow="fold")
    previous = None
    for cells in body:
        therapy = cells[0] if cells[0] != previous else ""
        previous = cells[0]
        style = "bold" if cells[4] else ""
        table.add_row(*(Text(display_safe(c), style=style) for c in [therapy, *cells[1:]]))
    console.print(table)
    for line in legend:
        console.print(Text(line))
    return buffer.getvalue()
