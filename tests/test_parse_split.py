"""Parsing on two cores (`parse_split`): each file's whole document, or None (then the caller
parses it whole), never another document; the child is always reaped; run-away input never
reaches it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import no_children_left
from regen_compare import forked, load_read, parse_split
from regen_compare.load import bundled_data_dir, load_catalog
from regen_compare.load_read import FileContext
from regen_compare.problems import DataError

BUNDLED = bundled_data_dir()
THERAPIES = (BUNDLED / "therapies.toml").read_text(encoding="utf-8")
PAYERS = (BUNDLED / "payers.toml").read_text(encoding="utf-8")
BOTH = [(THERAPIES, "therapy"), (PAYERS, "payer")]


def split(text: str, key: str, cut: int) -> dict[str, Any] | None:
    """What the two processes would make of `text` cut at `cut`, in one process."""
    try:
        head = parse_split.head_document(text[:cut], key, tomli.loads)
    except tomli.TOMLDecodeError:
        head = None
    try:
        tail = parse_split.tail_entries(text[cut:], key, tomli.loads)
    except tomli.TOMLDecodeError:
        tail = None
    return parse_split.joined(head, key, tail)


def whole(text: str) -> dict[str, Any] | None:
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        return None


def cuts(text: str, key: str) -> list[int]:
    found, start = [], 0
    while (cut := parse_split.header_at(text, key, start)) is not None:
        found.append(cut)
        start = cut + 1
    return found


def same(got: Any, expected: Any) -> bool:
    """Equal, and in the same order (a dict's keys too): `==` alone ignores order."""
    return bool(got == expected and repr(got) == repr(expected))


def assert_never_another(text: str, key: str = "therapy") -> None:
    expected = whole(text)
    for cut in cuts(text, key):
        got = split(text, key, cut)
        assert got is None or same(got, expected), (cut, text)


@pytest.mark.parametrize(("text", "key"), BOTH)
def test_the_bundled_files_cut_at_any_header_give_the_whole_document(text: str, key: str) -> None:
    assert len(cuts(text, key)) > 3
    for cut in cuts(text, key):
        assert same(split(text, key, cut), tomli.loads(text))


SECOND = '[[therapy]]\nid = "b"\n'


@pytest.mark.parametrize(
    ("head", "tail"),
    [
        # A static array cannot take a new element: the whole file is refused (the probe).
        ('therapy = [{ id = "a" }]\n', SECOND),
        # Nor can a table named like the array.
        ('[therapy]\nid = "a"\n', SECOND),
        # The tail declares again a table the head declared: the whole file is refused.
        ('[meta]\nx = 1\n[[therapy]]\nid = "a"\n', SECOND + "[meta]\ny = 2\n"),
        # The tail adds to a table of the head: valid, but not the tail's alone to say.
        ('[meta]\nx = 1\n[[therapy]]\nid = "a"\n', SECOND + "[meta.more]\ny = 2\n"),
        # The cut line is inside a multi-line string, basic or literal.
        ('notes = """\n', SECOND + '"""\n'),
        ("notes = '''\n", SECOND + "'''\n"),
        # ...or inside a multi-line array, where it is not a header.
        ("x = [\n", '[["therapy"]]\n]\n'),
    ],
)
def test_a_cut_that_one_parse_would_not_read_alike_gives_none(head: str, tail: str) -> None:
    text = head + tail
    cut = len(head)
    assert split(text, "therapy", cut) is None
    assert_never_another(text)


def test_tables_under_the_array_in_the_tail_belong_to_its_own_elements() -> None:
    text = (
        '[meta]\nx = 1\n[[therapy]]\nid = "a"\n[therapy.cost]\nmin = 1\n'
        '[[therapy]]\nid = "b"\n[therapy.cost]\nmin = 2\n[[therapy.sources]]\nt = "s"\n'
    )
    (first, second) = cuts(text, "therapy")
    assert same(split(text, "therapy", second), tomli.loads(text))
    assert same(split(text, "therapy", first), tomli.loads(text))


def test_the_array_keeps_its_place_among_the_keys() -> None:
    text = '[[therapy]]\nid = "a"\n[meta]\nx = 1\n[[therapy]]\nid = "b"\n'
    (cut,) = cuts(text, "therapy")
    assert list(split(text, "therapy", cut) or {}) == ["therapy", "meta"]
    late = '[meta]\nx = 1\n[[payer]]\nid = "p"\n[[therapy]]\nid = "b"\n'
    (cut,) = cuts(late, "therapy")
    assert list(split(late, "therapy", cut) or {}) == ["meta", "payer", "therapy"]


FRAGMENTS = [
    "[[therapy]]\n",
    '[["therapy"]]\n',
    'id = "a"\n',
    "[therapy.cost]\n",
    "[[therapy.sources]]\n",
    "min = 1\n",
    'therapy = [{ id = "s" }]\n',
    "therapy.x = 1\n",
    "[therapy]\n",
    "[meta]\n",
    "[meta.more]\n",
    "x = 1\n",
    'notes = """\n',
    '"""\n',
    "notes = '''\n",
    "'''\n",
    "arr = [\n",
    "]\n",
    "# [[therapy]]\n",
    "[[payer]]\n",
    "\n",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14))
