"""Generated valid data sets round-trip through the TOML writer; mutated ones fail cleanly."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regen_compare.data.load import load_catalog
from regen_compare.data.writing import payers_toml, therapies_toml
from regen_compare.model.problems import DataError
from strategies import TODAY, datasets

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _write(folder: Path, therapies: str | bytes, payers: str | bytes) -> Path:
    for name, text in (("therapies.toml", therapies), ("payers.toml", payers)):
        (folder / name).write_bytes(text.encode() if isinstance(text, str) else text)
    return folder


@SETTINGS
@given(datasets())
def test_valid_data_round_trips(data: Any) -> None:
    conditions, therapies, payers = data
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), therapies_toml(conditions, therapies), payers_toml(payers))
        catalog = load_catalog(folder, today=TODAY).catalog
    assert list(catalog.conditions.values()) == conditions
    assert list(catalog.therapies.values()) == therapies
    assert list(catalog.payers.values()) == payers


def _mutate(document: dict[str, Any], draw: st.DrawFn) -> None:
    """Rename a key or give a value the wrong type, somewhere in the document."""
    node: Any = document
    for _ in range(draw(st.integers(0, 4))):
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        containers = [(k, v) for k, v in children if isinstance(v, dict | list) and v]
        if not containers:
            break
        _, node = draw(st.sampled_from(containers))
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if not keys:
        return
    key = draw(st.sampled_from(keys))
    how = draw(st.sampled_from(["rename", "string", "number", "bool", "list", "chars"]))
    if how == "rename" and isinstance(node, dict):
        node[str(key) + draw(st.sampled_from(["s", "_", "x"]))] = node.pop(key)
    elif how == "string":
        node[key] = str(node[key])
    elif how == "number":
        node[key] = draw(st.integers(-5, 10**6) | st.floats(allow_nan=True))
    elif how == "bool":
        node[key] = True
    elif how == "list":
        node[key] = [node[key]]
    else:
        node[key] = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=8))


@SETTINGS
@given(datasets(), st.data())
def test_mutated_data_loads_or_fails_with_located_errors(data: Any, draw: st.DataObject) -> None:
    conditions, therapies, payers = data
    files = {
        "therapies.toml": therapies_toml(conditions, therapies),
        "payers.toml": payers_toml(payers),
    }
    target = draw.draw(st.sampled_from(sorted(files)))
    document = tomllib.loads(files[target])
    _mutate(document, draw.draw)
    try:
        files[target] = tomli_w.dumps(document)
    except (TypeError, ValueError):
        return  # not expressible in TOML (e.g. a NaN key); nothing to load
    if draw.draw(st.booleans()):  # and sometimes swap two lines as well
        text_lines = files[target].splitlines(True)
        i = draw.draw(st.integers(0, len(text_lines) - 1))
        j = draw.draw(st.integers(0, len(text_lines) - 1))
        text_lines[i], text_lines[j] = text_lines[j], text_lines[i]
        files[target] = "".join(text_lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = _write(Path(tmp), files["therapies.toml"], files["payers.toml"])
        try:
            load_catalog(folder, today=TODAY)
        except DataError as exc:
            assert exc.errors
            for problem in exc.errors:
                assert problem.file in (str(folder / "therapies.toml"), str(folder / "payers.toml"))
