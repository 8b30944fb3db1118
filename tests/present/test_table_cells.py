"""The table's cell measures."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from regen_compare.present.table_cells import cell_width


@given(st.text(alphabet=st.sampled_from("ab1 $,.–—≈~…★●◐○▲▼←→·×é中😀\u0301"), max_size=30))
def test_cell_width_is_rich_s_cell_len(text: str) -> None:
    """The shortcut for the cells' own marks never disagrees with Rich (wide characters,
    combining marks and emoji take the slow path)."""
    assert cell_width(text) == cell_len(text)
