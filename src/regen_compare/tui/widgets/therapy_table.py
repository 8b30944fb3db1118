"""A line-API table of therapies: paints only the visible lines, so 10,000 rows stay fast.

DataTable measures every cell of every row and parses `str` cells as markup; this table takes
precomputed, display-safe `DisplayRow`s and draws plain segments. The mark and name columns
stay put while the other columns scroll sideways, so the name is always next to its figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from regen_compare.present.table_cells import Column, DisplayRow, TableData, measure
from regen_compare.tui import keys

MARK_ON = "[✓]"
MARK_OFF = "[ ]"
MARK_WIDTH = 3
ASCENDING = "▲"
DESCENDING = "▼"
PAINTED_MAX = 500
"""Painted rows kept (a screen holds at most a few dozen)."""
NAME_MIN = 16
"""The name column gives way down to this width before any other column leaves the screen:
more columns in view beat a longer name (the detail pane shows it whole)."""


def _fit(text: str, width: int, right: bool = False) -> str:
    """`text` padded or cut (with an ellipsis) to exactly `width` cells."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        return out + "…" + " " * (width - 1 - cell_len(out))
    pad = " " * (width - length)
    return pad + text if right else text + pad


class TherapyTable(ScrollView, can_focus=True):
    """The therapy list. Posts messages; the screen decides what they mean."""

    DEFAULT_CSS = """
    TherapyTable {
        background: $surface;
    }
    TherapyTable > .therapy-table--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }
    TherapyTable > .therapy-table--sorted {
        text-style: bold underline;
    }
    TherapyTable > .therapy-table--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    TherapyTable:focus > .therapy-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    TherapyTable > .therapy-table--marked {
        text-style: bold;
    }
    TherapyTable > .therapy-table--good { color: $text-success; }
    TherapyTable > .therapy-table--bad { color: $text-error; }
    TherapyTable > .therapy-table--unknown { color: $text-warning; }
    TherapyTable > .therapy-table--dim { color: $text-muted; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "therapy-table--header",
        "therapy-table--sorted",
        "therapy-table--cursor",
        "therapy-table--marked",
        "therapy-table--good",
        "therapy-table--bad",
        "therapy-table--unknown",
        "therapy-table--dim",
    }

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.TABLE)

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        """The cursor moved to another therapy (or to none)."""

        def __init__(self, row_id: str | None) -> None:
            super().__init__()
            self.row_id = row_id

    class MarkRequested(Message):
        def __init__(self, row_id: str) -> None:
            super().__init__()
            self.row_id = row_id

    class SortRequested(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._columns: list[Column] = []
        self._rows: list[DisplayRow] = []
        self._marks: frozenset[str] = frozenset()
        self._sort_key = "name"
        self._descending = False
        self._widths: list[int] = []
        self._natural: list[int] = []
        self._empty_text = "No therapies match."
        self._last_highlight: str | bool | None = False
        self.rows_painted = False
        """A row of the current data has been rendered (the benchmark hook waits for it)."""
        self._painted: dict[tuple[DisplayRow, bool, int], Strip] = {}
        """Painted rows by (row, marked, cursor: 0 no, 1 blurred, 2 focused), so a row that
        stays on screen after a keystroke is not painted again. Emptied whenever anything
        else a line depends on changes: columns, widths, size, sideways scroll, styles."""
        self._styles: dict[str, Style] = {}
        """The widget's and its parts' styles, looked up once per change of styles (the
        widget's own style walks all its ancestors: a third of painting a line)."""

    # --- data -------------------------------------------------------------------------------

    def set_data(
        self,
        columns: Sequence[Column],
        rows: Sequence[DisplayRow],
        *,
        marks: frozenset[str],
        sort_key: str,
        descending: bool,
        empty_text: str = "No therapies match.",
        widths: Sequence[int] | None = None,
    ) -> None:
        """Replace what is shown, keeping the cursor on the same therapy when it is still there.

        `widths`: the columns' natural widths when the caller has measured them already
        (over all rows, once per pricing); else they are measured from `rows`.
        """
        current = self.cursor_id
        if list(columns) != self._columns:
            self._painted.clear()
        self._columns = list(columns)
        self._rows = list(rows)
        self._marks = marks
        self._sort_key = sort_key
        self._descending = descending
        self._empty_text = empty_text
        self._natural = list(widths) if widths is not None else measure(columns, rows)
        self.rows_painted = False
        self._layout()
        index = next((i for i, r in enumerate(self._rows) if r.id == current), None)
        if index is None:
            index = min(self.cursor, max(0, len(self._rows) - 1))
        self.cursor = index
        self.refresh()

    @property
    def data(self) -> TableData:
        """What the table shows now (the remembered first frame records it)."""
        return TableData(
            tuple(self._columns),
            tuple(self._rows),
            self._marks,
            self._sort_key,
            self._descending,
            self._empty_text,
            tuple(self._natural),
        )

    def set_marks(self, marks: frozenset[str]) -> None:
        self._marks = marks
        self.refresh()

    @property
    def row_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    @property
    def rows_shown(self) -> int:
        """How many data rows fit on screen now (the header line aside)."""
        return max(0, min(len(self._rows), self.scrollable_content_region.height - 1))

    @property
    def cursor_id(self) -> str | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor].id
        return None

    def move_to(self, row_id: str) -> bool:
        for i, row in enumerate(self._rows):
            if row.id == row_id:
                self.cursor = i
                return True
        return False

    def line_text(self, y: int) -> str:
        """The plain text of one visible line (for tests and screen readers of the future)."""
        return self.render_line(y).text

    # --- layout -----------------------------------------------------------------------------

    def _title(self, index: int) -> str:
        column = self._columns[index]
        first_with_key = next(i for i, c in enumerate(self._columns) if c.key == column.key)
        if column.key != self._sort_key or index != first_with_key:
            return column.title
        return column.title + (DESCENDING if self._descending else ASCENDING)

    def _layout(self) -> None:
        if not self._columns:
            self.virtual_size = Size(0, 0)
            return
        width = self.scrollable_content_region.width or self.size.width
        natural = self._natural
        rest = sum(w + 1 for w in natural[1:])
        room = width - MARK_WIDTH - 1 - rest
        # The name takes what the other columns leave, down to NAME_MIN; only then do
        # columns scroll sideways. The last column (the cash cost, also in the detail pane)
        # gives way first.
        core_room = room + natural[-1] + 1 if len(natural) > 2 else room
        if room >= natural[0]:
            name = natural[0]
        else:
            name = max(min(NAME_MIN, natural[0]), min(natural[0], core_room))
        widths = [name, *natural[1:]]
        if widths != self._widths:
            self._painted.clear()
            self._widths = widths
        self.virtual_size = Size(MARK_WIDTH + 1 + name + rest, len(self._rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._painted.clear()
        self._layout()
        self.refresh()

    def watch_scroll_x(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_x(old_value, new_value)
        if round(old_value) != round(new_value):
            self._painted.clear()

    def notify_style_update(self) -> None:
        """The theme or the focus changed: every line is painted anew."""
        super().notify_style_update()
        self._painted.clear()
        self._styles.clear()

    @property
    def _fixed_width(self) -> int:
        return MARK_WIDTH + 1 + (self._widths[0] if self._widths else 0)

    # --- painting ---------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "base":
                style = self.rich_style
            else:
                style = self.get_component_rich_style(f"therapy-table--{name}", partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self._style("base")
        if not self._columns:
            return Strip.blank(width, base)
        if y == 0:
            strip = self._header()
        else:
            index = int(self.scroll_offset.y) + y - 1
            if 0 <= index < len(self._rows):
                self.rows_painted = True
                return self._painted_row(index, width, base)
            elif index == 0 and not self._rows:
                text = _fit("    " + self._empty_text, width)
                strip = Strip([Segment(text, self._style("dim"))])
            else:
                strip = Strip.blank(width)
        return strip.extend_cell_length(width).crop(0, width).apply_style(base)

    def _painted_row(self, index: int, width: int, base: Style) -> Strip:
        row = self._rows[index]
        cursor = (1 + self.has_focus) if index == self.cursor else 0
        key = (row, row.id in self._marks, cursor)
        strip = self._painted.get(key)
        if strip is None:
            if len(self._painted) > PAINTED_MAX:
                self._painted.clear()
            strip = self._row(index).extend_cell_length(width).crop(0, width).apply_style(base)
            self._painted[key] = strip
        return strip

    def _join(self, fixed: list[Segment], rest: list[Segment]) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        start = int(self.scroll_offset.x)
        visible = max(0, width - self._fixed_width)
        rest_strip = Strip(rest).crop(start, start + visible)
        return Strip.join([Strip(fixed), rest_strip])

    def _header(self) -> Strip:
        header = self._style("header")
        sorted_style = header + self._style("sorted")
        fixed = [Segment(" " * (MARK_WIDTH + 1), header)]
        rest: list[Segment] = []
        for i, column in enumerate(self._columns):
            style = sorted_style if column.key == self._sort_key else header
            text = _fit(self._title(i), self._widths[i], column.right)
            if i == 0:
                fixed.append(Segment(text, style))
            else:
                rest.append(Segment(" ", header))
                rest.append(Segment(text, style))
        strip = self._join(fixed, rest)
        width = self.scrollable_content_region.width or self.size.width
        return strip.extend_cell_length(width, header)

    def _row(self, index: int) -> Strip:
        row = self._rows[index]
        marked = row.id in self._marks
        fixed = [
            Segment(MARK_ON if marked else MARK_OFF),
            Segment(" "),
            Segment(
                _fit(row.cells[0], self._widths[0]),
                self._style("marked") if marked else None,
            ),
        ]
        rest: list[Segment] = []
        for i in range(1, len(self._columns)):
            tone = row.tones[i]
            rest.append(Segment(" "))
            rest.append(
                Segment(
                    _fit(row.cells[i], self._widths[i], self._columns[i].right),
                    self._style(tone) if tone else None,
                )
            )
        strip = self._join(fixed, rest)
        if index == self.cursor:
            width = self.scrollable_content_region.width or self.size.width
            cursor = self._style("cursor")
            strip = strip.extend_cell_length(width).apply_style(cursor)
        return strip

    # --- cursor and keys --------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, value: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        current = self.cursor_id
        if current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.Highlighted(current))

    def _scroll_to_cursor(self) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 2)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def _column_edges(self) -> list[int]:
        """Where each scrolling column starts, in scroll offsets (the first is 0)."""
        edges, edge = [], 0
        for width in self._widths[1:]:
            edges.append(edge)
            edge += 1 + width
        return edges

    def action_column(self, step: int) -> None:
        """Scroll sideways one whole column at a time (not one character)."""
        edges = self._column_edges()
        if not edges:
            return
        x = int(self.scroll_offset.x)
        if step > 0:
            target = next((e for e in edges if e > x), x)
            target = min(target, int(self.max_scroll_x))
        else:
            target = max((e for e in edges if e < x), default=0)
        self.scroll_to(x=target, animate=False)

    def action_mark(self) -> None:
        current = self.cursor_id
        if current is not None:
            self.post_message(self.MarkRequested(current))

    def _column_at(self, x: int) -> int | None:
        if x < MARK_WIDTH + 1:
            return None
        if x < self._fixed_width:
            return 0
        offset = x - self._fixed_width + int(self.scroll_offset.x)
        edge = 0
        for i in range(1, len(self._columns)):
            edge += 1 + self._widths[i]
            if offset < edge:
                return i
        return None

    def on_click(self, event: events.Click) -> None:
        """Header click sorts; a click on `[ ]` marks; any other click moves the cursor."""
        self.focus()
        if event.y == 0:
            column = self._column_at(event.x)
            if column is not None:
                self.post_message(self.SortRequested(self._columns[column].key))
            return
        index = int(self.scroll_offset.y) + event.y - 1
        if 0 <= index < len(self._rows):
            self.cursor = index
            if event.x < MARK_WIDTH:
                self.post_message(self.MarkRequested(self._rows[index].id))
