"""The app under random keys: every screen and dialog (the side by side and its chart, saved
scenarios, the save and export dialogs, help, the palette, the new-patient question, the
filters) gets random key sequences at 80×24 and 120×40, and no key raises.

Each case tours the screens and dialogs in a random order (each opened by its own keys),
pressing random keys on each, none of them quit. One tour of all of them at 80×24 by default;
`pytest -m slow` a short one at 120×40 and 25 longer tours per size."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tui_helpers import SMALL, build_app, loaded

from regen_compare import scenarios
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters

KEYS = [
    *"abcdefghijklmnopqrstuvwxyz0123456789/",
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end", "enter", "escape",
    "tab", "shift+tab", "space", "backspace", "delete", "ctrl+p", "ctrl+s", "ctrl+n",
    "ctrl+o", "ctrl+e", "f1",
]  # fmt: skip
OPENERS = {
    "main": [],
    "compare": ["space", "down", "space", "c"],
    "chart": ["space", "down", "space", "c", "g"],
    "usual care": ["u", "c"],
    "scenarios": ["o"],
    "compare scenarios": ["o", "space", "down", "space", "c"],
    "save": ["ctrl+s"],
    "export": ["space", "e"],
    "help": ["f1"],
    "palette": ["ctrl+p"],
    "palette paging": ["ctrl+p", "a", "pageup", "pagedown"],
    "new patient": ["ctrl+n"],
    "filters": ["f"],
    "search": ["/", "k", "n"],
}
SIZES = [(80, 24), (120, 40)]


async def _press_all(size: tuple[int, int], keys: list[str]) -> None:
    app = build_app(SMALL, Profile(condition="knee-osteoarthritis", payer="medicare"))
    async with app.run_test(size=size) as pilot:  # re-raises what ended the app
        await loaded(pilot)
        for key in keys:
            await pilot.press(key)
            assert app.is_running, f"the app ended after {key!r}"
        await pilot.pause()
    assert app.return_code in (None, 0), app.return_code


def _case(
    tmp: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], keys: list[str]
) -> None:
    monkeypatch.setenv("HOME", str(tmp))  # an export lands in this test's documents folder
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp / "Documents"))
    if not scenarios.list_names():
        for name, profile in (
            ("Mrs A", Profile(payer="medicare", region="FL")),  # no regions data here
            ("Mr B", Profile(payer="ppo")),
        ):
            scenarios.save(scenarios.Scenario(name, profile, Filters(), ("prp-injection",)))
    asyncio.run(_press_all(size, keys))


ESCAPES = ["escape", "escape"]


@st.composite
def tours(draw: st.DrawFn, stops: int, keys_per_stop: int) -> list[str]:
    """Keys that open `stops` screens or dialogs in a random order, press random keys on
    each, then go back (escape) towards the main screen."""
    order = draw(st.permutations(sorted(OPENERS)))[:stops]
    keys: list[str] = []
    for opener in order:
        keys += [*OPENERS[opener], *draw(st.lists(st.sampled_from(KEYS), max_size=keys_per_stop))]
        keys += ESCAPES
    return keys


COMMON = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(COMMON, max_examples=1)
@given(keys=tours(stops=len(OPENERS), keys_per_stop=1))
def test_random_keys_on_every_screen_raise_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> None:
    """One tour of every screen and dialog at 80×24 (~6 s)."""
    _case(tmp_path, monkeypatch, (80, 24), keys)


@pytest.mark.slow  # the default run tours every screen once at 80×24 (above)
@settings(COMMON, max_examples=1)
@given(keys=tours(stops=3, keys_per_stop=3))
def test_random_keys_on_some_screens_raise_nothing_at_120x40(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keys: list[str]
) -> None:
    _case(tmp_path, monkeypatch, (120, 40), keys)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@settings(COMMON, max_examples=25)
@given(keys=tours(stops=5, keys_per_stop=40))
def test_random_keys_on_every_screen_raise_nothing_at_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], keys: list[str]
) -> None:
    _case(tmp_path, monkeypatch, size, keys)
