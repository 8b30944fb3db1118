"""The core never imports Textual, and tests never see the developer's environment.

Core = every module of the package outside `tui/` and `serve.py` (and `__main__`, which runs
the command line when imported). They are imported one after another in one fresh interpreter,
which names the first after whose import a `textual` module is in `sys.modules`: adding
`import textual` to any core module turns the test red and names it (no core module may import
Textual, so one interpreter answers for all of them).
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import regen_compare

PROBE = textwrap.dedent(
    """
    import importlib, sys
    for name in sys.argv[1:]:
        importlib.import_module(name)
        loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        if loaded:
            print(name + ": " + ",".join(loaded))
            break
    """
)


def core_modules() -> list[str]:
    names = [
        info.name
        for info in pkgutil.walk_packages(regen_compare.__path__, "regen_compare.")
        if not info.name.startswith("regen_compare.tui")
        and info.name not in ("regen_compare.web.serve", "regen_compare.__main__")
    ]
    return ["regen_compare", *sorted(names)]


CORE = core_modules()


def _first_to_import_textual(modules: list[str], extra_path: str | None = None) -> str:
    """`module: textual,…` for the first of `modules` after whose import Textual is loaded,
    or an empty string."""
    env = dict(os.environ)
    if extra_path is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (extra_path, env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *modules],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_core_list_is_complete() -> None:
    for expected in (
        "regen_compare.data.load",
        "regen_compare.cli.main",
        "regen_compare.store.cache",
        "regen_compare.store.atomic",
        "regen_compare.data.gcpause",
        "regen_compare.scenarios",
        "regen_compare.present.export.content",
        "regen_compare.model.entities",
    ):
        assert expected in CORE
    assert not [m for m in CORE if ".tui" in m or m.endswith(".serve")]


def test_no_core_module_imports_textual() -> None:
    assert _first_to_import_textual(CORE) == ""


def test_the_probe_names_the_module_that_imports_textual(tmp_path: Path) -> None:
    """The probe itself: a module importing Textual at its top is caught and named."""
    (tmp_path / "leaky_core.py").write_text("import textual.widgets\n")
    found = _first_to_import_textual(["regen_compare.model.entities", "leaky_core"], str(tmp_path))
    name, _, loaded = found.partition(": ")
    assert name == "leaky_core" and "textual" in loaded.split(",")


def test_no_regen_compare_variable_reaches_a_test() -> None:
    assert [n for n in os.environ if n.startswith("REGEN_COMPARE_")] == []


async def test_the_tui_starts_and_shows_its_rows() -> None:
    """A plain TUI start on the small data: with `REGEN_COMPARE_BENCH_FIRST_FRAME` set the app
    would exit after its first frame, and with `REGEN_COMPARE_DATA` it would load elsewhere."""
    from datetime import date

    from regen_compare.engine.costs import Profile
    from regen_compare.engine.query import Filters
    from regen_compare.tui.app import make_app
    from regen_compare.tui.widgets.therapy_table import TherapyTable

    small = Path(__file__).parent / "fixtures" / "small"
    app = make_app(
        small,
        Profile(),
        Filters(),
        theme="textual-dark",
        watch_files=False,
        today=date(2026, 11, 22),
        cursor_blink=False,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.catalog is not None and app.data_dir == small
        assert len(app.query_one(TherapyTable).row_ids) == len(app.catalog.therapies)


@pytest.mark.slow  # a child pytest run (~3 s): `.ci/run` runs it with the slow set
def test_tui_tests_pass_with_hostile_variables_set() -> None:
    """Run a real TUI test in a child pytest with variables set that would break it (the
    benchmark hook exits the app after its first frame; a data folder that does not exist):
    the autouse fixture must clear them."""
    repo = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "REGEN_COMPARE_BENCH_FIRST_FRAME": str(repo / "never-written.jsonl"),
        "REGEN_COMPARE_DATA": "/nonexistent/regen-compare-data",
        "REGEN_COMPARE_NO_CACHE": "1",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "tests/test_boundary.py::test_no_regen_compare_variable_reaches_a_test",
            "tests/test_boundary.py::test_the_tui_starts_and_shows_its_rows",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
    assert not (repo / "never-written.jsonl").exists()
