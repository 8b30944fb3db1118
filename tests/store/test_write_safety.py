"""No write follows a link or lands on anything but a regular file, on every write path.

Each write path (handout export from the command line and from the TUI, scenario save and
rename, `schema --out`, the cache) is pointed at a destination holding one hazard:

* a symbolic link to a file *outside* the folder (that file must never change);
* a dangling link (nothing may be created where it points);
* a FIFO (the write must be refused at once, not hang, and the FIFO left alone);
* a folder (refused as "is a folder", never "already exists (use --force)" first).

Without force a link is refused with a clear message; with force (where the path has one)
the link itself is replaced by a regular file and its target is untouched. A FIFO or folder
is refused even with force. A SIGALRM guard turns any hang into a failure.
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import run_cli
from regen_compare import scenarios
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.scenarios import Scenario, ScenarioError
from regen_compare.store import atomic, cache
from regen_compare.store.atomic import WriteError

TODAY = date(2026, 11, 22)
SECRET = "a file outside the folder that must never change\n"
HAZARDS = ["link-outside", "dangling-link", "fifo", "folder"]
REFUSAL = {
    "link-outside": "symbolic link",
    "dangling-link": "symbolic link",
    "fifo": "FIFO",
    "folder": "is a folder",
}


@pytest.fixture(autouse=True)
def _no_hang() -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("a write hung (a FIFO opened for writing?)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Hazard:
    kind: str
    path: Path
    outside: Path
    before: dict[str, Any] = field(default_factory=dict)

    def check_untouched(self, *, replaced: bool = False) -> None:
        """The hazard's own things are as they were; `replaced`: the link itself became a
        regular file (force)."""
        if self.kind == "link-outside":
            assert self.outside.read_text() == SECRET
            assert stat.S_IMODE(os.stat(self.outside).st_mode) == 0o640
            assert os.path.islink(self.path) is not replaced
        elif self.kind == "dangling-link":
            assert not os.path.lexists(self.outside)
            assert os.path.islink(self.path) is not replaced
        elif self.kind == "fifo":
            assert stat.S_ISFIFO(os.lstat(self.path).st_mode)
        else:
            assert self.path.is_dir() and (self.path / "inside.txt").read_text() == "x"
        if replaced:
            assert stat.S_ISREG(os.lstat(self.path).st_mode)


def plant(kind: str, path: Path, tmp_path: Path) -> Hazard:
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir(exist_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link-outside":
        outside = outside_dir / "precious.txt"
        outside.write_text(SECRET)
        os.chmod(outside, 0o640)
        path.symlink_to(outside)
    elif kind == "dangling-link":
        outside = outside_dir / "not-there.txt"
        path.symlink_to(outside)
    elif kind == "fifo":
        outside = outside_dir
        os.mkfifo(path)
    else:
        outside = outside_dir
        path.mkdir()
        (path / "inside.txt").write_text("x")
    return Hazard(kind, path, outside)


def _no_temp_files_left(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(atomic.TEMP_SUFFIX)]


# --- the routine itself -------------------------------------------------------------------


@pytest.mark.parametrize("kind", HAZARDS)
def test_write_atomic_refuses_without_force(tmp_path: Path, kind: str) -> None:
    hazard = plant(kind, tmp_path / "out" / "handout.md", tmp_path)
    with pytest.raises(WriteError, match=REFUSAL[kind]) as raised:
        atomic.write_atomic(hazard.path, "new", overwrite=False)
    assert "already exists" not in str(raised.value)
    hazard.check_untouched()
    _no_temp_files_left(hazard.path.parent)


@pytest.mark.parametrize("kind", HAZARDS)
def test_write_atomic_with_force_replaces_only_a_link_itself(tmp_path: Path, kind: str) -> None:
    hazard = plant(kind, tmp_path / "out" / "handout.md", tmp_path)
    if kind in ("fifo", "folder"):
        with pytest.raises(WriteError, match=REFUSAL[kind]):
            atomic.write_atomic(hazard.path, "new", overwrite=True)
        hazard.check_untouched()
    else:
        atomic.write_atomic(hazard.path, "new", overwrite=True)
        hazard.check_untouched(replaced=True)
        assert hazard.path.read_text() == "new"
    _no_temp_files_left(hazard.path.parent)


@pytest.mark.parametrize("kind", ["link-outside", "dangling-link", "fifo", "folder"])
def test_a_hazard_swapped_in_before_the_switch_is_refused(
    tmp_path: Path, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is examined again right before `os.replace`: a hazard planted while the
    temp file was being written is refused like one that was there from the start."""
    target = tmp_path / "out" / "handout.md"
    target.parent.mkdir()
    real_fchmod = os.fchmod
    planted: list[Hazard] = []

    def plant_then_fchmod(fd: int, mode: int) -> None:
        if not planted:
            planted.append(plant(kind, target, tmp_path))
        real_fchmod(fd, mode)

    monkeypatch.setattr(os, "fchmod", plant_then_fchmod)
    with pytest.raises(WriteError, match=REFUSAL[kind]):
        atomic.write_atomic(target, "new", overwrite=False)
    monkeypatch.undo()
    planted[0].check_untouched()
    _no_temp_files_left(target.parent)


