"""Any mutation of a valid file either loads or raises the one error type naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import SMALL_PAYERS, SMALL_THERAPIES, make_data
from regen_compare.data.load import load_catalog
from regen_compare.model.problems import DataError

LINES = {
    "therapies.toml": SMALL_THERAPIES.splitlines(True),
    "payers.toml": SMALL_PAYERS.splitlines(True),
}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(LINES)))
    lines = list(LINES[name])
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "replace", "insert_chars"]))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "replace":
            lines[i] = draw(st.text(max_size=40)) + "\n"
        else:
            pos = draw(st.integers(0, len(lines[i])))
            chars = draw(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=5))
            lines[i] = lines[i][:pos] + chars + lines[i][pos:]
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = bytearray(data)
        for _ in range(draw(st.integers(1, 3))):
            if raw:
                raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
        data = bytes(raw)
    return name, data


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutations_load_or_fail_cleanly(case: tuple[str, bytes]) -> None:
    name, data = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_data(Path(tmp), **{name.split(".")[0]: data})
        try:
            load_catalog(folder)
        except DataError as exc:
            assert exc.errors, "a DataError always carries at least one error"
            for problem in exc.errors:
                assert problem.file in (str(folder / "therapies.toml"), str(folder / "payers.toml"))
                assert "\x1b" not in str(problem)
