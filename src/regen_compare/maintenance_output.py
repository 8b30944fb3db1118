"""Text, Markdown and JSON renderings of the maintainer report and the data diff."""

from __future__ import annotations

import io
import json
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from regen_compare.formats import md_table
from regen_compare.maintenance import STATUS_LEGEND, STATUS_SYMBOL, Change, Report, report_to_dict
from regen_compare.report import make_console
from regen_compare.safe_text import display_safe


def _matrix_rows(report: Report) -> list[list[str]]:
    rows = []
    for tid in report.therapies:
        cells = [STATUS_SYMBOL[report.matrix[tid][pid]] for pid in report.payers]
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
        STATUS_LEGEND,
        "payers: " + ", ".join(f"{n + 1}={pid}" for n, pid in enumerate(report.payers)),
    ]
    return lines


def render_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report_to_dict(report), indent=2, ensure_ascii=True) + "\n"
    header = ["therapy", *(str(n + 1) for n in range(len(report.payers)))]
    oldest = [
        [s.owner, s.title, s.published or "—", s.accessed.isoformat()]
        for s in report.oldest_sources
    ]
    if fmt == "markdown":
        parts = ["# Data report\n", *(f"{line}  \n" for line in _summary_lines(report)), "\n"]
        parts += ["## Coverage matrix\n\n", md_table(header, _matrix_rows(report)), "\n"]
        parts += [
            "## Oldest sources\n\n",
            md_table(["cited by", "title", "published", "accessed"], oldest),
            "\n",
        ]
        parts += ["## Low-confidence figures\n\n"]
        parts += [
            md_table(["entity", "note"], [list(x) for x in report.low_confidence])
            if report.low_confidence
            else "none\n"
        ]
        parts += ["\n## Therapies with no coverage rule anywhere\n\n"]
        parts += ["".join(f"- {display_safe(t)}\n" for t in report.no_rules) or "none\n"]
        return "".join(parts)
    buffer = io.StringIO()
    console = make_console(buffer)
    matrix = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    for column in header:
        matrix.add_column(column, no_wrap=True)
    for cells in _matrix_rows(report):
        matrix.add_row(*(Text(display_safe(c)) for c in cells))
    console.print(Text("Coverage matrix", style="bold"))
    console.print(matrix)
    for line in _summary_lines(report):
        console.print(Text(display_safe(line)))
    console.print()
    console.print(Text("Oldest sources", style="bold"))
    for owner, title, published, accessed in oldest:
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
    if fmt == "markdown":
        return md_table(header, body) + "\n≠ differs between the two scenarios\n"
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
    console.print(Text("≠ differs between the two scenarios"))
    return buffer.getvalue()