def test_any_cut_of_any_text_gives_the_whole_document_or_none(parts: list[str]) -> None:
    assert_never_another("".join(parts))


def test_a_header_is_looked_for_at_line_starts_only_never_on_the_first_line() -> None:
    text = "[[therapy]]\nid = 'a'\n  [[therapy]]\nx = '[[therapy]]'\n[[therapy]]  # c\n"
    assert cuts(text, "therapy") == [text.rindex("[[therapy]]  # c")]


# --- the two processes -------------------------------------------------------------------------


needs_fork = pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="parsing on two cores is for Linux with two cores or more",
)


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread another test left running must not turn these tests into no-ops."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_two_processes_give_each_file_its_whole_document() -> None:
    found = parse_split.documents(BOTH, tomli.loads, min_chars=0)
    assert found == [tomli.loads(THERAPIES), tomli.loads(PAYERS)]
    assert no_children_left()


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_small_files_and_files_with_nothing_to_share_are_parsed_by_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(os, "fork", no_fork)
    assert parse_split.documents([(THERAPIES, "therapy")], tomli.loads) == [None]
    headless = 'x = 1\n[[payer]]\nid = "a"\n'  # no [[therapy]] to cut at, no other file
    assert parse_split.documents([(headless, "therapy")], tomli.loads, min_chars=0) == [None]


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_a_failed_or_killed_child_leaves_its_files_to_the_caller() -> None:
    parent = os.getpid()

    def dies_in_the_child(text: str) -> dict[str, Any]:
        if os.getpid() != parent:
            os._exit(3)
        return tomli.loads(text)

    jobs = BOTH
    assert parse_split.documents(jobs, dies_in_the_child, min_chars=0) == [None, None]
    assert no_children_left()

    def refuses_payers_in_the_child(text: str) -> dict[str, Any]:
        if os.getpid() != parent and "[[payer]]" in text:
            raise tomli.TOMLDecodeError("no")
        return tomli.loads(text)

    found = parse_split.documents(jobs, refuses_payers_in_the_child, min_chars=0)
    assert found == [tomli.loads(THERAPIES), None]
    assert no_children_left()


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_an_interrupted_parse_kills_and_reaps_the_child() -> None:
    """The child would never finish: only the kill ends it (the alarm fails the test
    instead of letting it hang if it does not)."""
    parent = os.getpid()

    def interrupted_here(text: str) -> dict[str, Any]:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        time.sleep(3600)
        return {}

    def too_long(signum: int, frame: object) -> None:
        raise AssertionError("the child was not killed")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(20)
    try:
        with pytest.raises(KeyboardInterrupt):
            parse_split.documents(BOTH, interrupted_here, min_chars=0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert no_children_left()


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_no_pipe_or_no_process_to_spare_leaves_every_file_to_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    jobs = BOTH
    open_before = len(os.listdir("/proc/self/fd"))

    def no_process() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", no_process)
        assert parse_split.documents(jobs, tomli.loads, min_chars=0) == [None, None]
    assert len(os.listdir("/proc/self/fd")) == open_before  # both ends of the pipe closed

    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    assert parse_split.documents(jobs, tomli.loads, min_chars=0) == [None, None]


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_a_head_that_does_not_parse_leaves_that_file_to_the_caller() -> None:
    assert len(PAYERS) > len(THERAPIES)  # payers.toml is the one cut, here
    lines = PAYERS.splitlines(keepends=True)
    lines.insert(3, "oops = \n")
    broken = "".join(lines)
    assert parse_split.header_at(broken, "payer", len(broken) // 2) is not None
    found = parse_split.documents(
        [(THERAPIES, "therapy"), (broken, "payer")], tomli.loads, min_chars=0
    )
    assert found == [tomli.loads(THERAPIES), None]
    assert no_children_left()


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_files_of_like_size_are_parsed_whole_one_in_each_process() -> None:
    found = parse_split.documents(
        [(PAYERS, "payer"), (PAYERS + "\n", "payer")], tomli.loads, min_chars=0
    )
    assert found == [tomli.loads(PAYERS)] * 2


@needs_fork
def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert forked.available()
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not forked.available()


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_no_fork_where_children_reap_themselves_or_on_one_cpu(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert forked.available()
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert not forked.available()
    finally:
        signal.signal(signal.SIGCHLD, previous)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not forked.available()


# --- through the loader ------------------------------------------------------------------------


def split_always(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, list[Any]]]:
    """Make the loader split files of any size; what it asked for and got, call by call."""
    real = parse_split.documents
    calls: list[tuple[Any, list[Any]]] = []

    def at_any_size(jobs: Any, loads: Any, **kw: Any) -> list[Any]:
        calls.append((jobs, real(jobs, loads, min_chars=0)))
        return calls[-1][1]

    monkeypatch.setattr(parse_split, "documents", at_any_size)
    return calls


def test_run_away_input_is_never_sent_to_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[object] = []
    monkeypatch.setattr(
        parse_split, "documents", lambda jobs, loads: sent.append(jobs) or [None] * len(jobs)
    )
    dotted = "a" + ".a" * 40 + " = 1\n"
    files = [
        (THERAPIES.encode(), FileContext("t"), "therapy"),
        (dotted.encode(), FileContext("p"), "payer"),
    ]
    load_read.documents_of(files)
    assert sent == []
    assert any("refused" in p.message for p in files[1][1].problems)
    load_read.documents_of([(THERAPIES.encode(), FileContext("t"), "therapy")] * 2)
    assert len(sent) == 1


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_the_loader_gives_the_same_catalog_and_problems_on_two_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = load_catalog(BUNDLED)
    real = parse_split.documents
    used = split_always(monkeypatch)
    two = load_catalog(BUNDLED)
    assert used and all(doc is not None for doc in used[0][1])
    assert two.catalog == one.catalog and two.warnings == one.warnings

    # A syntax error in the tail: the file is parsed whole, so the line is the file's.
    broken = tmp_path / "data"
    shutil.copytree(BUNDLED, broken)
    lines = THERAPIES.splitlines(keepends=True)
    bad = max(i for i, line in enumerate(lines) if line.startswith("[[therapy]]")) + 1
    lines.insert(bad + 1, "oops = \n")
    (broken / "therapies.toml").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as two_cores:
        load_catalog(broken)
    monkeypatch.setattr(parse_split, "documents", real)
    with pytest.raises(DataError) as one_core:
        load_catalog(broken)
    assert two_cores.value.problems == one_core.value.problems
    assert two_cores.value.problems[0].line == bad + 2

    # A key no therapy has, in the tail: the split stands, and the problem is placed on the
    # whole file's line (found in the text the loader keeps for that).
    lines[bad + 1] = 'colour = "red"\n'
    (broken / "therapies.toml").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as one_core:
        load_catalog(broken)
    used = split_always(monkeypatch)
    with pytest.raises(DataError) as two_cores:
        load_catalog(broken)
    assert used and all(doc is not None for doc in used[0][1])
    assert two_cores.value.problems == one_core.value.problems
    assert [p.line for p in two_cores.value.problems] == [bad + 2]


@needs_fork
@pytest.mark.usefixtures("one_thread")
def test_the_loader_child_parses_each_file_on_two_cores_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The TUI's loader child (`load_as_entry`, one parsed file at a time) splits each file."""
    from regen_compare.load import from_entry, load_as_entry

    expected = load_catalog(BUNDLED)
    used = split_always(monkeypatch)
    monkeypatch.setenv("REGEN_COMPARE_NO_CACHE", "1")
    entry = load_as_entry(BUNDLED)
    assert [[key for _, key in jobs] for jobs, _ in used] == [["therapy"], ["payer"]]
    assert all(doc is not None for _, found in used for doc in found)
    got = from_entry(BUNDLED, entry)
    assert got is not None
    assert dict(got.catalog.therapies) == dict(expected.catalog.therapies)
    assert got.warnings == expected.warnings


def test_a_load_from_the_cache_imports_neither_the_parser_nor_the_splitter(
    cache_folder: Path,
) -> None:
    """Both are imported where a file is parsed, so a cached start pays for neither."""
    code = (
        "import sys\n"
        "from regen_compare.load import bundled_data_dir, load_catalog\n"
        "load_catalog(bundled_data_dir(), use_cache=True)\n"
        "print(sorted(m for m in ('tomli', 'regen_compare.parse_split') if m in sys.modules))\n"
    )
    env = {**os.environ, "REGEN_COMPARE_CACHE": str(cache_folder)}
    env.pop("REGEN_COMPARE_NO_CACHE", None)

    def imported() -> str:
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
        )
        assert run.returncode == 0, run.stderr
        return run.stdout.strip()

    assert imported() == "['regen_compare.parse_split', 'tomli']"  # the first load parses
    assert imported() == "[]"