def test_a_planted_temp_name_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temp file is created with O_EXCL | O_NOFOLLOW: a link planted at the temp name
    makes that name unusable (another is drawn), never a write through the link."""
    folder = tmp_path / "out"
    folder.mkdir()
    outside = tmp_path / "precious.txt"
    outside.write_text(SECRET)
    # The named temp file is the fallback where O_TMPFILE is missing: take that path, and
    # draw the planted name first.
    monkeypatch.setattr(atomic, "_O_TMPFILE", 0)
    names = iter([f".handout.md.aaaa{atomic.TEMP_SUFFIX}", f".handout.md.bbbb{atomic.TEMP_SUFFIX}"])
    drawn: list[str] = []

    def draw(name: str) -> str:
        drawn.append(next(names))
        return drawn[-1]

    monkeypatch.setattr(atomic, "_temp_name", draw)
    (folder / f".handout.md.aaaa{atomic.TEMP_SUFFIX}").symlink_to(outside)
    atomic.write_atomic(folder / "handout.md", "new")
    assert outside.read_text() == SECRET
    assert (folder / "handout.md").read_text() == "new"
    assert len(drawn) == 2  # the planted name was drawn, refused, and another taken


# --- handout export from the command line -------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("kind", HAZARDS)
def test_cli_export(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_data: Path,
    kind: str,
    force: bool,
) -> None:
    hazard = plant(kind, tmp_path / "out" / "handout.html", tmp_path)
    args = ["export", "prp-injection", "--to", str(hazard.path), "--data-dir", str(small_data)]
    code, _, err = run_cli(capsys, *args, *(["--force"] if force else []))
    if force and kind in ("link-outside", "dangling-link"):
        assert code == 0, err
        hazard.check_untouched(replaced=True)
        # The format comes from the path as given (.html), not from the link's target (.txt).
        assert hazard.path.read_text().lstrip().lower().startswith("<!doctype html")
    else:
        assert code == 1
        assert REFUSAL[kind] in err and "already exists" not in err
        assert "Traceback" not in err
        hazard.check_untouched()
    _no_temp_files_left(hazard.path.parent)


def test_cli_export_judges_the_format_by_the_name_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    """A link named .md pointing at an .html file: refused without --force; with it, the
    link becomes a Markdown file and the .html target is untouched."""
    target = tmp_path / "page.html"
    target.write_text("<p>keep</p>")
    link = tmp_path / "handout.md"
    link.symlink_to(target)
    args = ["export", "prp-injection", "--to", str(link), "--data-dir", str(small_data)]
    assert run_cli(capsys, *args)[0] == 1
    assert run_cli(capsys, *args, "--force")[0] == 0
    assert target.read_text() == "<p>keep</p>"
    assert link.read_text().startswith("# ")


# --- handout export from the TUI ----------------------------------------------------------


class FakeApp:
    """Just what `tui.handout` uses of the app's services: the screens it pushes and the
    toasts it shows are recorded. The consult holds the marked therapy."""

    is_web = False

    def __init__(self, small_data: Path) -> None:
        from regen_compare.consult import Consult, Session

        self.catalog = load_catalog(small_data, today=TODAY).catalog
        self.consult = Consult(Session(Profile(payer="medicare"), marks=("prp-injection",)))
        self.consult.load(self.catalog)
        self.notes: list[tuple[str, str]] = []
        self.screens: list[tuple[Any, Callable[[Any], None] | None]] = []

    def notify(self, message: str, *, severity: str = "information", **kw: Any) -> None:
        self.notes.append((message, severity))

    def push_screen(self, screen: Any, callback: Callable[[Any], None] | None = None) -> None:
        self.screens.append((screen, callback))


def _tui_export(app: FakeApp, path: Path, confirm: bool) -> None:
    from regen_compare.tui.flows import handout
    from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportChoice

    handout.Handout(app.consult, app, TODAY).start_export()  # type: ignore[arg-type]
    _, chosen = app.screens[-1]
    assert chosen is not None
    chosen(ExportChoice(path, "md"))
    screen, answer = app.screens[-1]
    if isinstance(screen, ConfirmDialog) and answer is not None:
        answer(confirm)


@pytest.mark.parametrize("confirm", [False, True])
@pytest.mark.parametrize("kind", HAZARDS)
def test_tui_export(tmp_path: Path, small_data: Path, kind: str, confirm: bool) -> None:
    from regen_compare.tui.screens.dialogs import ConfirmDialog

    app = FakeApp(small_data)
    hazard = plant(kind, tmp_path / "out" / "handout.md", tmp_path)
    _tui_export(app, hazard.path, confirm)
    asked = [s for s, _ in app.screens if isinstance(s, ConfirmDialog)]
    if kind in ("fifo", "folder"):
        # Refused at once with the reason; never "Replace it?" first.
        assert asked == []
        assert any(REFUSAL[kind] in m and sev == "error" for m, sev in app.notes), app.notes
        hazard.check_untouched()
    else:
        # A link (even a dangling one) is never written without asking, and the question
        # says it is a link.
        assert len(asked) == 1 and "symbolic link" in asked[0]._question
        if confirm:
            hazard.check_untouched(replaced=True)
            assert hazard.path.read_text().startswith("# ")
        else:
            hazard.check_untouched()
    _no_temp_files_left(hazard.path.parent)


# --- scenarios: save and rename -----------------------------------------------------------


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("kind", HAZARDS)
def test_scenario_save(tmp_path: Path, kind: str, overwrite: bool) -> None:
    folder = tmp_path / "scenarios"
    hazard = plant(kind, scenarios.path_for("Ms C", folder), tmp_path)
    scenario = Scenario("Ms C", Profile(payer="medicare"), Filters())
    if overwrite and kind in ("link-outside", "dangling-link"):
        path = scenarios.save(scenario, folder=folder, overwrite=True, today=TODAY)
        hazard.check_untouched(replaced=True)
        assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600
        assert scenarios.load("Ms C", folder=folder).profile.payer == "medicare"
    else:
        with pytest.raises(ScenarioError) as raised:
            scenarios.save(scenario, folder=folder, overwrite=overwrite, today=TODAY)
        if kind != "link-outside" or not overwrite:
            assert REFUSAL[kind] in str(raised.value) or "already exists" in str(raised.value)
        if kind == "folder":
            assert "is a folder" in str(raised.value)
        hazard.check_untouched()
    _no_temp_files_left(folder)


@pytest.mark.parametrize("kind", HAZARDS)
def test_cli_scenario_save_without_force(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    small_data: Path,
    kind: str,
) -> None:
    folder = tmp_path / "scenarios"
    monkeypatch.setenv(scenarios.SCENARIO_ENV, str(folder))
    hazard = plant(kind, scenarios.path_for("Ms C", folder), tmp_path)
    code, _, err = run_cli(capsys, "scenario", "save", "Ms C", "--data-dir", str(small_data))
    assert code == 1 and "Traceback" not in err  # nothing written: the export code
    hazard.check_untouched()


@pytest.mark.parametrize("kind", HAZARDS)
def test_scenario_rename_onto_a_hazard(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "scenarios"
    scenarios.save(Scenario("Old", Profile(years=2), Filters()), folder=folder, today=TODAY)
    hazard = plant(kind, scenarios.path_for("New", folder), tmp_path)
    with pytest.raises(ScenarioError):
        scenarios.rename("Old", "New", folder=folder)
    hazard.check_untouched()
    assert scenarios.load("Old", folder=folder).profile.years == 2
    _no_temp_files_left(folder)


def test_scenario_rename_writes_a_fresh_0600_file(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    scenarios.save(Scenario("Old", Profile(years=2), Filters()), folder=folder, today=TODAY)
    old_umask = os.umask(0)
    try:
        path = scenarios.rename("Old", "New", folder=folder)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


# --- schema --out (no --force: a link is always refused) ----------------------------------


@pytest.mark.parametrize("kind", HAZARDS)
def test_schema_out(tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    out = tmp_path / "schema"
    hazard = plant(kind, out / "therapies.schema.json", tmp_path)
    code, _, err = run_cli(capsys, "schema", "--out", str(out))
    assert code == 1 and REFUSAL[kind] in err and "Traceback" not in err
    hazard.check_untouched()
    _no_temp_files_left(out)


def test_schema_out_refreshes_its_own_regular_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "schema"
    out.mkdir()
    (out / "therapies.schema.json").write_text("{}")
    assert run_cli(capsys, "schema", "--out", str(out))[0] == 0
    assert (out / "therapies.schema.json").read_text().startswith("{\n")


# --- the cache ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", HAZARDS)
def test_cache_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_data: Path, kind: str
) -> None:
    """The cache's folder is private, so a link at an entry's name is replaced itself (never
    followed); a FIFO or folder there is left alone and the data still loads."""
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    hazard = plant(kind, folder / cache.entry_name(small_data), tmp_path)
    result = load_catalog(small_data, today=TODAY, use_cache=True)
    assert "medicare" in result.catalog.payers
    if kind in ("link-outside", "dangling-link"):
        hazard.check_untouched(replaced=True)
        assert stat.S_IMODE(os.lstat(hazard.path).st_mode) == 0o600
    else:
        hazard.check_untouched()
    _no_temp_files_left(folder)
