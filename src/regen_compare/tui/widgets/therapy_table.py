"""A line-API table of therapies: paints only the visible lines, so 10,000 rows stay fast.

DataTable measures every cell of every row and parses `str` cells as markup; this table takes
precomputed, display-safe `DisplayRow`s and draws plain segments.

Layout: the mark and name columns stay put; the other columns are shown whole or not at all,
each under its own header, as many as fit from the first one in view; `←`/`→` move that window
a column at a time, and the header's right end says how many columns are off screen
(`→ 3 more`). The name column is at least as wide as the widest short name (the data's
`short_name`, at most 24 characters) and never narrower than `NAME_MIN`; room the columns
leave goes to the name, and a row shows its full name when it fits, else its short name, else
as many whole words as fit.
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
NAME_MIN = 20
"""The narrowest the name column gets (at 80 columns, 20 characters of a name stay readable)."""
NAME_SHORT_MAX = 24
"""The name column never has to be wider than this to show every short name."""


def _fit(text: str, width: int, right: bool = False) -> str:
    """`text` padded to exactly `width` cells; too long, it is cut after its last whole word
    that fits, with an ellipsis (a word is never split: the detail pane shows it whole)."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        out = ""
        for word in text.split(" "):
            candidate = f"{out} {word}" if out else word
            if cell_len(candidate) > width - 1:
                break
            out = candidate
        if not out:  # one word longer than the column: nothing whole fits
            out = text[: max(0, width - 1)]
            while cell_len(out) > width - 1:
                out = out[:-1]
        return out + "…" + " " * (width - 1 - cell_len(out))
    pad = " " * (width - length)
    return pad + text if right else text + pad


def _name(row: DisplayRow, width: int) -> str:
    """The row's name in `width` cells: the full name if it fits, else the short name."""
    full = row.cells[0]
    return _fit(full if cell_len(full) <= width else row.short, width)


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
        self._first = 1
        """The first column after the name in view (`←`/`→` move it)."""
        self._shown: list[int] = []
        """The columns after the name shown now, whole, in order."""
        self._empty_text = "No therapies match."
        self._last_highlight: str | bool | None = False
        self.rows_painted = False
        """A row of the current data has been rendered (tests wait for it)."""
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
        natural = list(widths) if widths is not None else measure(columns, rows)
        self._natural = natural[: len(columns)]
        self._short_width = natural[len(columns)] if len(natural) > len(columns) else 0
        self.rows_painted = False
        self._layout()
        index = next((i for i, r in enumerate(self._rows) if r.id == current), None)
        if index is None:
            index = min(self.cursor, max(0, len(self._rows) - 1))
        self.cursor = index
        self.refresh()

    @property
    def data(self) -> TableData:
        """What the table shows now, as one value (tests compare it)."""
        return TableData(
            tuple(self._columns),
            tuple(self._rows),
            self._marks,
            self._sort_key,
            self._descending,
            self._empty_text,
            (*self._natural, self._short_width),
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
        room = width - MARK_WIDTH - 1
        natural = self._natural
        count = len(self._columns)
        self._first = max(1, min(self._first, count - 1)) if count > 1 else 1
        floor = min(natural[0], max(NAME_MIN, min(self._short_width, NAME_SHORT_MAX)))
        floor = max(1, min(floor, room))
        shown: list[int] = []
        used = floor
        for index in range(self._first, count):
            marker = len(self._marker_for(index + 1, count)) + 1 if index + 1 < count else 0
            if used + 1 + natural[index] + marker > room:
                break
            shown.append(index)
            used += 1 + natural[index]
        name = min(natural[0], floor + room - used - self._marker_room(shown, count))
        widths = [max(floor, name), *natural[1:]]
        if widths != self._widths or shown != self._shown:
            self._painted.clear()
            self._widths, self._shown = widths, shown
        self.virtual_size = Size(width, len(self._rows) + 1)

    def _marker_for(self, end: int, count: int) -> str:
        """What the header's right end says of the columns off screen."""
        left, right = self._first - 1, count - end
        parts = ([f"← {left} more"] if left else []) + ([f"→ {right} more"] if right else [])
        return " · ".join(parts)

    def _marker_room(self, shown: list[int], count: int) -> int:
        """Room the header's marker takes when columns are off screen."""
        end = (shown[-1] + 1) if shown else self._first
        marker = self._marker_for(end, count)
        return len(marker) + 1 if marker else 0

    @property
    def off_screen(self) -> str:
        """What the header's right end says now (`→ 3 more`), or nothing."""
        end = (self._shown[-1] + 1) if self._shown else self._first
        return self._marker_for(end, len(self._columns))

    @property
    def hidden_columns(self) -> int:
        """How many columns after the name are off screen now."""
        return max(0, len(self._columns) - 1 - len(self._shown))

    def on_resize(self, event: events.Resize) -> None:
        self._painted.clear()
        self._layout()
        self.refresh()

    def notify_style_update(self) -> None:
        """The theme or the focus changed: every line is painted anew."""
        super().notify_style_update()
        self._painted.clear()
        self._styles.clear()

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

    def _header(self) -> Strip:
        header = self._style("header")
        sorted_style = header + self._style("sorted")
        segments = [Segment(" " * (MARK_WIDTH + 1), header)]
        for i in (0, *self._shown):
            column = self._columns[i]
            style = sorted_style if column.key == self._sort_key else header
            if i:
                segments.append(Segment(" ", header))
            segments.append(Segment(_fit(self._title(i), self._widths[i], column.right), style))
        width = self.scrollable_content_region.width or self.size.width
        marker = self.off_screen
        strip = Strip(segments)
        if marker:
            gap = max(1, width - strip.cell_length - len(marker))
            strip = Strip([*segments, Segment(" " * gap, header), Segment(marker, header)])
        return strip.extend_cell_length(width, header)

    def _row(self, index: int) -> Strip:
        row = self._rows[index]
        marked = row.id in self._marks
        segments = [
            Segment(MARK_ON if marked else MARK_OFF),
            Segment(" "),
            Segment(_name(row, self._widths[0]), self._style("marked") if marked else None),
        ]
        for i in self._shown:
            tone = row.tones[i]
            segments.append(Segment(" "))
            segments.append(
                Segment(
                    _fit(row.cells[i], self._widths[i], self._columns[i].right),
                    self._style(tone) if tone else None,
                )
            )
        strip = Strip(segments)
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

    def action_column(self, step: int) -> None:
        """Move the columns in view one whole column sideways (the name stays put)."""
        count = len(self._columns)
        if step > 0 and not self.hidden_columns:
            return
        before = self._first
        self._first = max(1, min(self._first + step, count - 1))
        if self._first != before:
            self._layout()
            self.refresh()

    def action_mark(self) -> None:
        current = self.cursor_id
        if current is not None:
            self.post_message(self.MarkRequested(current))

    def _column_at(self, x: int) -> int | None:
        if x < MARK_WIDTH + 1:
            return None
        edge = MARK_WIDTH + 1 + self._widths[0]
        if x < edge:
            return 0
        for i in self._shown:
            edge += 1 + self._widths[i]
            if x < edge:
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
